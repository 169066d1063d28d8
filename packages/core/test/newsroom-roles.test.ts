import t from 'tap';
import { sql } from 'kysely';
import { withPlatform, withTenant } from '@yiduan/db';
import { createMemoryCache } from '@yiduan/cache';
import {
  accessFor,
  approveStep,
  createOrganisation,
  createSession,
  createStory,
  listStories,
  login,
  publishIfDue,
  publishStory,
  rejectStep,
  revokeAllSessions,
  revokeSession,
  saveRevision,
  sessionByToken,
  setStaffStatus,
  storyFor,
  submitForReview,
  SYSTEM_ACTOR,
  tenantsOfStaff,
  updateQualification,
} from '../src/index.js';
import {
  as,
  codeOf,
  grant,
  newStaff,
  newStory,
  newsroom,
  ownerStory,
  para,
  PASSWORD,
  review,
  storyInput,
} from './newsroom-fixture.js';

t.test('a reporter cannot sign, reject or publish; a junior role cannot sign a senior step', async (t) => {
  const w = await newsroom(t);
  const { story } = await newStory(w, w.staff.reporter, w.A, { sectionId: w.bendi.id });
  await as(w, w.staff.reporter, w.A, (trx, access, actor) => submitForReview(trx, access, actor, story.id));

  t.equal(
    await codeOf(as(w, w.staff.reporter, w.A, (trx, access, actor) => approveStep(trx, access, actor, story.id))),
    'FORBIDDEN',
    'reporter approves',
  );
  t.equal(
    await codeOf(
      as(w, w.staff.reporter, w.A, (trx, access, actor) => rejectStep(trx, access, actor, story.id, '不行')),
    ),
    'FORBIDDEN',
    'reporter rejects',
  );
  t.match(
    await as(w, w.staff.reviewer, w.A, (trx, access, actor) => approveStep(trx, access, actor, story.id)),
    { review_step: 2 },
    'a reviewer may sign the editor step (more senior)',
  );
  t.equal(
    await codeOf(as(w, w.staff.editor, w.A, (trx, access, actor) => approveStep(trx, access, actor, story.id))),
    'FORBIDDEN',
    'an editor cannot sign the reviewer step',
  );
  t.match(await ownerStory(w, story.id), { status: 'in_review', review_step: 2 }, 'nothing moved');

  for (const s of [w.staff.chief, w.staff.multi])
    await as(w, s, w.A, (trx, access, actor) => approveStep(trx, access, actor, story.id));
  t.equal((await ownerStory(w, story.id)).status, 'approved');
  t.equal(
    await codeOf(as(w, w.staff.reporter, w.A, (trx, access, actor) => publishStory(trx, access, actor, story.id))),
    'FORBIDDEN',
    'reporter publishes',
  );
  t.equal(
    await codeOf(as(w, w.staff.reviewer, w.A, (trx, access, actor) => publishStory(trx, access, actor, story.id))),
    'FORBIDDEN',
    'reviewer publishes',
  );
  t.equal((await ownerStory(w, story.id)).published_revision, null);
});

t.test("a county's reviewer can neither see nor act on a sibling county's story", async (t) => {
  const w = await newsroom(t);
  const { story } = await newStory(w, w.staff.editorB, w.B, { sectionId: w.sectionB.id });
  await as(w, w.staff.editorB, w.B, (trx, access, actor) => submitForReview(trx, access, actor, story.id));
  const reviewerA = w.staff.reviewer;

  // asking in B's scope: A's reviewer has no role there
  await as(w, reviewerA, w.B, async (trx, access) => {
    t.equal(access.member, false, 'no role in B');
    t.same(access.roles(), []);
  });
  t.equal(await codeOf(as(w, reviewerA, w.B, (trx, access) => storyFor(trx, access, story.id))), 'STORY_NOT_FOUND');
  t.equal(
    await codeOf(as(w, reviewerA, w.B, (trx, access, actor) => approveStep(trx, access, actor, story.id))),
    'STORY_NOT_FOUND',
  );
  t.equal(await codeOf(as(w, reviewerA, w.B, (trx, access) => listStories(trx, access, {}))), 'FORBIDDEN');
  // asking in A's scope with A's roles for B's story id
  t.equal(await codeOf(as(w, reviewerA, w.A, (trx, access) => storyFor(trx, access, story.id))), 'STORY_NOT_FOUND');
  t.equal(
    await codeOf(as(w, reviewerA, w.A, (trx, access, actor) => approveStep(trx, access, actor, story.id))),
    'STORY_NOT_FOUND',
  );
  t.equal(
    await codeOf(as(w, reviewerA, w.A, (trx, access, actor) => rejectStep(trx, access, actor, story.id, '越权'))),
    'STORY_NOT_FOUND',
  );

  // row-level security: B's unpublished rows do not exist in A's scope
  const seen = await withTenant(w.db, w.A.id, async (trx) => ({
    stories: (await trx.selectFrom('stories').select('id').where('id', '=', story.id).execute()).length,
    revisions: (await trx.selectFrom('story_revisions').select('number').where('story_id', '=', story.id).execute())
      .length,
    events: (await trx.selectFrom('review_events').select('id').where('story_id', '=', story.id).execute()).length,
    audit: (await trx.selectFrom('audit_log').select('id').where('target_id', '=', story.id).execute()).length,
    grants: (await trx.selectFrom('grants').select('id').where('tenant_id', '=', w.B.id).execute()).length,
    updated: Number(
      (await trx.updateTable('stories').set({ status: 'approved' }).where('id', '=', story.id).executeTakeFirst())
        .numUpdatedRows,
    ),
  }));
  t.same(seen, { stories: 0, revisions: 0, events: 0, audit: 0, grants: 0, updated: 0 });
  // ...while B itself sees them (the assertion above is not vacuous)
  const own = await withTenant(
    w.db,
    w.B.id,
    async (trx) => (await trx.selectFrom('stories').select('id').where('id', '=', story.id).execute()).length,
  );
  t.equal(own, 1);
  t.match(await ownerStory(w, story.id), { status: 'in_review', review_step: 1 }, 'untouched');
  // ...while B's own reviewer reaches it and may sign its editor step (a more senior role)
  t.match(await as(w, w.staff.reviewerB, w.B, (trx, access, actor) => approveStep(trx, access, actor, story.id)), {
    review_step: 2,
  });
});

