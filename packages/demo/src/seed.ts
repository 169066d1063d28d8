import { setTenant, withPlatform, type DB, type Staff, type Tenant, type Trx } from '@yiduan/db';
import {
  addDomain,
  createTenant,
  staffActor,
  tenantBySlug,
  updateFace,
  SYSTEM_ACTOR,
  type HomeModule,
  type NavItem,
} from '@yiduan/core';
import type { AssetStorage } from '@yiduan/storage';
import { seedGovRound } from './account-rounds.js';
import { seedAccountClosures } from './account-closures.js';
import { seedGovAccounts } from './accounts.js';
import { seedAudience } from './audience.js';
import { dateBack, runStories } from './chain.js';
import { createDemoImages } from './images.js';
import { DEMO_SECTIONS, setUpNewsroom, type TenantDesk } from './newsroom.js';
import { placeOf } from './places.js';
import { planStories } from './plan.js';
import { seedPlanning } from './planning.js';
import { DEMO_ACCOUNTS, grantDemoRoles, insertDemoStaff } from './staff.js';
import { seedSyndication } from './syndication.js';
import { DEMO_TREE } from './tree.js';
import { seedDemoVideos } from './videos.js';

export interface SeedOptions {
  /** domains are `<slug>.<suffix>`; default localhost */
  domainSuffix?: string;
  /** where generated pictures go; without it stories have no images */
  storage?: AssetStorage;
  /** sections, units, staff, rules and stories; default true */
  withContent?: boolean;
}

export interface SeedResult {
  created: boolean;
  tenants: Record<string, Tenant>;
  /** demo accounts by login (empty when seeded without content) */
  staff: Record<string, Staff>;
}

const NAVIGATION: NavItem[] = [
  { kind: 'home', label: '首页' },
  { kind: 'section', label: '本地', section: 'bendi' },
  { kind: 'section', label: '政务', section: 'zhengwu' },
  { kind: 'section', label: '民生', section: 'minsheng' },
  { kind: 'section', label: '文旅', section: 'wenlv' },
];

/** A county portal's home: the lead with four beside it, the latest, a dense list per section, the services. */
const HOME_LAYOUT: HomeModule[] = [
  { module: 'headlines', count: 5 },
  { module: 'latest', count: 10 },
  ...DEMO_SECTIONS.map((s) => ({ module: 'section' as const, section: s.slug, count: 6 })),
  { module: 'units' },
  { module: 'messages' },
  { module: 'follow' },
];

async function existingStaff(trx: Trx): Promise<Record<string, Staff>> {
  const rows = await trx
    .selectFrom('staff')
    .selectAll()
    .where(
      'login',
      'in',
      DEMO_ACCOUNTS.map((a) => a.login),
    )
    .execute();
  return Object.fromEntries(rows.map((s) => [s.login, s]));
}

/**
 * Seeds the demo province once, in one transaction: if the province already
 * exists nothing is written, so a restart keeps the data as it was; if any
 * step fails nothing is kept, so the next start tries again from scratch.
 */
export async function seedDemo(db: DB, opts: SeedOptions = {}): Promise<SeedResult> {
  const suffix = opts.domainSuffix ?? 'localhost';
  return withPlatform(db, async (trx) => {
    const tenants: Record<string, Tenant> = {};
    if (await tenantBySlug(trx, DEMO_TREE[0]!.slug)) {
      for (const t of DEMO_TREE) {
        const found = await tenantBySlug(trx, t.slug);
        if (found) tenants[t.slug] = found;
      }
      return { created: false, tenants, staff: await existingStaff(trx) };
    }
    for (const t of DEMO_TREE) {
      const parentId = t.parent ? tenants[t.parent]!.id : null;
      const tenant = await createTenant(trx, SYSTEM_ACTOR, { slug: t.slug, name: t.name, level: t.level, parentId });
      tenants[t.slug] = tenant;
      await addDomain(trx, SYSTEM_ACTOR, tenant.id, `${t.slug}.${suffix}`);
      await updateFace(trx, SYSTEM_ACTOR, tenant.id, {
        siteName: t.siteName,
        tagline: t.tagline,
        theme: t.theme,
        navigation: NAVIGATION,
        homeLayout: HOME_LAYOUT,
        footer: {
          icp: `豫ICP备${String(10000000 + DEMO_TREE.indexOf(t) * 1371).slice(0, 8)}号`,
          contact: `${t.siteName} 新闻热线 0371-0000000${DEMO_TREE.indexOf(t)}`,
        },
      });
    }
    if (opts.withContent === false) return { created: true, tenants, staff: {} };
    const staff = await seedNewsroom(trx, tenants, opts.storage);
    return { created: true, tenants, staff };
  });
}

/**
 * The living newsroom: the operator sets up sections, chains, units, rules and
 * grants (platform scope); then each tenant's people upload pictures and take
 * stories through the chain in that tenant's own scope, as they would in the console.
 */
async function seedNewsroom(
  trx: Trx,
  tenants: Record<string, Tenant>,
  storage: AssetStorage | undefined,
): Promise<Record<string, Staff>> {
  const now = new Date();
  const { staff, org } = await insertDemoStaff(trx, SYSTEM_ACTOR);
  const operator = staffActor(staff.operator!);
  const desks: Record<string, TenantDesk> = {};
  for (const t of DEMO_TREE) desks[t.slug] = await setUpNewsroom(trx, operator, t.slug, tenants[t.slug]!.id);
  const units = Object.fromEntries(Object.entries(desks).map(([slug, d]) => [slug, d.units]));
  await grantDemoRoles(trx, operator, tenants, units, staff, org);

  for (const [i, t] of DEMO_TREE.entries()) {
    const tenantId = tenants[t.slug]!.id;
    // from here on this transaction sees only this tenant's rows, like a request of its staff
    await setTenant(trx, tenantId);
    const editor = staff[`${t.slug}-editor`]!;
    const images = storage
      ? await createDemoImages(trx, storage, staffActor(editor), tenantId, t, placeOf(t.slug), i % 2, editor.id)
      : null;
    const seeded = await runStories(trx, tenantId, t.slug, planStories(t.slug, now), staff, desks[t.slug]!, images);
    await dateBack(trx, tenantId, seeded);
  }
  await seedSyndication(trx, tenants, staff);
  await seedAudience(trx, tenants, staff, now);
  await (await import('./analytics.js')).seedAnalytics(trx, tenants, now);
  await seedGovAccounts(trx, tenants, staff, units, org, now);
  await seedGovRound(trx, tenants, staff, now);
  await seedAccountClosures(trx, tenants, staff, now);
  await seedPlanning(trx, tenants, staff, now);
  if (storage) await seedDemoVideos(trx, storage, tenants, (line) => console.log(line), staff);
  return staff;
}
