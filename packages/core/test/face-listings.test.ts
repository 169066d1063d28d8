/**
 * The face listing (face_listings): kept equal to the join the faces used to read
 * (placements + stories + published revision + origin tenant) by every change path, in the
 * change's own transaction; a list is one index range scan of it, a story page at most two
 * queries; another tenant's scope reads none of a face's rows.
 */
import t, { type Test } from 'tap';
import { Kysely, PostgresDialect, sql } from 'kysely';
import {
  createPool,
  ScopedPostgresDialect,
  withPlatform,
  withPublic,
  withTenant,
  type Database,
  type DB,
  type SharePolicy,
  type Staff,
  type StaffRole,
  type Tenant,
  type Trx,
} from '@yiduan/db';
import { createDemoDatabase } from '@yiduan/testkit';
import {
  accessFor,
  approveStep,
  correctStory,
  createSection,
  createStaff,
  createStory,
  detachPlacement,
  faceFeed,
  faceFeedCount,
  fanOutChunk,
  grantRole,
  publishStory,
  pullStory,
  pushStory,
  retractStory,
  saveRevision,
  setSharePolicy,
  setTenantChain,
  staffActor,
  STORY_TEXT_FIELDS,
  storyOnFace,
  submitForReview,
  SYSTEM_ACTOR,
  unpublishStory,
  updatePlacement,
  type Access,
} from '../src/index.js';

const PASSWORD = 'listing-horse-42';
const TEXTS = STORY_TEXT_FIELDS.map((f) => f.column);

/** Every live row as the old join computes it, and as the listing holds it, in one shape. */
async function compare(t: Test, owner: DB, step: string): Promise<number> {
  const cols = sql.raw(TEXTS.map((c) => `x.${c}`).join(', '));
  const shape = (from: ReturnType<typeof sql>) => sql<Record<string, unknown>>`
    SELECT x.tenant_id, x.placement_id, x.story_id, x.origin_tenant_id, x.mode, x.mandatory, x.pinned, x.position, x.section_id,
           x.local_title, x.placed_at, x.published_at, x.kind, x.unit_id, x.copy_origin_tenant_id, x.copy_origin_story_id,
           x.revision, x.cover_asset_id, x.tags, x.link_url, x.origin_slug, x.origin_name, ${cols}
      FROM (${from}) x ORDER BY x.placement_id`;
  const join = sql`
    SELECT p.tenant_id, p.id AS placement_id, p.story_id, p.origin_tenant_id, p.mode, p.mandatory, p.pinned, p.position, p.section_id,
           p.local_title, p.placed_at, p.story_published_at AS published_at, s.kind, s.unit_id, s.origin_tenant_id AS copy_origin_tenant_id,
           s.origin_story_id AS copy_origin_story_id, r.number AS revision, r.cover_asset_id, r.tags, r.link_url, o.slug AS origin_slug,
           o.name AS origin_name, ${sql.raw(TEXTS.map((c) => `r.${c}`).join(', '))}
      FROM placements p
      JOIN stories s ON s.tenant_id = p.origin_tenant_id AND s.id = p.story_id
      JOIN story_revisions r ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.published_revision
      JOIN tenants o ON o.id = s.tenant_id
     WHERE p.status = 'active' AND s.retracted_at IS NULL`;
  const expected = (await shape(join).execute(owner)).rows;
  const listed = (await shape(sql`SELECT * FROM face_listings`).execute(owner)).rows;
  t.same(listed, expected, `${step}: the listing equals the join (${expected.length} rows)`);
  return expected.length;
}

async function staffIn(db: DB, login: string, tenant: Tenant, roles: StaffRole[]): Promise<Staff> {
  const staff = await withPlatform(db, (trx) =>
    createStaff(trx, SYSTEM_ACTOR, { login, displayName: login, password: PASSWORD }),
  );
  await withPlatform(db, async (trx) => {
    for (const role of roles)
      await grantRole(trx, SYSTEM_ACTOR, { tenantId: tenant.id, role, staffId: staff.id, skipPartyCheck: true });
  });
  return staff;
}

