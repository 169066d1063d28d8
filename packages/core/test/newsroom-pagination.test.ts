import t from 'tap';
import { sql } from 'kysely';
import { createStory, listStories, type Access, type Page, type StoryFilter } from '../src/index.js';
import type { Story, Trx } from '@yiduan/db';
import { as, codeOf, newsroom, storyInput, type World } from './newsroom-fixture.js';

async function makeStories(w: World, n: number, unitId: string | null = null): Promise<string[]> {
  return as(w, w.staff.editor, w.A, async (trx, access, actor) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push((await createStory(trx, access, actor, storyInput({ title: `稿件 ${i + 1}`, unitId }))).story.id);
    return ids;
  });
}

/** Walks every page; returns the ids in order and the page sizes. */
async function walk(
  w: World,
  who: World['staff'][keyof World['staff']],
  filter: StoryFilter,
): Promise<{ ids: string[]; sizes: number[]; more: boolean[] }> {
  const ids: string[] = [];
  const sizes: number[] = [];
  const more: boolean[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const page: Page<Story> = await as(w, who, w.A, (trx: Trx, access: Access) =>
      listStories(trx, access, { ...filter, after }),
    );
    ids.push(...page.nodes.map((s) => s.id));
    sizes.push(page.nodes.length);
    more.push(page.hasNextPage);
    if (!page.hasNextPage) break;
    after = page.endCursor;
  }
  return { ids, sizes, more };
}

/** The order the list promises: newest change first, id as tie-breaker. */
const expected = async (w: World, where = sql`true`): Promise<string[]> =>
  (
    await sql<{
      id: string;
    }>`SELECT id FROM stories WHERE tenant_id = ${w.A.id} AND ${where} ORDER BY updated_at DESC, id DESC`.execute(
      w.owner,
    )
  ).rows.map((r) => r.id);

t.test('25 stories sharing timestamps page through without duplicates or gaps', async (t) => {
  const w = await newsroom(t);
  const ids = await makeStories(w, 25);
  // ten share one instant, ten another, five differ by single microseconds (below a JS Date's precision)
  await sql`UPDATE stories SET updated_at = '2026-11-20 08:00:00.123456+00' WHERE id = ANY(${ids.slice(0, 10)}::uuid[])`.execute(
    w.owner,
  );
  await sql`UPDATE stories SET updated_at = '2026-11-21 08:00:00+00' WHERE id = ANY(${ids.slice(10, 20)}::uuid[])`.execute(
    w.owner,
  );
  for (const [i, id] of ids.slice(20).entries())
    await sql`UPDATE stories SET updated_at = ${`2026-11-22 08:00:00.00000${i + 1}+00`}::timestamptz WHERE id = ${id}`.execute(
      w.owner,
    );

  const order = await expected(w);
  for (const first of [10, 7, 1, 25, 100]) {
    const r = await walk(w, w.staff.editor, { first });
    t.equal(new Set(r.ids).size, r.ids.length, `first ${first}: no duplicates`);
    t.same(r.ids, order, `first ${first}: every story once, newest first, ties by id`);
    t.equal(r.more.at(-1), false, `first ${first}: the last page says so`);
    if (first === 10) t.same(r.sizes, [10, 10, 5]);
  }
});

t.test('all 25 on one instant', async (t) => {
  const w = await newsroom(t);
  await makeStories(w, 25);
  await sql`UPDATE stories SET updated_at = '2026-11-20 08:00:00.5+00' WHERE tenant_id = ${w.A.id}`.execute(w.owner);
  const r = await walk(w, w.staff.editor, { first: 10 });
  t.same(r.sizes, [10, 10, 5]);
  t.same(r.ids, await expected(w));
});

t.test('a story changed between pages moves to the front and is not repeated', async (t) => {
  const w = await newsroom(t);
  await makeStories(w, 25);
  const first = await as(w, w.staff.editor, w.A, (trx, access) => listStories(trx, access, { first: 10 }));
  const seen = first.nodes.map((s) => s.id);
  await sql`UPDATE stories SET updated_at = now() WHERE id = ${seen[3]!}`.execute(w.owner);
  let after = first.endCursor;
  const more: string[] = [];
  for (;;) {
    const page = await as(w, w.staff.editor, w.A, (trx, access) => listStories(trx, access, { first: 10, after }));
    more.push(...page.nodes.map((s) => s.id));
    if (!page.hasNextPage) break;
    after = page.endCursor;
  }
  t.same(new Set([...seen, ...more]).size, 25, 'every story seen');
  t.notOk(more.includes(seen[3]!), 'the moved story is not served twice');
});

t.test('a unit member pages through their unit only; filters combine with cursors', async (t) => {
  const w = await newsroom(t);
  const xs = await makeStories(w, 12, w.unitX.id);
  await makeStories(w, 8, w.unitY.id);
  await makeStories(w, 5);
  await sql`UPDATE stories SET updated_at = '2026-11-20 08:00:00+00' WHERE tenant_id = ${w.A.id}`.execute(w.owner);
  const r = await walk(w, w.staff.unitReporter, { first: 5 });
  t.same(r.sizes, [5, 5, 2]);
  t.same(r.ids, await expected(w, sql`unit_id = ${w.unitX.id}`));
  t.same(new Set(r.ids), new Set(xs));
  const y = await walk(w, w.staff.editor, { first: 3, unitId: w.unitY.id });
  t.same(y.ids, await expected(w, sql`unit_id = ${w.unitY.id}`), 'an editor filtering by unit Y');
  const q = await walk(w, w.staff.editor, { first: 4, query: '稿件 1' });
  t.same(
    q.ids,
    await expected(w, sql`id IN (SELECT story_id FROM story_revisions WHERE title LIKE '稿件 1%')`),
    'a title query',
  );
  const pct = await as(w, w.staff.editor, w.A, (trx, access) => listStories(trx, access, { query: '%' }));
  t.same(pct.nodes, [], 'LIKE wildcards in the query are literal');
});

t.test('bad page arguments are refused as input errors', async (t) => {
  const w = await newsroom(t);
  await makeStories(w, 2);
  const list = (filter: StoryFilter) =>
    codeOf(as(w, w.staff.editor, w.A, (trx, access) => listStories(trx, access, filter)));
  t.equal(await list({ first: 0 }), 'BAD_USER_INPUT');
  t.equal(await list({ first: 101 }), 'BAD_USER_INPUT');
  t.equal(await list({ first: 2.5 }), 'BAD_USER_INPUT');
  t.equal(await list({ after: 'not-a-cursor' }), 'BAD_USER_INPUT');
  t.equal(
    await list({ after: Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url') }),
    'BAD_USER_INPUT',
    'a cursor with garbage inside',
  );
  t.equal(
    await list({
      after: Buffer.from(JSON.stringify(['2026-11-20 08:00:00+00', '00000000-0000-0000-0000-000000000000'])).toString(
        'base64url',
      ),
    }),
    'OK',
    'a well-formed cursor',
  );
  for (const key of ['unitId', 'sectionId', 'createdBy'] as const) {
    const code = await list({ [key]: 'not-a-uuid' });
    t.ok(
      code === 'OK' || code === 'BAD_USER_INPUT',
      `a malformed ${key} filter gives an empty page or an input error (got ${code})`,
    );
  }
});
