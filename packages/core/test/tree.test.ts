import t from 'tap';
import { sql } from 'kysely';
import { isCheckViolation, withPlatform, type DB } from '@yiduan/db';
import { createDemoDatabase, failure } from '@yiduan/testkit';
import {
  addDomain,
  ancestors,
  descendants,
  isAncestor,
  normalizeHost,
  parentLevelAllowed,
  removeDomain,
  resolveHost,
  setPrimaryDomain,
  SYSTEM_ACTOR,
  updateTenant,
  DomainError,
} from '../src/index.js';

const slugs = (rows: { slug: string }[]): string[] => rows.map((r) => r.slug);

t.test('level rules', async (t) => {
  t.ok(parentLevelAllowed('province', null));
  t.notOk(parentLevelAllowed('province', 'province'));
  t.ok(parentLevelAllowed('city', 'province'));
  t.notOk(parentLevelAllowed('city', 'city'));
  t.notOk(parentLevelAllowed('city', null));
  t.ok(parentLevelAllowed('county', 'city'));
  t.ok(parentLevelAllowed('county', 'province'));
  t.notOk(parentLevelAllowed('county', 'county'));
});

t.test('the database enforces the tree even past the domain layer', async (t) => {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const insert = (db: DB, level: string, parent: string | null) =>
    withPlatform(db, (trx) =>
      sql`INSERT INTO tenants (slug, name, level, parent_id) VALUES ('raw-x', 'X', ${level}::tenant_level, ${parent})`.execute(
        trx,
      ),
    );
  t.ok(isCheckViolation(await failure(insert(tdb.db, 'city', tenants.zhengzhou!.id))), 'city under city');
  t.ok(isCheckViolation(await failure(insert(tdb.db, 'county', null))), 'county without parent');
  t.ok(isCheckViolation(await failure(insert(tdb.db, 'province', tenants.henan!.id))), 'province with a parent');
  const cycle = await failure(
    withPlatform(tdb.db, (trx) =>
      sql`UPDATE tenants SET parent_id = ${tenants.ruyang!.id} WHERE id = ${tenants.ruyang!.id}`.execute(trx),
    ),
  );
  t.ok(isCheckViolation(cycle), 'a tenant under itself');
  const demote = await failure(
    withPlatform(tdb.db, (trx) =>
      sql`UPDATE tenants SET level = 'county' WHERE id = ${tenants.luoyang!.id}`.execute(trx),
    ),
  );
  t.ok(isCheckViolation(demote), 'a city with counties cannot become a county');
});

t.test('descendants and ancestors come from the closure in one query', async (t) => {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  t.same(slugs(await descendants(tdb.db, tenants.henan!.id, { maxDepth: 1 })), ['luoyang', 'shangqiu', 'zhengzhou']);
  t.same(slugs(await descendants(tdb.db, tenants.luoyang!.id)), ['ruyang', 'yichuan']);
  t.same(slugs(await descendants(tdb.db, tenants.luoyang!.id, { includeSelf: true })), [
    'luoyang',
    'ruyang',
    'yichuan',
  ]);
  t.same(slugs(await ancestors(tdb.db, tenants.zhecheng!.id)), ['shangqiu', 'henan']);
  t.ok(await isAncestor(tdb.db, tenants.henan!.id, tenants.ruyang!.id));
  t.notOk(
    await isAncestor(tdb.db, tenants.zhengzhou!.id, tenants.ruyang!.id),
    'a city is no ancestor of another city’s county',
  );
  t.notOk(await isAncestor(tdb.db, tenants.ruyang!.id, tenants.ruyang!.id), 'nobody is their own ancestor');

  const plan = await sql<{
    'QUERY PLAN': string;
  }>`EXPLAIN SELECT descendant_id FROM tenant_tree WHERE ancestor_id = ${tenants.henan!.id}`.execute(tdb.owner);
  t.match(plan.rows.map((r) => r['QUERY PLAN']).join('\n'), /Index|Bitmap|Seq Scan/, 'planned');
  const idx = await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes WHERE tablename = 'tenant_tree'`.execute(
    tdb.owner,
  );
  t.ok(
    idx.rows.some((r) => /\(ancestor_id, descendant_id\)/.test(r.indexdef)),
    'ancestor lookups are indexed (primary key)',
  );
  t.ok(
    idx.rows.some((r) => /\(descendant_id, depth\)/.test(r.indexdef)),
    'descendant lookups are indexed',
  );
});

t.test('moving a subtree keeps the closure exact', async (t) => {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  await withPlatform(tdb.db, (trx) =>
    updateTenant(trx, SYSTEM_ACTOR, tenants.ruyang!.id, { parentId: tenants.henan!.id }),
  );
  t.same(slugs(await ancestors(tdb.db, tenants.ruyang!.id)), ['henan']);
  t.same(slugs(await descendants(tdb.db, tenants.luoyang!.id)), ['yichuan']);
  const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tenant_tree`.execute(tdb.owner);
  // 8 self rows + 7 under henan + 4 under cities minus ruyang's move (3 counties left under cities)
  t.equal(rows.rows[0]!.n, 8 + 7 + 3);
  const err = await failure(
    withPlatform(tdb.db, (trx) =>
      updateTenant(trx, SYSTEM_ACTOR, tenants.luoyang!.id, { parentId: tenants.zhengzhou!.id }),
    ),
  );
  t.ok(err instanceof DomainError && err.code === 'TENANT_LEVEL_INVALID');
});