/** A desk on one tenant: a writer who publishes, an editor who approves (chain: editor). */
async function desk(db: DB, tenant: Tenant) {
  await withTenant(db, tenant.id, (trx) => setTenantChain(trx, SYSTEM_ACTOR, tenant.id, ['editor']));
  const [writer, editor] = await Promise.all([
    staffIn(db, `${tenant.slug}-lw`, tenant, ['reporter', 'editor', 'chief_editor']),
    staffIn(db, `${tenant.slug}-le`, tenant, ['editor']),
  ]);
  const as = <T>(who: Staff, fn: (trx: Trx, access: Access) => Promise<T>): Promise<T> =>
    withTenant(db, tenant.id, async (trx) => fn(trx, await accessFor(trx, who, tenant.id)));
  const w = <T>(fn: (trx: Trx, access: Access) => Promise<T>): Promise<T> => as(writer, fn);
  const review = async (id: string): Promise<void> => {
    await w((trx, a) => submitForReview(trx, a, staffActor(writer), id));
    await as(editor, (trx, a) => approveStep(trx, a, staffActor(editor), id));
    await w((trx, a) => publishStory(trx, a, staffActor(writer), id));
  };
  const publish = async (title: string, policy: SharePolicy): Promise<string> => {
    const { story } = await w((trx, a) =>
      createStory(trx, a, staffActor(writer), {
        kind: 'article',
        title,
        summary: `${title}摘要`,
        tags: ['民生'],
        body: [{ type: 'paragraph', text: `${title}。` }],
      }),
    );
    await w((trx, a) => setSharePolicy(trx, a, staffActor(writer), story.id, policy));
    await review(story.id);
    return story.id;
  };
  const revise = async (id: string, content: { title: string; kicker?: string }): Promise<void> => {
    await w((trx, a) =>
      saveRevision(trx, a, staffActor(writer), id, {
        ...content,
        summary: '更正后的摘要',
        tags: ['民生', '更正'],
        body: [{ type: 'paragraph', text: `${content.title}。` }],
      }),
    );
    await review(id);
  };
  return { tenant, writer, w, publish, revise, actor: staffActor(writer) };
}

async function world(t: Test) {
  const tdb = await createDemoDatabase(t, 'newsroom');
  const { db, owner, tenants } = tdb;
  const city = await desk(db, tenants.luoyang!);
  const county = await desk(db, tenants.ruyang!);
  const sibling = tenants.yichuan!;
  return { tdb, db, owner, tenants, city, county, sibling };
}

const placementOf = async (owner: DB, face: string, story: string): Promise<string> =>
  (
    await owner
      .selectFrom('placements')
      .select('id')
      .where('tenant_id', '=', face)
      .where('story_id', '=', story)
      .executeTakeFirstOrThrow()
  ).id;
const listed = async (owner: DB, face: string, story: string) =>
  owner
    .selectFrom('face_listings')
    .selectAll()
    .where('tenant_id', '=', face)
    .where('story_id', '=', story)
    .executeTakeFirst();

