import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { sql } from 'kysely';
import { appUrlFrom, createDb, type Staff, type Tenant } from '@yiduan/db';
import { seedDemo, type SeedOptions } from '@yiduan/demo';
import { LocalDiskStorage } from '@yiduan/storage';
import {
  baseUrl,
  buildTemplateOnce,
  cloneTemplate,
  ensureTemplate,
  templateName,
  TEST_APP_PASSWORD,
  type Teardown,
  type TestDatabase,
} from './database.js';

/**
 * Test databases that already hold the demo province: cloned from a template
 * seeded once per run, instead of seeding every test's database again.
 *
 * - `tree`: the demo tree's tenants with their domains and faces (`seedDemo` without content)
 * - `newsroom`: the whole demo (staff, units, stories, audience, analytics), no pictures
 * - `pictures`: the whole demo with its generated pictures; each clone gets its own copy of the files
 *
 * The template's name carries a fingerprint of the migrations and of the seed's
 * inputs (the sources of packages/demo and of the workspace packages it runs, and
 * the lockfile), so a changed seed or core never reuses a stale template. The
 * content seeds date stories relative to "now": their names also carry the UTC
 * hour, so a template is at most an hour old (and on the same Chinese calendar
 * day as the test).
 */
export type DemoKind = 'tree' | 'newsroom' | 'pictures';

export interface DemoDatabase extends TestDatabase {
  tenants: Record<string, Tenant>;
  /** demo accounts by login; empty for `tree` */
  staff: Record<string, Staff>;
}

export interface PicturedDemoDatabase extends DemoDatabase {
  /** this test's own copy of the demo pictures */
  storage: LocalDiskStorage;
}

const PACKAGES = new URL('../../', import.meta.url).pathname;
/** the seed and every workspace package it runs, plus the lockfile (sharp draws the pictures) */
const SEED_INPUTS = ['demo/src', 'core/src', 'db/src', 'storage/src', 'cache/src', 'config/src', 'video-tools/src'];
const LOCKFILE = join(PACKAGES, '..', 'pnpm-lock.yaml');

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(path)));
    else if (e.isFile()) out.push(path);
  }
  return out;
}

let seedPrint: Promise<string> | undefined;

/** A hash of every file the seed runs: the demo package and what it builds on. */
function seedFingerprint(): Promise<string> {
  seedPrint ??= (async () => {
    const h = createHash('sha1');
    for (const input of SEED_INPUTS) {
      for (const f of (await filesUnder(join(PACKAGES, input))).sort()) {
        h.update(relative(PACKAGES, f));
        h.update(await readFile(f));
      }
    }
    h.update(await readFile(LOCKFILE));
    return h.digest('hex').slice(0, 10);
  })();
  return seedPrint;
}

const SHORT: Record<DemoKind, string> = { tree: 'tree', newsroom: 'news', pictures: 'pics' };

/** `yd_tpl_<migrations>_<kind>_<seed inputs>[_<UTC hour>]`, within PostgreSQL's 63 characters. */
export async function demoTemplateName(kind: DemoKind, at: Date = new Date()): Promise<string> {
  const base = `${await templateName()}_${SHORT[kind]}_${await seedFingerprint()}`;
  if (kind === 'tree') return base;
  return `${base}_${at.toISOString().slice(2, 13).replace(/\D/g, '')}`;
}

/** The names `pnpm test` keeps when it sweeps old templates. */
export async function demoTemplateNames(at: Date = new Date()): Promise<string[]> {
  return Promise.all((['tree', 'newsroom', 'pictures'] as const).map((k) => demoTemplateName(k, at)));
}

const assetsOf = (template: string): string => join(tmpdir(), `${template}-assets`);

/** Builds the kind's template once (under the template lock) and returns its name. */
export async function ensureDemoTemplate(kind: DemoKind): Promise<string> {
  const migrated = await ensureTemplate();
  const name = await demoTemplateName(kind);
  const assets = assetsOf(name);
  const present = (): boolean => kind !== 'pictures' || existsSync(assets);
  return buildTemplateOnce(
    name,
    async (building) => {
      const admin = createDb(baseUrl(), { max: 1, applicationName: 'yiduan-testkit' });
      try {
        await sql`CREATE DATABASE ${sql.id(building)} TEMPLATE ${sql.id(migrated)}`.execute(admin);
      } finally {
        await admin.destroy();
      }
      // seeded as the application role, like the tests that seeded their own database
      const db = createDb(appUrlFrom(baseUrl(), TEST_APP_PASSWORD, building), {
        max: 2,
        applicationName: 'yiduan-testkit-seed',
      });
      const opts: SeedOptions = { withContent: kind !== 'tree' };
      if (kind === 'pictures') {
        rmSync(assets, { recursive: true, force: true });
        opts.storage = new LocalDiskStorage(assets);
      }
      try {
        await seedDemo(db, opts);
      } finally {
        await db.destroy();
      }
    },
    present,
  );
}

/** A database of the demo province (and, for `pictures`, a storage holding its files). */
export async function createDemoDatabase(t: Teardown, kind?: 'tree' | 'newsroom'): Promise<DemoDatabase>;
export async function createDemoDatabase(t: Teardown, kind: 'pictures'): Promise<PicturedDemoDatabase>;
export async function createDemoDatabase(
  t: Teardown,
  kind: DemoKind = 'tree',
): Promise<DemoDatabase | PicturedDemoDatabase> {
  const template = await ensureDemoTemplate(kind);
  const tdb = await cloneTemplate(template, t);
  // on a seeded database seedDemo writes nothing and answers the tenants and accounts it finds
  const { tenants, staff } = await seedDemo(tdb.db, { withContent: kind !== 'tree' });
  if (kind !== 'pictures') return { ...tdb, tenants, staff };
  const dir = mkdtempSync(join(tmpdir(), 'yd-demo-assets-'));
  cpSync(assetsOf(template), dir, { recursive: true });
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return { ...tdb, tenants, staff, storage: new LocalDiskStorage(dir) };
}
