import t from 'tap';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createMemoryCache } from '@yiduan/cache';
import {
  Access,
  accessFor,
  approveStep,
  assignmentsOfTopics,
  listCampaigns,
  listGovAccounts,
  listTopics,
  checkerFor,
  createStory,
  isDomainError,
  login,
  publishStory,
  revisionFindings,
  staffActor,
  submitForReview,
  type Block,
} from '@yiduan/core';
import { withPlatform, withTenant, type DB } from '@yiduan/db';
import { createDemoDatabase, createTestDatabase } from '@yiduan/testkit';
import { DEMO_ACCOUNTS, DEMO_CITIZEN, DEMO_PASSWORD, DEMO_TREE, seedDemo } from '../src/index.js';

// the seed's second run over a whole demo province and the walk of every chain: on a loaded
// 2-core machine that can pass the suite's 120 s per-file default
t.setTimeout(300_000);

const COUNTIES = DEMO_TREE.filter((x) => x.level === 'county').map((x) => x.slug);

/** Rows any write of the seed adds to: a second run must leave them all as they were. */
async function footprint(owner: DB): Promise<number[]> {
  const r = await sql<{ n: number[] }>`SELECT ARRAY[
    (SELECT count(*) FROM tenants), (SELECT count(*) FROM staff), (SELECT count(*) FROM grants), (SELECT count(*) FROM sections),
    (SELECT count(*) FROM units), (SELECT count(*) FROM stories), (SELECT count(*) FROM review_events), (SELECT count(*) FROM assets),
    (SELECT count(*) FROM terminology_rules), (SELECT count(*) FROM audit_log), (SELECT count(*) FROM outbox)]::int[] AS n`.execute(
    owner,
  );
  return r.rows[0]!.n;
}

const countBy = async (owner: DB, table: 'sections' | 'units' | 'assets', tenantId: string): Promise<number> =>
  Number(
    (
      await owner
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow()
    ).n,
  );

t.test('the demo accounts: one per desk and tenant, unit members, the operator and the 代运营', async (t) => {
  const logins = DEMO_ACCOUNTS.map((a) => a.login);
  t.equal(new Set(logins).size, logins.length, 'logins are unique');
  for (const x of DEMO_TREE) {
    const roles = DEMO_ACCOUNTS.filter((a) => a.tenants.includes(x.slug) && !a.unit && !a.organisation)
      .map((a) => a.role)
      .sort();
    t.same(
      roles,
      ['chief_editor', 'editor', 'editor', 'reporter', 'reviewer', 'tenant_admin'],
      `${x.slug} has every desk, two editors`,
    );
  }
  t.ok(DEMO_ACCOUNTS.some((a) => a.login === 'ruyang-jiaoyu' && a.unit === '汝阳县教育局' && a.role === 'reporter'));
  t.match(
    DEMO_ACCOUNTS.find((a) => a.login === 'zhongyuan-ops'),
    { role: 'editor', tenants: ['zhecheng', 'yichuan'], organisation: '中原数字传媒服务有限公司' },
  );
  t.match(
    DEMO_ACCOUNTS.find((a) => a.login === 'operator'),
    { role: 'operator', tenants: [] },
  );
});