t.test('every change path keeps the listing equal to the join, in the same transaction', async (t) => {
  const { db, owner, city, county, sibling } = await world(t);
  const seeded = await compare(t, owner, 'the seeded demo (the migration’s backfill and the seed’s writes)');
  t.ok(seeded > 0, 'the demo has listed stories');
  await sql`SELECT face_listings_rebuild()`.execute(owner);
  await compare(t, owner, 'rebuilt from scratch (the migration’s backfill)');

  // publish
  const s1 = await city.publish('洛阳秋粮收购启动', 'down');
  await compare(t, owner, 'publish');
  t.ok(await listed(owner, city.tenant.id, s1), 'the own story is listed on its face');

  // push to descendants (the worker's fan-out, platform scope)
  const job = await city.w((trx, a) =>
    pushStory(trx, a, city.actor, { storyId: s1, targets: { kind: 'level', level: 'county' }, mandatory: true }),
  );
  for (let more = true; more;) more = (await withPlatform(db, (trx) => fanOutChunk(trx, job.tenant_id, job.id))).more;
  await compare(t, owner, 'push');
  t.ok(await listed(owner, sibling.id, s1), 'pushed: on the sibling county');
  t.ok(await listed(owner, county.tenant.id, s1), 'pushed: on the county');

  // pull up, with the face's own headline
  const s2 = await county.publish('汝阳红薯丰收', 'up');
  const s3 = await county.publish('汝阳杜鹃花开', 'up');
  await city.w((trx, a) => pullStory(trx, a, city.actor, { storyId: s2, localTitle: '汝阳：红薯丰收季' }));
  await city.w((trx, a) => pullStory(trx, a, city.actor, { storyId: s3 }));
  await compare(t, owner, 'pull');
  t.equal((await listed(owner, city.tenant.id, s2))?.local_title, '汝阳：红薯丰收季');

  // correction: a new published revision reaches every face carrying the story
  await city.revise(s1, { title: '洛阳秋粮收购全面启动' });
  await compare(t, owner, 'correction (new revision)');
  for (const face of [city.tenant.id, county.tenant.id, sibling.id])
    t.equal((await listed(owner, face, s1))?.title, '洛阳秋粮收购全面启动', 'the new headline on every face');
  await city.w((trx, a) => correctStory(trx, a, city.actor, s1, '更正：收购时间为十月'));
  await compare(t, owner, 'correction note');
  const page = await withPublic(db, (trx) => storyOnFace(trx, sibling.id, s1));
  t.same(
    page.state === 'live' ? page.story.corrections.map((c) => c.note) : page,
    ['更正：收购时间为十月'],
    'the story page on a pushed face shows the correction',
  );

  // kicker edit
  await city.revise(s1, { title: '洛阳秋粮收购全面启动', kicker: '粮食安全' });
  await compare(t, owner, 'kicker edit');
  t.equal((await listed(owner, sibling.id, s1))?.kicker, '粮食安全', 'the kicker on a pushed face');

  // local title, pin, section move
  const p2 = await placementOf(owner, city.tenant.id, s2);
  await city.w((trx, a) => updatePlacement(trx, a, city.actor, p2, { localTitle: '红薯丰收了' }));
  await compare(t, owner, 'local title');
  await city.w((trx, a) => updatePlacement(trx, a, city.actor, p2, { pinned: true }));
  await compare(t, owner, 'pin');
  t.equal((await listed(owner, city.tenant.id, s2))?.pinned, true);
  const section = await withTenant(db, city.tenant.id, (trx) =>
    createSection(trx, SYSTEM_ACTOR, city.tenant.id, { slug: 'xianqu', name: '县区' }),
  );
  await city.w((trx, a) => updatePlacement(trx, a, city.actor, p2, { sectionId: section.id }));
  await compare(t, owner, 'section move');
  t.equal((await listed(owner, city.tenant.id, s2))?.section_id, section.id);
  await city.w((trx, a) => updatePlacement(trx, a, city.actor, p2, { localTitle: null }));
  await compare(t, owner, 'local title cleared');
  await owner.deleteFrom('sections').where('tenant_id', '=', city.tenant.id).where('id', '=', section.id).execute();
  await compare(t, owner, 'the section deleted under it');
  t.not((await listed(owner, city.tenant.id, s2))?.section_id, section.id, 'listed in the face’s default section now');

  // detach: the placement leaves, the face's own copy arrives
  const p3 = await placementOf(owner, city.tenant.id, s3);
  const copy = await city.w((trx, a) => detachPlacement(trx, a, city.actor, p3));
  await compare(t, owner, 'detach');
  t.notOk(await listed(owner, city.tenant.id, s3), 'the detached placement left the listing');
  const copied = await listed(owner, city.tenant.id, copy.id);
  t.equal(copied?.copy_origin_story_id, s3, 'the copy names its origin');
  const copyPage = await withPublic(db, (trx) => storyOnFace(trx, city.tenant.id, copy.id));
  t.same(
    copyPage.state === 'live'
      ? { own: copyPage.story.own, from: copyPage.story.copiedFrom?.storyId, slug: copyPage.story.copiedFrom?.slug }
      : copyPage,
    { own: true, from: s3, slug: 'ruyang' },
    'its page names where it was copied from',
  );

  // unpublish at the origin: gone from every face, in that transaction
  await county.w((trx, a) => unpublishStory(trx, a, county.actor, s2, '核实中'));
  await compare(t, owner, 'unpublish');
  t.notOk(await listed(owner, city.tenant.id, s2), 'unpublished: off the city face');
  t.notOk(await listed(owner, county.tenant.id, s2), 'unpublished: off its own face');

  // retraction: gone from every face
  await city.w((trx, a) => retractStory(trx, a, city.actor, s1, '数据有误'));
  await compare(t, owner, 'retraction');
  const left = await owner.selectFrom('face_listings').select('tenant_id').where('story_id', '=', s1).execute();
  t.same(left, [], 'retracted: on no face');

  // the origin's name as every face shows it
  await owner.updateTable('tenants').set({ name: '汝阳县融媒体中心' }).where('id', '=', county.tenant.id).execute();
  await compare(t, owner, 'origin renamed');

  // a transaction that fails leaves the listing as it was
  const before = await compare(t, owner, 'before a failed write');
  const s4 = await county.publish('汝阳新闻', 'up');
  await t.rejects(
    city.w(async (trx, a) => {
      await pullStory(trx, a, city.actor, { storyId: s4 });
      throw new Error('rolled back');
    }),
  );
  t.notOk(await listed(owner, city.tenant.id, s4), 'a rolled-back pull lists nothing');
  t.equal(await compare(t, owner, 'after a failed write'), before + 1, 'only the county’s own new story was added');
});

