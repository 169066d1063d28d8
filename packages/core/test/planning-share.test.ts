import t from 'tap';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { withPlatform, withTenant, type Trx } from '@yiduan/db';
import {
  answerAssignment,
  assignTopic,
  campaignById,
  createCampaign,
  createTopic,
  incomingAssignments,
  listCampaigns,
  listTopics,
  updateCampaign,
} from '../src/index.js';
import { failure, inHours, planningWorld, reasonOf, type Person } from './planning-fixture.js';

// Issue #20, Build 1: a campaign shared by level or by list, enforced by row-level security and
// triggers, validated in the service; and the coverage state of another tenant's row, which the
// assignee tenant may not write (review finding).

t.test('campaigns shared by level and by list; the coverage state is not the assignee tenant’s to write', async (t) => {
  const { db, id, person, as } = await planningWorld(t);
  const raw = <T>(slug: string, fn: (trx: Trx) => Promise<T>): Promise<T> => withTenant(db, id(slug), fn);

  const hnChief = await person('hn-chief', 'henan', ['chief_editor', 'editor']);
  const lyChief = await person('ly-chief', 'luoyang', ['chief_editor', 'editor']);
  const ryEditor = await person('ry-editor', 'ruyang', ['editor']);
  const ycEditor = await person('yc-editor', 'yichuan', ['editor']);
  const zcEditor = await person('zc-editor', 'zhecheng', ['editor']);
  const sees = async (p: Person, campaignId: string) =>
    (await as(p, (trx, a) => listCampaigns(trx, a))).some((c) => c.id === campaignId);
  const campaignCount = () =>
    withPlatform(
      db,
      async (trx) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM campaigns`.execute(trx)).rows[0]!.n,
    );
  const shareCount = () =>
    withPlatform(
      db,
      async (trx) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM campaign_shares`.execute(trx)).rows[0]!.n,
    );

  // ---- validation: a list names proper descendants only, a level needs one; nothing written when refused
  const before = await campaignCount();
  t.equal(
    reasonOf(
      await failure(
        as(lyChief, (trx, a, actor) =>
          createCampaign(trx, a, actor, { title: 'x', reach: 'list', shareTenantIds: [id('ruyang'), id('zhecheng')] }),
        ),
      ),
    ),
    'SHARE_INVALID',
    'a county of another city is not on 洛阳’s list',
  );
  const err = await failure(
    as(hnChief, (trx, a, actor) =>
      createCampaign(trx, a, actor, { title: 'x', reach: 'list', shareTenantIds: [id('henan')] }),
    ),
  );
  t.equal(reasonOf(err), 'SHARE_INVALID', 'the owner itself is no descendant');
  t.equal((err as { code?: string }).code, 'BAD_USER_INPUT', 'a bad-input code for the API');
  t.equal(
    reasonOf(
      await failure(
        as(hnChief, (trx, a, actor) =>
          createCampaign(trx, a, actor, { title: 'x', reach: 'list', shareTenantIds: [randomUUID()] }),
        ),
      ),
    ),
    'SHARE_INVALID',
    'an unknown tenant',
  );
  t.equal(
    reasonOf(
      await failure(as(hnChief, (trx, a, actor) => createCampaign(trx, a, actor, { title: 'x', reach: 'list' }))),
    ),
    'SHARE_INVALID',
    'an empty list',
  );
  t.equal(
    reasonOf(
      await failure(as(hnChief, (trx, a, actor) => createCampaign(trx, a, actor, { title: 'x', reach: 'level' }))),
    ),
    'SHARE_INVALID',
    'a level campaign without its level',
  );
  t.equal(
    reasonOf(
      await failure(
        as(hnChief, (trx, a, actor) =>
          createCampaign(trx, a, actor, { title: 'x', reach: 'level', reachLevel: 'province' as never }),
        ),
      ),
    ),
    'PLANNING_INVALID',
    'a province is no level to share with',
  );
  t.equal(
    reasonOf(
      await failure(
        as(lyChief, (trx, a, actor) =>
          createCampaign(trx, a, actor, { title: 'x', reach: 'level', reachLevel: 'city' }),
        ),
      ),
    ),
    'SHARE_INVALID',
    'a city has no cities below it',
  );
  t.equal(await campaignCount(), before, 'no campaign written by a refused share');
  t.equal(await shareCount(), 0, 'nor any share row');
  t.equal(
    reasonOf(
      await failure(
        raw('henan', (trx) =>
          sql`INSERT INTO campaigns (tenant_id, title, reach) VALUES (${id('henan')}, 'x', 'level')`.execute(trx),
        ),
      ),
    ),
    '23514',
    'the database refuses a level campaign without its level',
  );

  // ---- by level: every county of the province, no city
  const counties = await as(hnChief, (trx, a, actor) =>
    createCampaign(trx, a, actor, { title: '县级融媒联动', reach: 'level', reachLevel: 'county' }),
  );
  t.match(counties, { reach: 'level', reachLevel: 'county', shareTenantIds: [] });
  t.equal(await sees(ryEditor, counties.id), true, 'a county sees a campaign shared with all counties');
  t.equal(await sees(zcEditor, counties.id), true, 'so does a county of another city');
  t.equal(await sees(lyChief, counties.id), false, 'a city does not');

  // ---- by list: 洛阳 and 汝阳 only
  const river = await as(hnChief, (trx, a, actor) =>
    createCampaign(trx, a, actor, {
      title: '黄河沿线行',
      reach: 'list',
      shareTenantIds: [id('ruyang'), id('luoyang')],
    }),
  );
  t.match(river, { reach: 'list', reachLevel: null });
  t.same([...river.shareTenantIds].sort(), [id('ruyang'), id('luoyang')].sort(), 'the owner reads its whole list');
  t.equal(await sees(ryEditor, river.id), true, 'a listed county sees it');
  t.equal(await sees(lyChief, river.id), true, 'a listed city sees it');
  t.equal(await sees(ycEditor, river.id), false, 'a county not on the list does not, though its city is listed');
  t.equal(await sees(zcEditor, river.id), false, 'nor a county elsewhere');
  t.equal(
    reasonOf(await failure(as(ycEditor, (trx, a) => campaignById(trx, a, river.id)))),
    'CAMPAIGN_NOT_FOUND',
    'nor by its id',
  );
  t.same(
    (await as(ryEditor, (trx, a) => campaignById(trx, a, river.id))).shareTenantIds,
    [id('ruyang')],
    'a listed tenant reads its own row of the list, not the others’',
  );
  // past the code: row-level security
  t.equal(
    (await raw('yichuan', (trx) => sql`SELECT id FROM campaigns WHERE id = ${river.id}`.execute(trx))).rows.length,
    0,
    'SQL under 伊川’s scope: the campaign is not there',
  );
  t.equal(
    (await raw('yichuan', (trx) => sql`SELECT * FROM campaign_shares WHERE campaign_id = ${river.id}`.execute(trx)))
      .rows.length,
    0,
    'nor its list',
  );
  t.equal(
    (await raw('ruyang', (trx) => sql`SELECT * FROM campaign_shares WHERE campaign_id = ${river.id}`.execute(trx))).rows
      .length,
    1,
    '汝阳 reads its own share row only',
  );
  t.equal(
    reasonOf(
      await failure(
        raw('ruyang', (trx) =>
          sql`INSERT INTO campaign_shares (tenant_id, campaign_id, share_tenant_id) VALUES (${id('henan')}, ${river.id}, ${id('yichuan')})`.execute(
            trx,
          ),
        ),
      ),
    ),
    '42501',
    'a listed county cannot widen the list',
  );
  t.equal(
    reasonOf(
      await failure(
        raw('henan', (trx) =>
          sql`INSERT INTO campaign_shares (tenant_id, campaign_id, share_tenant_id) VALUES (${id('henan')}, ${river.id}, ${id('henan')})`.execute(
            trx,
          ),
        ),
      ),
    ),
    '23514',
    'the database refuses a share to anything but a proper descendant',
  );

  // ---- naming it on a topic: only where it is shared
  t.equal(
    reasonOf(
      await failure(as(ycEditor, (trx, a, actor) => createTopic(trx, a, actor, { title: 'x', campaignId: river.id }))),
    ),
    'CAMPAIGN_NOT_FOUND',
    'a county off the list does not name it',
  );
  t.equal(
    reasonOf(
      await failure(
        raw('yichuan', (trx) =>
          sql`INSERT INTO topics (tenant_id, title, status, origin, campaign_tenant_id, campaign_id)
              VALUES (${id('yichuan')}, 'x', 'planned', 'desk', ${id('henan')}, ${river.id})`.execute(trx),
        ),
      ),
    ),
    '23514',
    'nor past the code',
  );
  const ryTopic = await as(ryEditor, (trx, a, actor) =>
    createTopic(trx, a, actor, { title: '汝阳黄河支流治理', campaignId: river.id }),
  );
  t.equal(ryTopic.campaignTitle, '黄河沿线行', 'a listed county names it');

  // ---- coverages: only to tenants in the share; nothing written when one is outside
  const hnTopic = await as(hnChief, (trx, a, actor) =>
    createTopic(trx, a, actor, { title: '沿黄生态廊道', campaignId: river.id, dueAt: inHours(48) }),
  );
  const coverageCount = () =>
    withPlatform(
      db,
      async (trx) =>
        (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM assignments WHERE topic_id = ${hnTopic.id}`.execute(
            trx,
          )
        ).rows[0]!.n,
    );
  const outside = await failure(
    as(hnChief, (trx, a, actor) =>
      assignTopic(trx, a, actor, hnTopic.id, {
        assignees: [{ tenantId: id('ruyang') }, { tenantId: id('yichuan') }],
        task: 'video',
      }),
    ),
  );
  t.equal(reasonOf(outside), 'ASSIGNEE_OUTSIDE_SHARE', 'a county off the list takes no coverage');
  t.match((outside as Error).message, /伊川/, 'the error names it');
  t.equal(
    reasonOf(
      await failure(
        as(hnChief, (trx, a, actor) =>
          assignTopic(trx, a, actor, hnTopic.id, {
            under: { tenantId: id('luoyang'), level: 'county' },
            task: 'write',
          }),
        ),
      ),
    ),
    'ASSIGNEE_OUTSIDE_SHARE',
    'all counties of 洛阳: 伊川 is not on the list',
  );
  t.equal(await coverageCount(), 0, 'nothing written');
  t.equal(
    reasonOf(
      await failure(
        raw('henan', (trx) =>
          sql`INSERT INTO assignments (tenant_id, topic_id, assignee_tenant_id, assignee_name, task, title, campaign_tenant_id, campaign_id)
              VALUES (${id('henan')}, ${hnTopic.id}, ${id('yichuan')}, '伊川县', 'write', 'x', ${id('henan')}, ${river.id})`.execute(
            trx,
          ),
        ),
      ),
    ),
    '23514',
    'the database refuses a coverage outside the share too',
  );
  const [toRuyang] = await as(hnChief, (trx, a, actor) =>
    assignTopic(trx, a, actor, hnTopic.id, { assignees: [{ tenantId: id('ruyang') }], task: 'video' }),
  );
  t.ok(toRuyang, 'a listed county takes one');

  // by level: a city is outside a campaign shared with all counties
  const levelTopic = await as(hnChief, (trx, a, actor) =>
    createTopic(trx, a, actor, { title: '县级联动', campaignId: counties.id }),
  );
  t.equal(
    reasonOf(
      await failure(
        as(hnChief, (trx, a, actor) =>
          assignTopic(trx, a, actor, levelTopic.id, { assignees: [{ tenantId: id('luoyang') }], task: 'write' }),
        ),
      ),
    ),
    'ASSIGNEE_OUTSIDE_SHARE',
    'a city takes no coverage of a campaign shared with all counties',
  );
  const toCounties = await as(hnChief, (trx, a, actor) =>
    assignTopic(trx, a, actor, levelTopic.id, { under: { tenantId: id('henan'), level: 'county' }, task: 'write' }),
  );
  t.ok(toCounties.length >= 4, 'every county does');

  // ---- isolation: a county off the list sees neither the campaign's topics nor its coverages
  t.equal(
    (await as(ycEditor, (trx, a) => incomingAssignments(trx, a))).filter((x) => x.campaignId === river.id).length,
    0,
    '伊川 has no coverage of it',
  );
  t.equal(
    (await as(ycEditor, (trx, a) => listTopics(trx, a, { campaignId: river.id, subtree: true }))).total,
    0,
    'nor topics',
  );
  const rowsUnder = (slug: string) =>
    raw(slug, async (trx) => ({
      topics: (await sql`SELECT id FROM topics WHERE campaign_id = ${river.id}`.execute(trx)).rows.length,
      coverages: (await sql`SELECT id FROM assignments WHERE campaign_id = ${river.id}`.execute(trx)).rows.length,
    }));
  t.same(await rowsUnder('yichuan'), { topics: 0, coverages: 0 }, 'SQL under 伊川’s scope: nothing of the campaign');
  t.same(await rowsUnder('zhecheng'), { topics: 0, coverages: 0 }, 'nor under 柘城’s');
  t.same(await rowsUnder('ruyang'), { topics: 1, coverages: 1 }, '汝阳: its own topic and the coverage given to it');

  // ---- editing the share: validated whole, refused without a write, applied at once
  t.equal(
    reasonOf(
      await failure(
        as(hnChief, (trx, a, actor) =>
          updateCampaign(trx, a, actor, river.id, { shareTenantIds: [id('yichuan'), randomUUID()] }),
        ),
      ),
    ),
    'SHARE_INVALID',
  );
  t.equal(await sees(ycEditor, river.id), false, 'a refused edit changes nothing');
  const widened = await as(hnChief, (trx, a, actor) =>
    updateCampaign(trx, a, actor, river.id, { shareTenantIds: [id('ruyang'), id('luoyang'), id('yichuan')] }),
  );
  t.equal(widened.shareTenantIds.length, 3);
  t.equal(await sees(ycEditor, river.id), true, '伊川 added to the list sees it');
  await as(hnChief, (trx, a, actor) => updateCampaign(trx, a, actor, river.id, { reach: 'level', reachLevel: 'city' }));
  t.equal(await sees(ycEditor, river.id), false, 'now shared with the cities: 伊川 no longer');
  t.equal(await sees(lyChief, river.id), true, '洛阳 still');
  t.equal(await shareCount(), 0, 'the list is gone with its reach');

  // ---- review finding: a county may not write the coverage state of its province's row
  // the share narrowed after the coverage was given: 汝阳 still answers it, its own topic names no campaign
  const accepted = await as(ryEditor, (trx, a, actor) => answerAssignment(trx, a, actor, toRuyang!.id, true));
  t.equal(accepted.state, 'accepted');
  t.equal(
    (await as(ryEditor, (trx, a) => listTopics(trx, a, {}))).items.find((x) => x.id === accepted.localTopicId)
      ?.campaignId,
    null,
    'its local topic names no campaign no longer shared with it',
  );
  for (const [what, set] of [
    ['state', sql`state = 'completed'`],
    ['state and completed_at', sql`state = 'completed', completed_at = now()`],
    ['completed_at', sql`completed_at = now()`],
    ['submitted', sql`state = 'submitted'`],
  ] as const) {
    const e = await failure(
      raw('ruyang', (trx) =>
        sql`UPDATE assignments SET ${set} WHERE tenant_id = ${id('henan')} AND id = ${toRuyang!.id}`.execute(trx),
      ),
    );
    t.equal(reasonOf(e), '42501', `汝阳’s direct UPDATE of ${what} on 河南’s coverage is refused`);
  }
  t.equal(
    reasonOf(
      await failure(
        raw('yichuan', async (trx) => {
          const r =
            await sql`UPDATE assignments SET state = 'completed' WHERE tenant_id = ${id('henan')} AND id = ${toRuyang!.id}`.execute(
              trx,
            );
          if (Number(r.numAffectedRows) !== 0) throw new Error('changed');
        }),
      ),
    ),
    null,
    'another county’s UPDATE finds no row',
  );
  const row = await withPlatform(
    db,
    async (trx) =>
      (
        await sql<{
          state: string;
          completed_at: Date | null;
        }>`SELECT state, completed_at FROM assignments WHERE id = ${toRuyang!.id}`.execute(trx)
      ).rows[0],
  );
  t.same(row, { state: 'accepted', completed_at: null }, 'the coverage stays accepted');
});