t.test('a living newsroom, seeded once, with pictures on disk', async (t) => {
  // the pictured demo template was seeded by this same seedDemo (a failing seed fails every
  // test that needs the demo); here it is checked, and seeded again to show that writes nothing
  const tdb = await createDemoDatabase(t, 'pictures');
  const { storage } = tdb;
  const first = { tenants: tdb.tenants, staff: tdb.staff };
  t.equal(Object.keys(first.staff).length, DEMO_ACCOUNTS.length, 'every demo account exists');
  t.equal(first.staff.operator!.is_operator, true);

  const before = await footprint(tdb.owner);
  const again = await seedDemo(tdb.db, { storage });
  t.equal(again.created, false, 'the second run finds the province');
  t.same(Object.keys(again.tenants).sort(), Object.keys(first.tenants).sort());
  t.same(Object.keys(again.staff).sort(), Object.keys(first.staff).sort(), 'and returns the same accounts');
  t.same(await footprint(tdb.owner), before, 'and writes nothing');

  const now = Date.now();
  for (const x of DEMO_TREE) {
    const id = first.tenants[x.slug]!.id;
    const sections = await tdb.owner
      .selectFrom('sections')
      .select(['slug', 'name', 'position', 'review_steps'])
      .where('tenant_id', '=', id)
      .orderBy('position')
      .execute();
    t.same(
      sections.map((s) => `${s.position}:${s.slug}:${s.name}`),
      ['10:bendi:本地', '20:zhengwu:政务', '30:minsheng:民生', '40:wenlv:文旅'],
      `${x.slug} sections`,
    );
    const chain = await tdb.owner
      .selectFrom('review_chains')
      .select('steps')
      .where('tenant_id', '=', id)
      .executeTakeFirstOrThrow();
    t.same(chain.steps, ['editor', 'reviewer', 'chief_editor'], `${x.slug} chain`);
    const units = await countBy(tdb.owner, 'units', id);
    t.ok(
      x.level === 'county' ? units >= 2 && units <= 3 : x.level === 'city' ? units >= 1 && units <= 2 : units <= 1,
      `${x.slug} has ${units} units`,
    );
    const grants = await tdb.owner
      .selectFrom('grants')
      .select(['role', 'unit_id', 'org_id'])
      .where('tenant_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    t.equal(grants.filter((g) => !g.unit_id && !g.org_id).length, 6, `${x.slug}: six desks`);
    if (x.level === 'county')
      t.equal(
        grants.filter((g) => g.unit_id && g.role === 'reporter').length,
        units,
        `${x.slug}: one unit member per unit`,
      );
    t.equal(
      grants.filter((g) => g.org_id).length,
      ['zhecheng', 'yichuan'].includes(x.slug) ? 1 : 0,
      `${x.slug}: the 代运营's grant`,
    );

    const stories = await tdb.owner.selectFrom('stories').selectAll().where('tenant_id', '=', id).execute();
    // content moved in from a closed account (关停并转) keeps its original dates: not part of the month's news
    const moved = new Set(
      (
        await tdb.owner.selectFrom('gov_account_closure_items').select('story_id').where('tenant_id', '=', id).execute()
      ).map((r) => r.story_id),
    );
    const published = stories.filter((s) => s.status === 'published' && !moved.has(s.id));
    t.ok(published.length >= (x.level === 'province' ? 10 : 18), `${x.slug}: ${published.length} published`);
    const times = published.map((s) => s.published_at!.getTime());
    t.ok(
      Math.max(...times) <= now &&
        Math.min(...times) < now - 20 * 86400_000 &&
        Math.min(...times) > now - 31 * 86400_000,
      `${x.slug}: published over the last month`,
    );
    t.ok(
      published.every(
        (s) => s.first_published_at?.getTime() === s.published_at?.getTime() && s.created_at < s.published_at!,
      ),
      `${x.slug}: written before published`,
    );
    t.equal(await countBy(tdb.owner, 'assets', id), 6, `${x.slug}: six pictures`);
  }

  for (const slug of COUNTIES) {
    const id = first.tenants[slug]!.id;
    const stories = await tdb.owner.selectFrom('stories').selectAll().where('tenant_id', '=', id).execute();
    const by = (status: string) => stories.filter((s) => s.status === status);
    t.ok(by('published').length >= 10, `${slug}: at least 10 published`);
    t.ok(by('draft').length >= 3, `${slug}: drafts, the rejected one among them`);
    t.match(by('in_review'), [{ review_step: 2 }], `${slug}: one story waits at step 2`);
    t.equal(by('scheduled').length, 1);
    t.ok(by('scheduled')[0]!.scheduled_at!.getTime() > now, `${slug}: scheduled for later`);
    const rejects = await tdb.owner
      .selectFrom('review_events')
      .select(['comment', 'step'])
      .where('tenant_id', '=', id)
      .where('action', '=', 'reject')
      .execute();
    t.match(rejects, [{ step: 2, comment: /\S/ }], `${slug}: one rejection with its reason`);
    const corrections = await tdb.owner
      .selectFrom('story_corrections')
      .select('note')
      .where('tenant_id', '=', id)
      .execute();
    t.equal(corrections.length, 1, `${slug}: one correction note`);
    const units = await tdb.owner
      .selectFrom('stories')
      .select('unit_id')
      .where('tenant_id', '=', id)
      .where('unit_id', 'is not', null)
      .execute();
    t.ok(units.length >= 4, `${slug}: units write too`);
  }

  // every published story went through the whole chain: submit, each step once by someone else, publish
  const ruyangWenlv = await tdb.owner
    .selectFrom('sections')
    .select('id')
    .where('tenant_id', '=', first.tenants.ruyang!.id)
    .where('slug', '=', 'wenlv')
    .executeTakeFirstOrThrow();
  const published = await tdb.owner
    .selectFrom('stories')
    .select(['id', 'section_id', 'created_by'])
    .where('status', '=', 'published')
    .execute();
  const events = await tdb.owner
    .selectFrom('review_events')
    .select(['story_id', 'action', 'step', 'actor_id'])
    .where(
      'story_id',
      'in',
      published.map((s) => s.id),
    )
    .orderBy('id')
    .execute();
  let wrong = 0;
  let twoStep = 0;
  for (const s of published) {
    const own = events.filter((e) => e.story_id === s.id);
    const steps = s.section_id === ruyangWenlv.id ? 2 : 3;
    if (steps === 2) twoStep++;
    const expected = ['submit', ...Array.from({ length: steps }, (_, i) => `approve${i + 1}`), 'publish'];
    const actual = own
      .filter((e) => e.action !== 'correct')
      .map((e) => (e.action === 'approve' ? `approve${e.step}` : e.action));
    const signers = own.filter((e) => e.action === 'approve').map((e) => e.actor_id);
    const fourEyes =
      new Set(signers).size === signers.length &&
      !signers.includes(own[0]!.actor_id) &&
      own[0]!.actor_id === s.created_by;
    if (JSON.stringify(actual) !== JSON.stringify(expected) || !fourEyes) wrong++;
  }
  t.equal(wrong, 0, `all ${published.length} published stories passed the chain in order, four eyes kept`);
  t.ok(twoStep > 0, 'the 汝阳 文旅 override signs in two steps');

  // videos: a county's vertical short as a video story, and the province's video story placed on every county
  const videoStories = await sql<{ tenant_id: string; kind: string; id: string; vertical: boolean }>`
    SELECT s.tenant_id, s.kind, s.id, v.source_height > v.source_width AS vertical
      FROM stories s
      JOIN story_revisions r ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.published_revision
      CROSS JOIN LATERAL jsonb_array_elements(r.body) b
      JOIN videos v ON v.id::text = b->>'videoId' AND v.status = 'ready'
     WHERE s.status = 'published' AND b->>'type' = 'video'`.execute(tdb.owner);
  const short = videoStories.rows.find((x) => x.tenant_id === first.tenants.ruyang!.id);
  t.match(short, { kind: 'video', vertical: true }, "汝阳's vertical short is a published video story");
  const provincial = videoStories.rows.find((x) => x.tenant_id === first.tenants.henan!.id);
  t.ok(provincial, "the province's video is in a published story");
  const carried = await tdb.owner
    .selectFrom('face_listings')
    .select('tenant_id')
    .where('story_id', '=', provincial?.id ?? '00000000-0000-0000-0000-000000000000')
    .execute();
  t.same(
    new Set(carried.map((c) => c.tenant_id)),
    new Set([first.tenants.henan!.id, ...COUNTIES.map((c) => first.tenants[c]!.id)]),
    'and every county face lists it, by reference',
  );

  // pictures: rows, files, the province's shared one, and the stories use them
  const assets = await tdb.owner.selectFrom('assets').selectAll().execute();
  for (const a of assets) if (!(await storage.exists(a.storage_key))) t.fail(`missing file for ${a.storage_key}`);
  t.match(assets[0], { mime: 'image/png', width: 1200, height: 675 });
  t.same(
    assets.filter((a) => a.shared).map((a) => a.tenant_id),
    [first.tenants.henan!.id],
    'the province shares one picture',
  );
  // the closure's notice and the content moved in (关停并转) are text only
  const textOnly = [
    ...(await tdb.owner.selectFrom('gov_account_closure_items').select('story_id').execute()).map((r) => r.story_id),
    ...(await tdb.owner.selectFrom('gov_account_closures').select('notice_story_id').execute()).flatMap((r) =>
      r.notice_story_id ? [r.notice_story_id] : [],
    ),
  ];
  const revisions = (
    await tdb.owner.selectFrom('story_revisions').select(['tenant_id', 'story_id', 'cover_asset_id', 'body']).execute()
  ).filter((r) => !textOnly.includes(r.story_id));
  const byId = new Map(assets.map((a) => [a.id, a]));
  const used = revisions.flatMap((r) => [
    r.cover_asset_id,
    ...(r.body as Block[]).flatMap((b) => (b.type === 'image' ? [b.assetId] : [])),
  ]);
  t.ok(used.length > revisions.length, 'covers and image blocks');
  t.ok(
    used.every((id) => id && byId.get(id)),
    'every picture a story uses exists',
  );

  // nothing published trips the dictionary, not even a warning; the unfinished drafts do
  const findings = await withPlatform(tdb.db, async (trx) => {
    const rows = await trx
      .selectFrom('stories as s')
      .innerJoin('story_revisions as r', (j) =>
        j.onRef('r.story_id', '=', 's.id').onRef('r.number', '=', 's.current_revision'),
      )
      .select(['s.tenant_id', 's.status', 'r.title', 'r.subtitle', 'r.summary', 'r.body'])
      .execute();
    const out: { status: string; n: number }[] = [];
    for (const r of rows)
      out.push({ status: r.status, n: revisionFindings(await checkerFor(trx, r.tenant_id), r).length });
    return out;
  });
  t.equal(findings.filter((f) => f.status !== 'draft' && f.n > 0).length, 0, 'no findings outside drafts');
  t.ok(
    findings.some((f) => f.status === 'draft' && f.n > 0),
    'some drafts show warnings',
  );
  const rules = await tdb.owner.selectFrom('terminology_rules').select(['tenant_id', 'severity']).execute();
  t.ok(
    rules.filter((r) => r.tenant_id === first.tenants.henan!.id && r.severity === 'block').length >= 3,
    'the province blocks political wordings',
  );
  t.ok(
    rules.some((r) => r.tenant_id === first.tenants.ruyang!.id),
    'a county adds its own',
  );

  // the accounts work: a password login, the 代运营 through its organisation, a unit member within the unit
  const cache = createMemoryCache({ prefix: `yd-demo-test-${randomBytes(4).toString('hex')}:` });
  t.teardown(() => cache.close());
  const session = await withPlatform(tdb.db, (trx) =>
    login(trx, cache, { login: 'ruyang-editor', password: DEMO_PASSWORD, ip: '127.0.0.1' }),
  );
  t.equal(session.staff.login, 'ruyang-editor');
  t.ok(session.token.length > 20);
  const ops = await withTenant(tdb.db, first.tenants.zhecheng!.id, (trx) =>
    accessFor(trx, first.staff['zhongyuan-ops']!, first.tenants.zhecheng!.id),
  );
  t.ok(ops.has('editor') && !ops.has('chief_editor'), 'the 代运营 edits in 柘城');
  const member = await withTenant(tdb.db, first.tenants.ruyang!.id, (trx) =>
    accessFor(trx, first.staff['ruyang-jiaoyu']!, first.tenants.ruyang!.id),
  );
  t.equal(member.unitScope?.length, 1, 'a unit member sees only the unit');
});

t.test('without storage: the same newsroom, no pictures; every chain walkable by the tenant’s own staff', async (t) => {
  // the newsroom demo template is seedDemo's run without storage
  const tdb = await createDemoDatabase(t, 'newsroom');
  const { tenants, staff } = tdb;
  t.equal(Object.keys(staff).length, DEMO_ACCOUNTS.length);
  t.equal(
    Number(
      (
        await tdb.owner
          .selectFrom('assets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    0,
  );
  const revisions = await tdb.owner.selectFrom('story_revisions').select(['cover_asset_id', 'body']).execute();
  t.ok(
    revisions.every((r) => r.cover_asset_id === null && (r.body as Block[]).every((b) => b.type !== 'image')),
    'no covers, no image blocks',
  );
  for (const slug of COUNTIES) {
    const n = await tdb.owner
      .selectFrom('stories')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenants[slug]!.id)
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    t.ok(Number(n.n) >= 10, `${slug}: published stories`);
  }
  // content connectivity: a mandatory push on every county, an offer waiting in 汝阳, a pull up
  const placements = await tdb.owner
    .selectFrom('placements')
    .select(['tenant_id', 'origin_tenant_id', 'mode', 'status', 'mandatory'])
    .where('mode', '<>', 'own')
    .execute();
  const province = tenants.henan!.id;
  for (const slug of COUNTIES) {
    t.ok(
      placements.some(
        (p) =>
          p.tenant_id === tenants[slug]!.id &&
          p.origin_tenant_id === province &&
          p.mode === 'pushed' &&
          p.mandatory &&
          p.status === 'active',
      ),
      `${slug} carries the mandatory push`,
    );
  }
  t.ok(
    placements.some((p) => p.tenant_id === tenants.ruyang!.id && p.mode === 'offered' && p.status === 'pending'),
    'an offer waits in 汝阳’s inbox',
  );
  t.ok(
    placements.some(
      (p) =>
        p.tenant_id === province &&
        p.origin_tenant_id === tenants.ruyang!.id &&
        p.mode === 'pulled' &&
        p.status === 'active',
    ),
    'a 汝阳 story is pulled up to the province',
  );

  // user connectivity: the demo citizen follows several faces; comments and messages in every state
  const demo = await tdb.owner
    .selectFrom('citizens')
    .select(['id', 'password_hash'])
    .where('phone', '=', DEMO_CITIZEN.phone)
    .executeTakeFirstOrThrow();
  t.ok(demo.password_hash, 'the demo citizen can sign in with the demo password');
  const follows = await tdb.owner
    .selectFrom('memberships')
    .select('tenant_id')
    .where('citizen_id', '=', demo.id)
    .where('ended_at', 'is', null)
    .execute();
  t.ok(new Set(follows.map((f) => f.tenant_id)).size >= 3, 'and follows at least three faces');
  const commentStates = new Set(
    (await tdb.owner.selectFrom('comments').select('status').execute()).map((c) => c.status),
  );
  t.same(
    [...commentStates].sort(),
    ['approved', 'hidden', 'pending', 'rejected'],
    'comments in every moderation state',
  );
  const messages = await tdb.owner
    .selectFrom('citizen_messages')
    .select(['status', 'due_at', 'reply_public', 'rating'])
    .execute();
  t.same(
    [...new Set(messages.map((m) => m.status))].sort(),
    ['assigned', 'closed', 'received', 'replied'],
    'messages in every handling state',
  );
  t.ok(
    messages.some((m) => m.status === 'received' && m.due_at.getTime() < Date.now()),
    'one of them overdue',
  );
  t.ok(
    messages.some((m) => m.reply_public && m.rating),
    'a public, rated reply',
  );

  // the registry of government new-media accounts: a few dozen, zombies, duplicates, an expired operator
  const registry = await withTenant(tdb.db, province, (trx) =>
    listGovAccounts(
      trx,
      new Access(province, staff['henan-editor']!, new Set(['editor']), new Map()),
      province,
      {},
      { first: 500 },
    ),
  );
  t.ok(registry.total >= 30, `${registry.total} accounts in the province's registry`);
  t.ok(new Set(registry.items.map((a) => a.tenantId)).size >= 6, 'across counties and cities');
  t.ok(new Set(registry.items.map((a) => a.platform)).size >= 7, 'across platforms');
  t.ok(registry.items.filter((a) => a.health === 'zombie').length >= 4, 'some zombie');
  t.ok(registry.items.filter((a) => a.duplicate).length >= 4, 'some duplicated');
  t.ok(
    registry.items.some((a) => a.status === 'closed') && registry.items.some((a) => a.status === 'merged'),
    'one closed, one merged',
  );
  const expired = await tdb.owner
    .selectFrom('organisations')
    .select('id')
    .where('valid_until', '<', sql<string>`current_date`)
    .execute();
  t.equal(
    registry.items.filter((a) => expired.some((o) => o.id === a.operatorOrgId)).length,
    1,
    'one outsourced to an operator whose qualification expired',
  );
  // one account mid-closure, its notice published on 汝阳's face, its content moved in with original dates
  const closures = await tdb.owner
    .selectFrom('gov_account_closures')
    .select(['tenant_id', 'status', 'notice_story_id', 'notice_published_at'])
    .execute();
  t.match(
    closures,
    [{ tenant_id: tenants.ruyang!.id, status: 'noticed', notice_story_id: /\S/, notice_published_at: Date }],
    'one account mid-closure with its notice out',
  );
  t.equal(
    registry.items.find((a) => a.handle === 'ry_jyfw')?.status,
    'closing',
    'the account stays on the watch list as 关停中',
  );
  const items = await tdb.owner
    .selectFrom('gov_account_closure_items')
    .select(['original_at', 'published_at'])
    .execute();
  t.ok(
    items.length === 3 && items.every((i) => i.published_at !== null && i.original_at.getTime() < Date.now()),
    'its content imported and published',
  );
  t.equal(
    (await tdb.owner.selectFrom('content_redirects').select('path').execute()).length,
    1,
    'one old address redirects',
  );

  // the planning desk: a winter campaign reaching down, desk assignments answered down the tree, proposals, pitches
  const hnEditor = new Access(province, staff['henan-editor']!, new Set(['editor']), new Map());
  const plan = await withTenant(tdb.db, province, async (trx) => ({
    campaigns: await listCampaigns(trx, hnEditor),
    board: await listTopics(trx, hnEditor, { subtree: true }, { first: 200 }),
  }));
  t.same(
    plan.campaigns.map((c) => [c.title, c.status, c.reach]).sort(),
    [
      ['2026年“三夏”生产报道', 'closed', 'subtree'],
      ['岁末年初 · 民生温度', 'open', 'subtree'],
      ['黄河流域生态保护沿线行', 'open', 'list'],
      ['省台跨年晚会宣传', 'open', 'own'],
    ].sort(),
  );
  const river = plan.campaigns.find((c) => c.reach === 'list')!;
  t.equal(river.shareTenantIds.length, 3, 'the list campaign names 洛阳, 汝阳 and 伊川');
  const seenBy = async (slug: string) =>
    (
      await withTenant(tdb.db, tenants[slug]!.id, (trx) =>
        listCampaigns(trx, new Access(tenants[slug]!.id, staff['henan-editor']!, new Set(['editor']), new Map())),
      )
    ).some((c) => c.id === river.id);
  t.equal(await seenBy('ruyang'), true, 'a listed county sees the list campaign');
  t.equal(await seenBy('zhecheng'), false, 'a county not on the list does not');
  const statuses = new Set(plan.board.items.map((x) => x.status));
  t.same(
    [...statuses].sort(),
    ['declined', 'done', 'planned', 'proposed'],
    'topics in every working state across the province',
  );
  t.ok(
    plan.board.items.some((x) => x.origin === 'assignment' && x.tenantName === '伊川县') === false,
    '伊川 has not answered 洛阳 yet',
  );
  const heating = plan.board.items.find((x) => x.tenantName === '河南' && x.title === '冬季清洁取暖保供一线')!;
  const progress = (
    await withTenant(tdb.db, province, (trx) => assignmentsOfTopics(trx, [{ tenantId: province, topicId: heating.id }]))
  ).get(heating.id)!;
  t.same(
    progress.map((a) => [a.assigneeName, a.progress]).sort(),
    [
      ['商丘', 'pending'],
      ['汝阳县', 'published'],
      ['洛阳', 'accepted'],
      [DEMO_ACCOUNTS.find((a) => a.login === 'henan-reporter')!.name, 'pending'],
    ].sort(),
    'the province sees 汝阳’s published story on its assignment',
  );
  const pitches = await tdb.owner.selectFrom('pitches').select(['status']).execute();
  t.same(
    pitches.map((p) => p.status).sort(),
    ['accepted', 'declined', 'pending'],
    'a pitch waiting, one accepted, one declined',
  );
  t.ok(
    plan.board.items.some((x) => x.overdue),
    'an assignment past its due time',
  );

  // every demo tenant's chain can be walked by its own staff for a story its editor wrote, in every section
  // (a step may be signed by its role or a more senior one; never by the writer, never twice by one person)
  for (const x of DEMO_TREE) {
    const tenantId = tenants[x.slug]!.id;
    // the tenant's own desk, lowest seniority first: no unit members, no 代运营, no operator
    const own = DEMO_ACCOUNTS.filter(
      (a) => a.tenants.length === 1 && a.tenants[0] === x.slug && !a.unit && !a.organisation,
    );
    const sections = await tdb.owner
      .selectFrom('sections')
      .select(['id', 'slug'])
      .where('tenant_id', '=', tenantId)
      .orderBy('position')
      .execute();
    for (const section of sections) {
      const writer = staff[`${x.slug}-editor`]!;
      const walked = await withTenant(tdb.db, tenantId, async (trx) => {
        const as = async (login: string) => ({
          access: await accessFor(trx, staff[login]!, tenantId),
          actor: staffActor(staff[login]!),
        });
        const w = await as(writer.login);
        const { story } = await createStory(trx, w.access, w.actor, {
          kind: 'article',
          title: `${x.slug} 编辑自写稿件`,
          body: [{ type: 'paragraph', text: '编辑本人撰写的稿件。' }],
          sectionId: section.id,
        });
        let state = await submitForReview(trx, w.access, w.actor, story.id);
        const signers: string[] = [];
        while (state.status === 'in_review') {
          let signed = false;
          for (const a of own) {
            const who = await as(a.login);
            try {
              state = await approveStep(trx, who.access, who.actor, story.id);
            } catch (err) {
              if (isDomainError(err) && (err.code === 'FORBIDDEN' || err.code === 'REVIEW_CONFLICT')) continue;
              throw err;
            }
            signers.push(a.login);
            signed = true;
            break;
          }
          if (!signed) return { status: state.status, step: state.review_step, signers };
        }
        const live = await publishStory(trx, w.access, w.actor, story.id);
        return { status: live.status, step: null, signers };
      });
      t.equal(
        walked.status,
        'published',
        `${x.slug}/${section.slug}: signed by ${walked.signers.join(', ')}${walked.step ? `, stuck at step ${walked.step}` : ''}`,
      );
      t.notOk(walked.signers.includes(writer.login), `${x.slug}/${section.slug}: the writer signed nothing`);
      t.equal(new Set(walked.signers).size, walked.signers.length, `${x.slug}/${section.slug}: one step each`);
    }
  }
});

t.test('withContent: false seeds only tenants, domains and faces', async (t) => {
  const tdb = await createTestDatabase(t);
  const { created, tenants, staff } = await seedDemo(tdb.db, { withContent: false, domainSuffix: 'example.test' });
  t.equal(created, true);
  t.equal(Object.keys(tenants).length, DEMO_TREE.length);
  t.same(staff, {});
  t.same((await footprint(tdb.owner)).slice(0, 9), [DEMO_TREE.length, 0, 0, 0, 0, 0, 0, 0, 0]);
  const host = await tdb.owner
    .selectFrom('tenant_domains')
    .select('host')
    .where('tenant_id', '=', tenants.ruyang!.id)
    .executeTakeFirstOrThrow();
  t.equal(host.host, 'ruyang.example.test');
});