t.test('a face’s change and a concurrent change at the origin: both land, in either order', async (t) => {
  const tdb = await createDemoDatabase(t, 'newsroom');
  const { owner } = tdb;
  // a story carried by a face other than its origin
  const row = await owner
    .selectFrom('face_listings')
    .select(['placement_id', 'story_id', 'origin_tenant_id'])
    .whereRef('tenant_id', '<>', 'origin_tenant_id')
    .executeTakeFirstOrThrow();
  // two sessions of one connection each (a pool of one keeps BEGIN … COMMIT on it)
  const session = (): Kysely<Database> => {
    const k = new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(tdb.ownerUrl, { max: 1 }) }) });
    t.teardown(() => k.destroy());
    return k;
  };
  const [a, b] = [session(), session()];
  const run = (k: Kysely<Database>, text: string) => sql.raw(text).execute(k);
  const pending = async (p: Promise<unknown>): Promise<boolean> =>
    Promise.race([p.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 400))]);
  const origin = (k: Kysely<Database>) =>
    sql`UPDATE stories SET published_at = published_at - interval '1 hour' WHERE tenant_id = ${row.origin_tenant_id} AND id = ${row.story_id}`.execute(
      k,
    );
  const face = (k: Kysely<Database>, title: string) =>
    sql`UPDATE placements SET pinned = NOT pinned, local_title = ${title} WHERE id = ${row.placement_id}`.execute(k);

  // the origin first: the face waits for it, then refreshes from the committed story
  await run(a, 'BEGIN');
  await origin(a);
  await run(b, 'BEGIN');
  const faceWrite = face(b, '面向本地的标题');
  t.ok(await pending(faceWrite), 'the face’s write waits for the origin’s transaction');
  await run(a, 'COMMIT');
  await faceWrite;
  await run(b, 'COMMIT');
  await compare(t, owner, 'origin first, face second');

  // the face first: the origin waits for it
  await run(b, 'BEGIN');
  await face(b, '又一个本地标题');
  await run(a, 'BEGIN');
  const originWrite = origin(a);
  t.ok(await pending(originWrite), 'the origin’s write waits for the face’s transaction');
  await run(b, 'COMMIT');
  await originWrite;
  await run(a, 'COMMIT');
  await compare(t, owner, 'face first, origin second');
  const now = await owner
    .selectFrom('face_listings')
    .select(['local_title'])
    .where('placement_id', '=', row.placement_id)
    .executeTakeFirstOrThrow();
  t.equal(now.local_title, '又一个本地标题', 'the face’s headline survived the origin’s refresh');
});

