import { withPlatform, type DB, type Tenant } from '@yiduan/db';
import { addDomain, createTenant, tenantBySlug, updateFace, SYSTEM_ACTOR, type NavItem } from '@yiduan/core';
import { DEMO_TREE } from './tree.js';

export interface SeedResult {
  created: boolean;
  tenants: Record<string, Tenant>;
}

const NAVIGATION: NavItem[] = [
  { kind: 'home', label: '首页' },
  { kind: 'section', label: '本地', section: 'bendi' },
  { kind: 'section', label: '政务', section: 'zhengwu' },
  { kind: 'section', label: '民生', section: 'minsheng' },
  { kind: 'section', label: '文旅', section: 'wenlv' },
];

/**
 * Seeds the demo province once, in one platform transaction: if the province
 * already exists nothing is written, so a restart keeps the data as it was.
 */
export async function seedDemo(db: DB, opts: { domainSuffix?: string } = {}): Promise<SeedResult> {
  const suffix = opts.domainSuffix ?? 'localhost';
  return withPlatform(db, async (trx) => {
    const tenants: Record<string, Tenant> = {};
    if (await tenantBySlug(trx, DEMO_TREE[0]!.slug)) {
      for (const t of DEMO_TREE) {
        const found = await tenantBySlug(trx, t.slug);
        if (found) tenants[t.slug] = found;
      }
      return { created: false, tenants };
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
        footer: {
          icp: `豫ICP备${String(10000000 + DEMO_TREE.indexOf(t) * 1371).slice(0, 8)}号`,
          contact: `${t.siteName} 新闻热线 0371-0000000${DEMO_TREE.indexOf(t)}`,
        },
      });
    }
    return { created: true, tenants };
  });
}