t.test('hosts: normalisation and resolution', async (t) => {
  t.equal(normalizeHost('RuYang.LocalHost:3000'), 'ruyang.localhost');
  t.equal(normalizeHost('news.example.cn.'), 'news.example.cn');
  t.equal(normalizeHost('ruyang.localhost.:3000'), 'ruyang.localhost', 'trailing dot with a port');
  t.equal(normalizeHost('汝阳.中国'), 'xn--7swm60g.xn--fiqs8s', 'internationalised names in punycode');
  t.equal(normalizeHost('bad host'), null);
  t.equal(normalizeHost('evil.com/x'), null);
  t.equal(normalizeHost('a@b.com'), null);
  t.equal(normalizeHost(''), null);
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  await withPlatform(tdb.db, (trx) => addDomain(trx, SYSTEM_ACTOR, tenants.ruyang!.id, 'www.ruyang.gov.cn'));
  t.equal((await resolveHost(tdb.db, 'www.ruyang.gov.cn', 'localhost'))?.slug, 'ruyang', 'exact domain');
  t.equal(
    (await resolveHost(tdb.db, 'yichuan.localhost:3000', 'localhost'))?.slug,
    'yichuan',
    'slug under the base domain',
  );
  t.equal((await resolveHost(tdb.db, 'yichuan.news.cn', 'news.cn'))?.slug, 'yichuan', 'another base domain');
  t.equal(await resolveHost(tdb.db, 'x.yichuan.localhost', 'localhost'), null, 'only one label before the base');
  t.equal(await resolveHost(tdb.db, 'unknown.localhost', 'localhost'), null);
  t.equal(await resolveHost(tdb.db, 'localhost', 'localhost'), null);
  await withPlatform(tdb.db, (trx) => updateTenant(trx, SYSTEM_ACTOR, tenants.zhecheng!.id, { status: 'closed' }));
  t.equal(await resolveHost(tdb.db, 'zhecheng.localhost', 'localhost'), null, 'a closed tenant has no face');
});

t.test('domains: exactly one primary per tenant', async (t) => {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const id = tenants.ruyang!.id;
  const primaries = async () =>
    (
      await tdb.owner
        .selectFrom('tenant_domains')
        .select('host')
        .where('tenant_id', '=', id)
        .where('is_primary', '=', true)
        .execute()
    ).map((r) => r.host);
  await withPlatform(tdb.db, (trx) => addDomain(trx, SYSTEM_ACTOR, id, 'www.ruyang.gov.cn'));
  t.same(await primaries(), ['ruyang.localhost'], 'a second domain is not primary by default');
  await withPlatform(tdb.db, (trx) => addDomain(trx, SYSTEM_ACTOR, id, 'm.ruyang.gov.cn', true));
  t.same(await primaries(), ['m.ruyang.gov.cn'], 'asking for primary moves it');
  await withPlatform(tdb.db, (trx) => setPrimaryDomain(trx, SYSTEM_ACTOR, 'www.ruyang.gov.cn'));
  t.same(await primaries(), ['www.ruyang.gov.cn']);
  const err = await failure(withPlatform(tdb.db, (trx) => removeDomain(trx, SYSTEM_ACTOR, 'www.ruyang.gov.cn')));
  t.ok(
    err instanceof DomainError && err.code === 'DOMAIN_PRIMARY_REQUIRED',
    'the primary cannot go while others remain',
  );
  const raw = await failure(
    withPlatform(tdb.db, (trx) =>
      sql`UPDATE tenant_domains SET is_primary = false WHERE tenant_id = ${id}`.execute(trx),
    ),
  );
  t.ok(isCheckViolation(raw), 'the database refuses a tenant with domains but no primary (checked at commit)');
  t.same(await primaries(), ['www.ruyang.gov.cn'], 'and nothing changed');
});