t.test("a unit member sees and writes only their own unit's stories", async (t) => {
  const w = await newsroom(t);
  const member = w.staff.unitReporter;
  const mine = await newStory(w, member, w.A, { title: '教育局：秋季开学工作部署' });
  t.equal(mine.story.unit_id, w.unitX.id, "a unit member's story belongs to their unit without asking");
  const otherUnit = await newStory(w, w.staff.editor, w.A, { unitId: w.unitY.id, title: '城关镇草稿' });
  const centre = await newStory(w, w.staff.editor, w.A, { title: '中心草稿' });

  for (const [label, id] of [
    ['unit Y draft', otherUnit.story.id],
    ['centre draft', centre.story.id],
  ] as const) {
    t.equal(
      await codeOf(as(w, member, w.A, (trx, access) => storyFor(trx, access, id))),
      'STORY_NOT_FOUND',
      `storyFor ${label}`,
    );
    t.equal(
      await codeOf(as(w, member, w.A, (trx, access, actor) => saveRevision(trx, access, actor, id, storyInput()))),
      'STORY_NOT_FOUND',
      `save ${label}`,
    );
    t.equal(
      await codeOf(as(w, member, w.A, (trx, access, actor) => submitForReview(trx, access, actor, id))),
      'STORY_NOT_FOUND',
      `submit ${label}`,
    );
  }
  const listed = await as(w, member, w.A, (trx, access) => listStories(trx, access, { first: 50 }));
  t.same(
    listed.nodes.map((s) => s.id),
    [mine.story.id],
    'the list holds only unit X',
  );
  const filtered = await as(w, member, w.A, (trx, access) => listStories(trx, access, { unitId: w.unitY.id }));
  t.same(filtered.nodes, [], 'asking for unit Y explicitly gives nothing');
  const editorList = await as(w, w.staff.editor, w.A, (trx, access) => listStories(trx, access, { first: 50 }));
  t.equal(editorList.nodes.length, 3, 'a tenant-wide editor sees all three');

  t.equal(await codeOf(newStory(w, member, w.A, { unitId: w.unitY.id })), 'FORBIDDEN', 'cannot write in unit Y');
  t.equal(
    await codeOf(
      as(w, member, w.A, (trx, access, actor) =>
        saveRevision(trx, access, actor, mine.story.id, storyInput(), { unitId: w.unitY.id }),
      ),
    ),
    'FORBIDDEN',
    'cannot move a story to unit Y',
  );
  t.equal(
    await codeOf(
      as(w, member, w.A, (trx, access, actor) =>
        saveRevision(trx, access, actor, mine.story.id, storyInput(), { unitId: null }),
      ),
    ),
    'FORBIDDEN',
    'cannot move it out of the unit',
  );
  t.equal((await ownerStory(w, mine.story.id)).current_revision, 1);
  // a member of one unit only cannot draft a centre story either
  t.equal(
    await codeOf(
      as(w, member, w.A, (trx, access, actor) => createStory(trx, access, actor, { ...storyInput(), unitId: null })),
    ),
    'OK',
    'unitId null defaults to their unit',
  );
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stories WHERE unit_id IS NULL`.execute(
    w.owner,
  );
  t.equal(rows[0]!.n, 1, 'still only the centre story has no unit');
});

t.test("an operator organisation's staff lose access the moment the qualification expires", async (t) => {
  const w = await newsroom(t);
  const dates = (
    await sql<{ yesterday: string; today: string; next: string }>`
    WITH d AS (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS today)
    SELECT (today - 1)::text AS yesterday, today::text AS today, (today + 365)::text AS next FROM d`.execute(w.owner)
  ).rows[0]!;
  // qualifications run by Beijing dates (identity/repo.ts): between 16:00 and 24:00 UTC it is already tomorrow there
  const org = await withPlatform(w.db, (trx) =>
    createOrganisation(trx, SYSTEM_ACTOR, {
      name: '某某文化传媒有限公司',
      licenceNo: 'YY-2026-001',
      validUntil: dates.next,
    }),
  );
  const agent = await newStaff(w.db, 'agency-writer', '代运营编辑', { orgId: org.id });
  await grant(w.db, w.A.id, { orgId: org.id }, 'editor');

  const roles = () => as(w, agent, w.A, async (_trx, access) => access.roles());
  t.same(await roles(), ['editor'], 'valid qualification: the organisation grant counts');
  const { story } = await newStory(w, agent, w.A);
  t.same(
    (await withPlatform(w.db, (trx) => tenantsOfStaff(trx, agent))).map((g) => g.tenant_id),
    [w.A.id],
  );

  await withPlatform(w.db, (trx) => updateQualification(trx, SYSTEM_ACTOR, org.id, { validUntil: dates.yesterday }));
  t.same(await roles(), [], 'expired yesterday: no roles');
  t.equal(await codeOf(newStory(w, agent, w.A)), 'FORBIDDEN', 'createStory');
  t.equal(
    await codeOf(as(w, agent, w.A, (trx, access) => storyFor(trx, access, story.id))),
    'STORY_NOT_FOUND',
    'its own draft is out of reach',
  );
  t.equal(
    await codeOf(as(w, agent, w.A, (trx, access, actor) => saveRevision(trx, access, actor, story.id, storyInput()))),
    'STORY_NOT_FOUND',
  );
  t.equal(await codeOf(as(w, agent, w.A, (trx, access) => listStories(trx, access, {}))), 'FORBIDDEN');
  t.same(await withPlatform(w.db, (trx) => tenantsOfStaff(trx, agent)), [], 'the tenant switcher is empty');

  await withPlatform(w.db, (trx) => updateQualification(trx, SYSTEM_ACTOR, org.id, { validUntil: dates.today }));
  t.same(await roles(), ['editor'], 'valid through today (inclusive)');
  t.equal(await codeOf(newStory(w, agent, w.A)), 'OK', 'renewed: writes again');

  await withPlatform(w.db, (trx) => updateQualification(trx, SYSTEM_ACTOR, org.id, { status: 'suspended' }));
  t.same(await roles(), [], 'a suspended organisation grants nothing');
  await withPlatform(w.db, (trx) =>
    updateQualification(trx, SYSTEM_ACTOR, org.id, { status: 'active', validUntil: dates.next }),
  );
  t.same(await roles(), ['editor']);
});

t.test(
  'a platform operator cannot publish a story that has not passed review, even with the status forced',
  async (t) => {
    const w = await newsroom(t);
    const op = w.staff.operator;
    const { story } = await newStory(w, op, w.A, { sectionId: w.bendi.id });
    const publish = () => codeOf(as(w, op, w.A, (trx, access, actor) => publishStory(trx, access, actor, story.id)));
    t.equal(await publish(), 'REVIEW_NOT_PASSED', 'a draft');

    await w.owner
      .updateTable('stories')
      .set({ status: 'approved', review_revision: 1, review_steps: ['editor', 'reviewer', 'chief_editor'] })
      .where('id', '=', story.id)
      .execute();
    t.equal(await publish(), 'REVIEW_NOT_PASSED', 'status approved in SQL, no recorded approvals');

    // a real but partial review: submitted, one step approved, then the status is forced
    await w.owner
      .updateTable('stories')
      .set({ status: 'draft', review_revision: null, review_steps: null })
      .where('id', '=', story.id)
      .execute();
    await review(w, w.A, story.id, w.staff.editor, [w.staff.multi]);
    await w.owner
      .updateTable('stories')
      .set({ status: 'approved', review_step: null })
      .where('id', '=', story.id)
      .execute();
    t.equal(await publish(), 'REVIEW_NOT_PASSED', 'one of three steps recorded');

    // forced to 'scheduled' and due: the worker refuses too
    await w.owner
      .updateTable('stories')
      .set({ status: 'scheduled', scheduled_at: new Date(Date.now() - 60_000) })
      .where('id', '=', story.id)
      .execute();
    t.equal(
      await withPlatform(w.db, (trx) => publishIfDue(trx, SYSTEM_ACTOR, w.A.id, story.id, 1)),
      null,
      'publishIfDue',
    );
    t.equal(await publish(), 'REVIEW_NOT_PASSED', 'publishStory on the forced schedule');

    const after = await ownerStory(w, story.id);
    t.equal(after.published_revision, null, 'nothing public');
    t.equal(after.first_published_at, null);
    const publishes = await w.owner
      .selectFrom('review_events')
      .select('id')
      .where('story_id', '=', story.id)
      .where('action', '=', 'publish')
      .execute();
    t.same(publishes, []);
  },
);

t.test('disabled staff and revoked or expired sessions do not authenticate', async (t) => {
  const w = await newsroom(t);
  const cache = createMemoryCache({ prefix: `roles-${Math.random().toString(36).slice(2)}:` });
  t.teardown(() => cache.close());
  const who = w.staff.editor;
  const session = () => withPlatform(w.db, (trx) => createSession(trx, who.id, { ip: '10.0.0.1' }));
  const lookup = (token: string) => withPlatform(w.db, (trx) => sessionByToken(trx, token));

  const s1 = await session();
  const info = await lookup(s1.token);
  t.equal(info?.staff.id, who.id, 'a fresh session authenticates');
  await withPlatform(w.db, (trx) => revokeSession(trx, info!.sessionId));
  t.equal(await lookup(s1.token), null, 'revoked');

  const s2 = await session();
  await w.owner
    .updateTable('staff_sessions')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('staff_id', '=', who.id)
    .where('revoked_at', 'is', null)
    .execute();
  t.equal(await lookup(s2.token), null, 'expired');

  const s3 = await session();
  t.ok(await lookup(s3.token));
  await withPlatform(w.db, (trx) => setStaffStatus(trx, SYSTEM_ACTOR, who.id, 'disabled'));
  t.equal(await lookup(s3.token), null, 'disabled staff: sessions stop');
  const open = await w.owner
    .selectFrom('staff_sessions')
    .select('id')
    .where('staff_id', '=', who.id)
    .where('revoked_at', 'is', null)
    .execute();
  t.same(open, [], 'disabling revoked every session');
  const denied = await codeOf(
    withPlatform(w.db, (trx) => login(trx, cache, { login: who.login, password: PASSWORD, ip: '10.0.0.2' })),
  );
  t.equal(denied, 'LOGIN_FAILED', 'a disabled account cannot log in with the right password');

  await withPlatform(w.db, (trx) => setStaffStatus(trx, SYSTEM_ACTOR, who.id, 'active'));
  t.equal(await lookup(s3.token), null, 'enabling again does not revive old sessions');
  const fresh = await withPlatform(w.db, (trx) =>
    login(trx, cache, { login: who.login, password: PASSWORD, ip: '10.0.0.2' }),
  );
  t.equal((await lookup(fresh.token))?.staff.id, who.id, 'a new login works');

  const s4 = await session();
  const n = await withPlatform(w.db, (trx) => revokeAllSessions(trx, SYSTEM_ACTOR, who.id));
  t.equal(n, 2, 'revokeAllSessions counts the open ones');
  t.equal(await lookup(s4.token), null);
  t.equal(await lookup(fresh.token), null);
  t.equal(await lookup('x'.repeat(101)), null, 'an oversized token');
  t.equal(await lookup(''), null, 'an empty token');
});

t.test(
  'grants are per tenant: an editor of A is nobody in B, and accessFor in the wrong scope sees nothing',
  async (t) => {
    const w = await newsroom(t);
    // A's editor, B's tenant id, A's scope: RLS hides B's grants, so even a B grant would not leak here
    await grant(w.db, w.B.id, { staffId: w.staff.editor.id }, 'reporter');
    const wrongScope = await withTenant(w.db, w.A.id, async (trx) =>
      (await accessFor(trx, w.staff.editor, w.B.id)).roles(),
    );
    t.same(wrongScope, [], "B's grant is invisible in A's scope");
    const inB = await as(w, w.staff.editor, w.B, async (_trx, access) => access.roles());
    t.same(inB, ['reporter'], 'in B the editor of A is a reporter only');
    const { story } = await newStory(w, w.staff.editor, w.B, { body: [para('伊川稿件')] });
    t.equal(
      await codeOf(as(w, w.staff.editor, w.B, (trx, access, actor) => approveStep(trx, access, actor, story.id))),
      'INVALID_TRANSITION',
    );
    await as(w, w.staff.editor, w.B, (trx, access, actor) => submitForReview(trx, access, actor, story.id));
    t.equal(
      await codeOf(as(w, w.staff.editor, w.B, (trx, access, actor) => approveStep(trx, access, actor, story.id))),
      'FORBIDDEN',
      'no editor role in B',
    );
  },
);