t.test('the listing follows the declaration of the story’s texts', async (t) => {
  const tdb = await createDemoDatabase(t);
  const cols = await tdb.owner
    .selectFrom('information_schema.columns' as never)
    .select(sql<string>`column_name`.as('column_name'))
    .where(sql<boolean>`table_name = 'face_listings'`)
    .execute();
  const have = new Set(cols.map((c) => c.column_name));
  for (const f of STORY_TEXT_FIELDS) t.ok(have.has(f.column), `face_listings has ${f.column} (${f.label})`);
  const fn = await sql<{
    src: string;
  }>`SELECT prosrc AS src FROM pg_proc WHERE proname = 'face_listings_refresh'`.execute(tdb.owner);
  for (const f of STORY_TEXT_FIELDS) t.match(fn.rows[0]?.src ?? '', `r.${f.column}`, `the refresh copies ${f.column}`);
});

t.test('lists are one index range scan of the listing; a story page at most two queries', async (t) => {
  const tdb = await createDemoDatabase(t, 'newsroom');
  const { tenants } = tdb;
  const face = tenants.henan!.id;
  const some = await tdb.owner
    .selectFrom('face_listings')
    .select(['section_id', 'unit_id', 'story_id'])
    .where('tenant_id', '=', face)
    .executeTakeFirstOrThrow();
  const withUnit = await tdb.owner
    .selectFrom('face_listings')
    .select(['tenant_id', 'unit_id'])
    .where('unit_id', 'is not', null)
    .executeTakeFirstOrThrow();

  // every statement faceFeed / faceFeedCount send, with its parameters
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  const logged = new Kysely<Database>({
    dialect: new ScopedPostgresDialect({ pool: createPool(tdb.appUrl, { max: 2 }) }),
    log: (e) => void statements.push({ sql: e.query.sql, parameters: e.query.parameters }),
  });
  t.teardown(() => logged.destroy());

  const cases: [string, (trx: Trx) => Promise<unknown>, RegExp][] = [
    ['home (pins first)', (trx) => faceFeed(trx, face, { limit: 20 }), /face_listings_feed/],
    ['latest / RSS', (trx) => faceFeed(trx, face, { limit: 20, pinnedFirst: false }), /face_listings_latest/],
    [
      'section page',
      (trx) => faceFeed(trx, face, { sectionId: some.section_id, limit: 20, offset: 20 }),
      /face_listings_section/,
    ],
    ['section count', (trx) => faceFeedCount(trx, face, { sectionId: some.section_id }), /face_listings_section/],
    ['home count', (trx) => faceFeedCount(trx, face), /face_listings_(feed|latest|section|pkey)/],
  ];
  cases.push([
    'unit page',
    (trx) => faceFeed(trx, withUnit.tenant_id, { unitId: withUnit.unit_id, limit: 20 }),
    /face_listings_unit/,
  ]);
  cases.push(['tag page', (trx) => faceFeed(trx, face, { tag: '民生', limit: 20 }), /face_listings_feed/]);
  for (const [name, run, index] of cases) {
    const plan = await withPublic(logged, async (trx) => {
      const from = statements.length;
      await run(trx);
      const sent = statements.slice(from);
      t.equal(sent.length, 1, `${name}: one statement`);
      // small demo tables would be read whole: ask whether the index answers the query alone
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      await sql`SET LOCAL enable_bitmapscan = off`.execute(trx);
      const explained = await sql<{
        'QUERY PLAN': string;
      }>`EXPLAIN ${sql.raw(sent[0]!.sql.replace(/\$(\d+)/g, (_m, n: string) => lit(sent[0]!.parameters[Number(n) - 1])))}`.execute(
        trx,
      );
      return explained.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    t.comment(`${name}:\n${plan}`);
    t.match(plan, index, `${name}: ${index.source}`);
    const scans = plan.split('\n').filter((l) => /Scan/.test(l));
    t.equal(scans.length, 1, `${name}: one scan (${scans.map((s) => s.trim()).join(' | ')})`);
    t.match(scans[0] ?? '', /Index (Only )?Scan/, `${name}: an index scan`);
    t.notMatch(plan, /stories|story_revisions|placements|Sort/, `${name}: no join, no sort`);
  }

  // a story page: one query when live, two when retracted or missing
  const count = async (storyId: string): Promise<[number, string]> =>
    withPublic(logged, async (trx) => {
      const from = statements.length;
      const r = await storyOnFace(trx, face, storyId);
      return [statements.length - from, r.state];
    });
  t.same(await count(some.story_id), [1, 'live'], 'a live story page: one query');
  // a retraction (written as the owner here: the triggers keep the listing all the same)
  const other = await tdb.owner
    .selectFrom('face_listings')
    .select('story_id')
    .where('tenant_id', '=', face)
    .where('story_id', '<>', some.story_id)
    .where('origin_tenant_id', '=', face)
    .executeTakeFirstOrThrow();
  await tdb.owner
    .updateTable('stories')
    .set({ retracted_at: new Date(), retraction_reason: '测试撤稿' })
    .where('tenant_id', '=', face)
    .where('id', '=', other.story_id)
    .execute();
  t.same(await count(other.story_id), [2, 'retracted'], 'a retracted story page: two queries');
  t.same(await count('00000000-0000-4000-8000-000000000000'), [2, 'missing'], 'a missing story page: two queries');
});

t.test('isolation: another tenant reads none of a face’s listing rows and no one writes them', async (t) => {
  const tdb = await createDemoDatabase(t, 'newsroom');
  const { db, tenants } = tdb;
  const face = tenants.henan!.id;
  const other = tenants.ruyang!.id;
  const all = await tdb.owner
    .selectFrom('face_listings')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', face)
    .executeTakeFirstOrThrow();
  t.ok(Number(all.n) > 0, 'the face has listing rows');
  const seen = (scope: (fn: (trx: Trx) => Promise<number>) => Promise<number>) =>
    scope(async (trx) =>
      Number(
        (
          await trx
            .selectFrom('face_listings')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('tenant_id', '=', face)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
  t.equal(await seen((fn) => withTenant(db, face, fn)), Number(all.n), 'the face’s own tenant reads them all');
  t.equal(
    await seen((fn) => withPublic(db, fn)),
    Number(all.n),
    'the public (the portal) reads what the face publishes',
  );
  t.equal(await seen((fn) => withTenant(db, other, fn)), 0, 'another tenant reads none');
  t.equal(await withTenant(db, other, (trx) => faceFeedCount(trx, face)), 0, 'so its feed of that face is empty');
  t.same(await withTenant(db, other, (trx) => faceFeed(trx, face)), [], 'and lists nothing');

  await t.rejects(
    withTenant(db, face, (trx) => sql`UPDATE face_listings SET pinned = true WHERE tenant_id = ${face}`.execute(trx)),
    /permission denied/,
    'the face cannot write its rows directly',
  );
  await t.rejects(
    withTenant(db, other, (trx) => sql`DELETE FROM face_listings WHERE tenant_id = ${face}`.execute(trx)),
    /permission denied/,
    'nor can another tenant delete them',
  );
  await t.rejects(
    withPlatform(db, (trx) => sql`SELECT face_listings_rebuild()`.execute(trx)),
    /permission denied/,
    'the application cannot rebuild the listing',
  );
  await t.rejects(
    withPlatform(db, (trx) => sql`SELECT face_listings_refresh(ARRAY[]::uuid[])`.execute(trx)),
    /permission denied/,
    'nor refresh rows',
  );
});

function lit(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}
