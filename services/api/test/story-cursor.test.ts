import t from 'tap';
import { sql } from 'kysely';
import { createDemoDeps, graphqlClient } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { staffWith, PASSWORD } from './staff.js';

// Every edge's cursor carries the row's exact sort key. Three stories updated within one
// millisecond (microseconds apart): paging after the FIRST edge's cursor must give the other two.
// A cursor built from a JavaScript Date rounds the microseconds away and skips them.
t.test('paging after any edge of the story feed skips nothing', async (t) => {
  const deps = await createDemoDeps(t);
  const { tenants } = deps;
  const app = await build(deps);
  t.teardown(() => app.close());
  const ruyang = tenants.ruyang!.id;
  await staffWith(deps.db, 'cursor-editor', ruyang, ['editor']);
  const login = await graphqlClient(app)<{ login: { token: string } }>(
    `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
    { l: 'cursor-editor', p: PASSWORD },
  );
  const gql = graphqlClient(app, { token: login.data!.login.token });

  const ids: string[] = [];
  for (const title of ['甲', '乙', '丙']) {
    const r = await gql<{ createStory: { story: { id: string } } }>(
      `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`,
      {
        t: ruyang,
        i: { kind: 'ARTICLE', content: { title, body: [] } },
      },
    );
    ids.push(r.data!.createStory.story.id);
  }
  // 甲 newest: .000300, 乙 .000200, 丙 .000100 (all within the same millisecond)
  for (const [i, id] of ids.entries()) {
    await sql`UPDATE stories SET updated_at = ${`2026-12-01 08:00:00.000${3 - i}00+00`}::timestamptz WHERE id = ${id}`.execute(
      deps.tdb.owner,
    );
  }

  type Feed = { stories: { edges: { cursor: string; node: { id: string } }[] } };
  const FEED = `query($t: ID!, $first: Int, $after: String) { stories(tenantId: $t, first: $first, after: $after) { edges { cursor node { id } } } }`;
  const all = await gql<Feed>(FEED, { t: ruyang, first: 3 });
  t.same(
    all.data!.stories.edges.map((e) => e.node.id),
    ids,
    'newest first',
  );
  const afterFirst = await gql<Feed>(FEED, { t: ruyang, first: 5, after: all.data!.stories.edges[0]!.cursor });
  t.same(
    afterFirst.data!.stories.edges.map((e) => e.node.id),
    ids.slice(1),
    'after the first edge: the two others, none skipped',
  );
  const afterSecond = await gql<Feed>(FEED, { t: ruyang, first: 5, after: all.data!.stories.edges[1]!.cursor });
  t.same(
    afterSecond.data!.stories.edges.map((e) => e.node.id),
    ids.slice(2),
    'after the second edge: the last one',
  );
});
