import t from 'tap';
import { sql } from 'kysely';
import { indexStory, reindexAll, searchFace, type SearchOptions, type SearchResult } from '@yiduan/core';
import { withPlatform, withPublic, withTenant, type Tenant } from '@yiduan/db';
import { createDemoDatabase, type TestDatabase } from '@yiduan/testkit';

// Stories are written as rows through the owner connection (fast), then indexed
// as the publish path does; searches run as the portal does, in public scope.

interface Text {
  title: string;
  summary?: string;
  body?: string;
  tags?: string[];
}

interface Placing {
  state?: 'published' | 'draft';
  /** other faces that carry it */
  on?: Tenant[];
  publishedAt?: Date;
}

async function write(tdb: TestDatabase, origin: Tenant, text: Text, opts: Placing = {}): Promise<string> {
  const live = (opts.state ?? 'published') === 'published';
  const at = opts.publishedAt ?? new Date();
  const story = await tdb.owner
    .insertInto('stories')
    .values({
      tenant_id: origin.id,
      kind: 'article',
      status: live ? 'published' : 'draft',
      published_revision: live ? 1 : null,
      published_at: live ? at : null,
      first_published_at: live ? at : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tdb.owner
    .insertInto('story_revisions')
    .values({
      tenant_id: origin.id,
      story_id: story.id,
      number: 1,
      title: text.title,
      summary: text.summary ?? '',
      tags: text.tags ?? [],
      body: JSON.stringify(text.body ? [{ type: 'paragraph', text: text.body }] : []),
    })
    .execute();
  if (live) {
    for (const face of [origin, ...(opts.on ?? [])]) {
      await tdb.owner
        .insertInto('placements')
        .values({
          tenant_id: face.id,
          story_id: story.id,
          origin_tenant_id: origin.id,
          mode: face.id === origin.id ? 'own' : 'pushed',
          status: 'active',
          placed_at: at,
        })
        .execute();
    }
  }
  await index(tdb, origin, story.id);
  return story.id;
}

const index = (tdb: TestDatabase, origin: Tenant, storyId: string) =>
  withTenant(tdb.db, origin.id, (trx) => indexStory(trx, origin.id, storyId));
const find = (tdb: TestDatabase, face: Tenant, q: string, opts?: SearchOptions): Promise<SearchResult> =>
  withPublic(tdb.db, (trx) => searchFace(trx, face.id, q, opts));
const ids = (r: SearchResult): string[] => r.hits.map((h) => h.storyId);

t.test('search over a face', async (t) => {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const { henan, ruyang, yichuan, zhecheng } = tenants as Record<'henan' | 'ruyang' | 'yichuan' | 'zhecheng', Tenant>;

  const center = await write(tdb, ruyang, {
    title: '汝阳县融媒体中心启用新演播厅',
    body: '记者从汝阳县融媒体中心获悉，新演播厅于本周正式投入使用。',
  });
  const dukang = await write(tdb, ruyang, {
    title: '杜康文化节开幕',
    summary: '汝阳县举办第十届杜康文化节',
    body: '9月20日，文化节在杜康村开幕，游客络绎不绝。',
  });
  const bodyOnly = await write(tdb, ruyang, { title: '农产品展销会举行', body: '展会上，杜康酒厂带来了新品。' });
  const chengs = await write(tdb, yichuan, {
    title: '二程故里文化园迎来游客高峰',
    body: '国庆假期，伊川县二程故里接待游客三万人次。',
  });
  const pushed = await write(
    tdb,
    henan,
    { title: '全面推进乡村振兴', body: '各地要一丝不苟抓好落实，全面推进乡村振兴取得新进展。', tags: ['三农'] },
    { on: [ruyang, yichuan] },
  );
  const draft = await write(
    tdb,
    ruyang,
    { title: '汝阳县乡村振兴草稿', body: '尚未审校的汝阳稿件。' },
    { state: 'draft' },
  );

  t.test('names and words inside unspaced text', async (t) => {
    t.same(
      new Set(ids(await find(tdb, ruyang, '汝阳'))),
      new Set([center, dukang]),
      '汝阳 inside 汝阳县融媒体中心 and 汝阳县举办',
    );
    t.same(ids(await find(tdb, ruyang, '融媒体中心')), [center]);
    t.same(ids(await find(tdb, ruyang, '杜康')).slice(0, 2), [dukang, bodyOnly], 'the title match ranks first');
    t.same(ids(await find(tdb, yichuan, '二程故里')), [chengs]);
    t.same(ids(await find(tdb, ruyang, '乡村振兴')), [pushed], 'a placed story, not the draft');
    t.same(ids(await find(tdb, ruyang, '一丝不苟')), [pushed], 'a four-character idiom');
    t.same(ids(await find(tdb, ruyang, '全面推进乡村振兴')), [pushed], 'an unsegmented phrase');
    t.same(ids(await find(tdb, ruyang, '三农')), [pushed], 'tags are searched');
    const one = await find(tdb, ruyang, '厅');
    t.same(ids(one), [center], 'one character, also at the end of a run');
    t.same(new Set(ids(await find(tdb, ruyang, '县'))), new Set([center, dukang]), 'one character inside runs');
    t.same(ids(await find(tdb, ruyang, '汝阳 演播厅')), [center], 'terms are ANDed');
    t.same(ids(await find(tdb, ruyang, '阳县融')), [center], 'any substring');
    t.same(ids(await find(tdb, ruyang, '县融媒体中心启用新演')), [center], 'across words');
    t.same(ids(await find(tdb, ruyang, '汝阳，县融媒体')), [center], 'punctuation separates terms');
  });

  t.test('exact matches first; long unspaced terms also in pieces', async (t) => {
    const r = await find(tdb, ruyang, '汝阳杜康');
    t.same(ids(r), [dukang], '汝阳…杜康 although never adjacent');
    t.equal(r.hits[0]?.exact, false);
    t.ok(r.hits[0]?.snippet.some((p) => p.hit && p.text === '汝阳'));
    const phrase = await write(
      tdb,
      ruyang,
      { title: '汝阳杜康酒业扩建', body: '项目总投资两亿元。' },
      { publishedAt: new Date(Date.now() - 300 * 86_400_000) },
    );
    const both = await find(tdb, ruyang, '汝阳杜康');
    t.same(ids(both), [phrase, dukang], 'the exact phrase ranks first, even when older');
    t.equal(both.hits[0]?.exact, true);
    t.same(both.hits[0]?.titleParts.slice(0, 1), [{ text: '汝阳杜康', hit: true }], 'the phrase is marked whole');
    t.equal((await find(tdb, ruyang, '不存在的词语')).total, 0);
    await tdb.owner.deleteFrom('stories').where('id', '=', phrase).execute();
  });

  t.test('a face finds what it carries, nothing else', async (t) => {
    t.same(ids(await find(tdb, yichuan, '乡村振兴')), [pushed], 'the pushed story on another carrying face');
    t.same(ids(await find(tdb, zhecheng, '乡村振兴')), [], 'not on a face that does not carry it');
    t.same(ids(await find(tdb, ruyang, '二程故里')), [], "yichuan's own story is not on ruyang's face");
    const hit = (await find(tdb, ruyang, '乡村振兴')).hits[0];
    t.equal(hit?.own, false);
    t.equal(hit?.origin.name, '河南');
    t.equal((await find(tdb, ruyang, '演播厅')).hits[0]?.own, true);
    await tdb.owner
      .updateTable('placements')
      .set({ local_title: '乡村振兴：省里的部署' })
      .where('tenant_id', '=', ruyang.id)
      .where('story_id', '=', pushed)
      .execute();
    t.equal((await find(tdb, ruyang, '乡村振兴')).hits[0]?.title, '乡村振兴：省里的部署', "the face's own headline");
    await tdb.owner
      .updateTable('placements')
      .set({ status: 'removed' })
      .where('tenant_id', '=', yichuan.id)
      .where('story_id', '=', pushed)
      .execute();
    t.same(ids(await find(tdb, yichuan, '乡村振兴')), [], 'a removed placement leaves the face');
    // placements keep the document's faces current themselves (trigger): no re-index needed
    await withPlatform(tdb.db, (trx) =>
      trx
        .insertInto('placements')
        .values({
          tenant_id: zhecheng.id,
          story_id: pushed,
          origin_tenant_id: henan.id,
          mode: 'pushed',
          status: 'active',
        })
        .execute(),
    );
    t.same(ids(await find(tdb, zhecheng, '乡村振兴')), [pushed], 'a new placement is searchable at once');
    const faces = await tdb.owner
      .selectFrom('story_search')
      .select('faces')
      .where('story_id', '=', pushed)
      .executeTakeFirstOrThrow();
    t.same(
      [...faces.faces].sort(),
      [henan.id, ruyang.id, zhecheng.id].sort(),
      'the faces of the document follow its active placements',
    );
  });

  t.test('drafts are never indexed; retracted and unpublished stories are never found', async (t) => {
    t.equal(await index(tdb, ruyang, draft), 'removed');
    t.equal(
      (await tdb.owner.selectFrom('story_search').select('story_id').where('story_id', '=', draft).execute()).length,
      0,
      'no document for a draft',
    );
    t.same(ids(await find(tdb, ruyang, '草稿')), []);

    const gone = await write(tdb, ruyang, { title: '汝阳撤稿测试', body: '即将撤回的稿件。' });
    t.same(ids(await find(tdb, ruyang, '撤稿测试')), [gone]);
    await tdb.owner
      .updateTable('stories')
      .set({ retracted_at: new Date(), retraction_reason: '测试' })
      .where('id', '=', gone)
      .execute();
    t.same(ids(await find(tdb, ruyang, '撤稿测试')), [], 'gone at once, before the index catches up');
    t.equal(await index(tdb, ruyang, gone), 'removed');
    t.equal(
      (await tdb.owner.selectFrom('story_search').select('story_id').where('story_id', '=', gone).execute()).length,
      0,
      'and its document removed',
    );

    const off = await write(tdb, ruyang, { title: '汝阳撤下测试', body: '将被撤下的稿件。' });
    await tdb.owner
      .updateTable('stories')
      .set({ published_revision: null, published_at: null, status: 'approved' })
      .where('id', '=', off)
      .execute();
    t.same(ids(await find(tdb, ruyang, '撤下测试')), [], 'unpublished: not found');
    t.equal(await index(tdb, ruyang, off), 'removed');
  });

  t.test('a new revision replaces the document', async (t) => {
    const s = await write(tdb, ruyang, { title: '旧标题：汝阳秋收', body: '秋收开始。' });
    await tdb.owner
      .insertInto('story_revisions')
      .values({
        tenant_id: ruyang.id,
        story_id: s,
        number: 2,
        title: '新标题：汝阳秋播',
        body: JSON.stringify([{ type: 'paragraph', text: '秋播开始。' }]),
      })
      .execute();
    await tdb.owner.updateTable('stories').set({ current_revision: 2 }).where('id', '=', s).execute();
    t.same(ids(await find(tdb, ruyang, '秋收')), [s], 'the draft revision is not public yet');
    await tdb.owner.updateTable('stories').set({ published_revision: 2 }).where('id', '=', s).execute();
    t.same(ids(await find(tdb, ruyang, '秋收')), [], 'the stale document is hidden once revision 2 is live');
    await index(tdb, ruyang, s);
    t.same(ids(await find(tdb, ruyang, '秋播')), [s]);
    t.same(ids(await find(tdb, ruyang, '秋收')), []);
  });

  t.test('highlights are plain text parts', async (t) => {
    const s = await write(tdb, ruyang, {
      title: '<script>alert(1)</script> 汝阳测试',
      body: '正文里有 <b>汝阳</b> 和 <script>',
    });
    const hit = (await find(tdb, ruyang, '汝阳测试')).hits.find((h) => h.storyId === s);
    t.same(hit?.titleParts, [
      { text: '<script>alert(1)</script> ', hit: false },
      { text: '汝阳测试', hit: true },
    ]);
    const body = (await find(tdb, ruyang, 'script')).hits.find((h) => h.storyId === s);
    t.ok(body?.titleParts.some((p) => p.hit && p.text === 'script'));
  });

  t.test('empty, blank and long queries', async (t) => {
    for (const q of ['', '   ', '\u3000', '？！']) {
      const r = await find(tdb, ruyang, q);
      t.equal(r.searched, false);
      t.equal(r.total, 0);
    }
    const long = await find(tdb, ruyang, `汝阳${'的'.repeat(200)}`);
    t.ok(long.truncated, 'cut to 100 characters');
    t.equal(Array.from(long.query).length, 100);
    t.same(ids(await find(tdb, 'not-a-uuid' as unknown as Tenant, '汝阳')), []);
  });

  t.test('paging', async (t) => {
    const base = Date.now() - 3_600_000;
    const all: string[] = [];
    for (let i = 0; i < 25; i++)
      all.push(
        await write(
          tdb,
          zhecheng,
          { title: `辣椒产业简报第${i + 1}期`, body: '柘城辣椒。' },
          { publishedAt: new Date(base + i * 60_000) },
        ),
      );
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const r = await find(tdb, zhecheng, '辣椒', { page, perPage: 10 });
      t.equal(r.total, 25);
      t.equal(r.pages, 3);
      t.equal(r.hits.length, page < 3 ? 10 : 5);
      seen.push(...ids(r));
    }
    t.same(new Set(seen), new Set(all), 'every story once, across pages');
    t.equal(seen[0], all[24], 'equal scores: the newest first');
    const past = await find(tdb, zhecheng, '辣椒', { page: 4, perPage: 10 });
    t.same(past.hits, []);
    t.equal(past.total, 25, 'the total is known past the last page');
  });

  t.test('row-level security', async (t) => {
    // a document for a draft can only come from a bug; even then nobody else sees it
    const doc = await tdb.owner
      .selectFrom('story_search')
      .select(['tsv'])
      .where('story_id', '=', center)
      .executeTakeFirstOrThrow();
    await tdb.owner
      .insertInto('story_search')
      .values({
        tenant_id: ruyang.id,
        story_id: draft,
        revision: 1,
        title: '汝阳县乡村振兴草稿',
        tsv: sql<string>`${doc.tsv}::tsvector`,
        published_at: new Date(),
      })
      .execute();
    const seenBy = (
      scope: (fn: (trx: Parameters<Parameters<typeof withPublic>[1]>[0]) => Promise<number>) => Promise<number>,
    ) =>
      scope(
        async (trx) =>
          (await trx.selectFrom('story_search').select('story_id').where('story_id', '=', draft).execute()).length,
      );
    t.equal(
      await seenBy((fn) => withTenant(tdb.db, yichuan.id, fn)),
      0,
      "another tenant's scope: the draft is not exposed",
    );
    t.equal(await seenBy((fn) => withPublic(tdb.db, fn)), 0, 'no scope: not exposed');
    t.equal(await seenBy((fn) => withTenant(tdb.db, ruyang.id, fn)), 1, 'its own tenant sees its row');
    t.notOk(
      (await withTenant(tdb.db, ruyang.id, (trx) => searchFace(trx, ruyang.id, '汝阳'))).hits.some(
        (h) => h.storyId === draft,
      ),
      'and still never finds it',
    );
    await tdb.owner.deleteFrom('story_search').where('story_id', '=', draft).execute();

    const others = await withTenant(tdb.db, yichuan.id, (trx) =>
      trx.selectFrom('story_search').select('story_id').where('tenant_id', '=', ruyang.id).execute(),
    );
    t.ok(others.length > 0, "public documents of other tenants are readable (faces carry each other's stories)");
    await t.rejects(
      withTenant(tdb.db, yichuan.id, (trx) =>
        trx
          .insertInto('story_search')
          .values({
            tenant_id: ruyang.id,
            story_id: center,
            revision: 1,
            title: 'x',
            tsv: sql<string>`''::tsvector`,
            published_at: new Date(),
          })
          .execute(),
      ),
      /row-level security/,
      'no writes to another tenant',
    );
    const wiped = await withTenant(tdb.db, yichuan.id, (trx) =>
      trx.deleteFrom('story_search').where('tenant_id', '=', ruyang.id).executeTakeFirst(),
    );
    t.equal(Number(wiped.numDeletedRows), 0, "no deletes of another tenant's documents");
    await withPublic(tdb.db, (trx) => indexStory(trx, ruyang.id, center));
    t.ok(
      await tdb.owner.selectFrom('story_search').select('story_id').where('story_id', '=', center).executeTakeFirst(),
      'the public scope can neither write nor remove documents',
    );
  });

  t.test('backfill', async (t) => {
    await tdb.owner.deleteFrom('story_search').execute();
    const publicCount = await tdb.owner
      .selectFrom('stories')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('published_revision', 'is not', null)
      .where('retracted_at', 'is', null)
      .executeTakeFirstOrThrow();
    const first = await withPlatform(tdb.db, (trx) => reindexAll(trx, 7));
    t.equal(first.indexed, Number(publicCount.n), 'every public story, in batches');
    t.same(ids(await find(tdb, ruyang, '融媒体中心')), [center]);
    await tdb.owner
      .updateTable('stories')
      .set({ retracted_at: new Date(), retraction_reason: '测试' })
      .where('id', '=', center)
      .execute();
    const second = await withPlatform(tdb.db, (trx) => reindexAll(trx));
    t.equal(second.removed, 1, 'documents of stories no longer public are removed');
    t.equal(second.indexed, first.indexed - 1);
  });
});
