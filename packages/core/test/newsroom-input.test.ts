import t, { type Test } from 'tap';
import { randomUUID } from 'node:crypto';
import { withTenant, type Tenant } from '@yiduan/db';
import {
  createUnit,
  isDomainError,
  saveRevision,
  SYSTEM_ACTOR,
  updateUnit,
  validateBody,
  type DomainError,
  type NewStory,
} from '../src/index.js';
import {
  as,
  counts,
  failure,
  newStory,
  newsroom,
  ownerStory,
  para,
  storyInput,
  type World,
} from './newsroom-fixture.js';

async function insertAsset(w: World, tenant: Pick<Tenant, 'id'>, shared = false): Promise<string> {
  const row = await w.owner
    .insertInto('assets')
    .values({
      tenant_id: tenant.id,
      mime: 'image/png',
      bytes: 100,
      width: 10,
      height: 10,
      storage_key: `${tenant.id}/test/${randomUUID()}.png`,
      shared,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Creates a story as A's editor and expects it refused with this code, writing nothing at all. */
async function refused(
  t: Test,
  w: World,
  over: Partial<NewStory>,
  code: string,
  label: string,
): Promise<DomainError | null> {
  const before = await counts(w);
  const err = await failure(newStory(w, w.staff.editor, w.A, over));
  const ok = isDomainError(err) && err.code === code;
  t.ok(
    ok,
    `${label}: ${code}`,
    ok ? {} : { found: err instanceof Error ? `${(err as DomainError).code ?? ''} ${err.message}` : err },
  );
  t.same(await counts(w), before, `${label}: nothing written`);
  return isDomainError(err) ? err : null;
}

t.test('invalid blocks are refused with BLOCK_INVALID naming the block, and nothing is written', async (t) => {
  const w = await newsroom(t);
  // [label, body, the path the problem should name, whether that precise path is currently wrong]
  const cases: [string, unknown, string, boolean][] = [
    ['unknown type', [{ type: 'table', rows: [] }], 'body[0].type', false],
    ['missing text', [para('第一段'), { type: 'paragraph' }], 'body[1]', false],
    ['empty text', [{ type: 'paragraph', text: '' }], 'body[0].text', false],
    ['javascript: embed', [{ type: 'embed', url: 'javascript:alert(1)' }], 'body[0].url', true],
    ['plain http video', [{ type: 'video', url: 'http://example.com/a.mp4' }], 'body[0].url', true],
    ['data: embed', [{ type: 'embed', url: 'data:text/html,<script>alert(1)</script>' }], 'body[0].url', true],
    ['heading level 5', [{ type: 'heading', text: '小标题', level: 5 }], 'body[0].level', true],
    ['extra property', [{ type: 'paragraph', text: '正文', html: '<b>粗体</b>' }], 'body[0]', false],
    ['image without uuid', [{ type: 'image', assetId: '../../etc/passwd' }], 'body[0].assetId', true],
    ['empty list', [{ type: 'list', ordered: true, items: [] }], 'body[0].items', true],
    ['null block', [null], 'body[0].type', false],
  ];
  for (const [label, body, path, wrong] of cases) {
    const err = await refused(t, w, { body }, 'BLOCK_INVALID', label);
    const found = err?.problems[0]?.path ?? '';
    const block = path.replace(/\..*$/, '');
    t.ok(found === block || found.startsWith(`${block}.`), `${label}: names ${block} (${found})`);
    t.ok(found.startsWith(path), `${label}: names the field ${path} (found ${found}: ${err?.problems[0]?.message})`);
    void wrong;
  }
  const embedErr = (await failure(
    newStory(w, w.staff.editor, w.A, { body: [{ type: 'embed', url: 'javascript:alert(1)' }] }),
  )) as DomainError;
  t.notMatch(embedErr.message, /required properties text/, 'an embed is not told it lacks a text');
  await refused(t, w, { body: '正文' }, 'BLOCK_INVALID', 'a string body');
  await refused(t, w, { body: null }, 'BLOCK_INVALID', 'a null body');
  await refused(t, w, { body: Array.from({ length: 501 }, (_, i) => para(`第${i}段`)) }, 'BLOCK_INVALID', '501 blocks');
  t.same(validateBody(Array.from({ length: 500 }, (_, i) => para(`第${i}段`))).length, 500, '500 blocks are fine');

  const err = (await failure(
    newStory(w, w.staff.editor, w.A, {
      body: [{ type: 'table' }, para('好'), { type: 'heading', text: 'x', level: 1 }],
    }),
  )) as DomainError;
  t.same(
    err.problems.map((p) => p.path.replace(/\..*$/, '')),
    ['body[0]', 'body[2]'],
    'every bad block is named, good ones are not',
  );

  // the same through saveRevision: no new revision
  const { story } = await newStory(w, w.staff.editor, w.A);
  const before = await counts(w);
  const e2 = await failure(
    as(w, w.staff.editor, w.A, (trx, access, actor) =>
      saveRevision(trx, access, actor, story.id, storyInput({ body: [{ type: 'embed', url: 'javascript:void(0)' }] })),
    ),
  );
  t.equal((e2 as DomainError).code, 'BLOCK_INVALID');
  t.same(await counts(w), before);
  t.equal((await ownerStory(w, story.id)).current_revision, 1);
});

t.test("placement: unknown sections and units, another tenant's section or unit, a suspended unit", async (t) => {
  const w = await newsroom(t);
  const unitB = await withTenant(w.db, w.B.id, (trx) =>
    createUnit(trx, SYSTEM_ACTOR, w.B.id, { slug: 'wenlv', name: '伊川县文旅局', kind: 'bureau' }),
  );
  await refused(t, w, { sectionId: randomUUID() }, 'SECTION_NOT_FOUND', 'unknown section');
  await refused(t, w, { sectionId: 'bendi' }, 'SECTION_NOT_FOUND', 'a slug instead of an id');
  await refused(t, w, { sectionId: w.sectionB.id }, 'SECTION_NOT_FOUND', "B's section");
  await refused(t, w, { unitId: randomUUID() }, 'UNIT_NOT_FOUND', 'unknown unit');
  await refused(t, w, { unitId: unitB.id }, 'UNIT_NOT_FOUND', "B's unit");
  await withTenant(w.db, w.A.id, (trx) => updateUnit(trx, SYSTEM_ACTOR, w.A.id, w.unitY.id, { status: 'suspended' }));
  await refused(t, w, { unitId: w.unitY.id }, 'BAD_USER_INPUT', 'a suspended unit');
  const ok = await newStory(w, w.staff.editor, w.A, { sectionId: w.bendi.id, unitId: w.unitX.id });
  t.match(ok.story, { section_id: w.bendi.id, unit_id: w.unitX.id });
  const moved = await failure(
    as(w, w.staff.editor, w.A, (trx, access, actor) =>
      saveRevision(trx, access, actor, ok.story.id, storyInput(), { sectionId: w.sectionB.id }),
    ),
  );
  t.equal((moved as DomainError).code, 'SECTION_NOT_FOUND', "saveRevision cannot move a story into B's section");
});

t.test("assets: unknown or another tenant's private image refused; own and shared images accepted", async (t) => {
  const w = await newsroom(t);
  const own = await insertAsset(w, w.A);
  const privateB = await insertAsset(w, w.B);
  const sharedB = await insertAsset(w, w.B, true);
  const image = (assetId: string) => ({ type: 'image', assetId, caption: '图片' });
  await refused(t, w, { body: [image(randomUUID())] }, 'ASSET_NOT_FOUND', 'unknown image');
  await refused(t, w, { body: [image(privateB)] }, 'ASSET_NOT_FOUND', "B's private image");
  await refused(t, w, { coverAssetId: privateB }, 'ASSET_NOT_FOUND', "B's private image as cover");
  await refused(t, w, { coverAssetId: 'cover.jpg' }, 'ASSET_NOT_FOUND', 'a file name as cover');
  await refused(
    t,
    w,
    { body: [{ type: 'video', url: 'https://v.example.cn/1.mp4', posterAssetId: privateB }] },
    'ASSET_NOT_FOUND',
    "B's image as video poster",
  );
  const e = (await failure(newStory(w, w.staff.editor, w.A, { body: [image(own), image(privateB)] }))) as DomainError;
  t.same(
    e.problems.map((p) => p.message),
    [privateB],
    'only the missing one is named',
  );
  const ok = await newStory(w, w.staff.editor, w.A, { coverAssetId: own, body: [image(own), image(sharedB)] });
  t.equal(ok.revision.cover_asset_id, own, 'own and shared images are accepted');
  const upper = await failure(newStory(w, w.staff.editor, w.A, { coverAssetId: own.toUpperCase() }));
  t.equal(upper, null, 'the same cover id written in capitals refers to the same image');
});

t.test('title and other fields: empty, blank, too long; link stories need a web address', async (t) => {
  const w = await newsroom(t);
  await refused(t, w, { title: '' }, 'BAD_USER_INPUT', 'empty title');
  await refused(t, w, { title: ' \n\t ' }, 'BAD_USER_INPUT', 'blank title');
  await refused(t, w, { title: '标'.repeat(121) }, 'BAD_USER_INPUT', '121-character title');
  await refused(t, w, { subtitle: '副'.repeat(121) }, 'BAD_USER_INPUT', 'long subtitle');
  await refused(t, w, { summary: '摘'.repeat(501) }, 'BAD_USER_INPUT', 'long summary');
  await refused(t, w, { authorLine: '作'.repeat(101) }, 'BAD_USER_INPUT', 'long author line');
  await refused(t, w, { tags: Array.from({ length: 11 }, (_, i) => `标签${i}`) }, 'BAD_USER_INPUT', 'eleven tags');
  await refused(t, w, { tags: ['长'.repeat(21)] }, 'BAD_USER_INPUT', 'a long tag');
  await refused(t, w, { kind: 'poem' as NewStory['kind'] }, 'BAD_USER_INPUT', 'unknown kind');
  await refused(t, w, { kind: 'link' }, 'BAD_USER_INPUT', 'link story without url');
  await refused(t, w, { kind: 'link', linkUrl: '   ' }, 'BAD_USER_INPUT', 'link story with a blank url');
  await refused(t, w, { kind: 'link', linkUrl: 'javascript:alert(1)' }, 'BAD_USER_INPUT', 'javascript: link');
  await refused(t, w, { kind: 'article', linkUrl: 'ftp://example.cn/a' }, 'BAD_USER_INPUT', 'ftp link');

  const ok = await newStory(w, w.staff.editor, w.A, {
    title: `  ${'标'.repeat(120)}  `,
    tags: [' 民生 ', '民生', ''],
    kind: 'link',
    linkUrl: ' https://www.henan.gov.cn/a.html ',
  });
  t.equal(ok.revision.title, '标'.repeat(120), 'trimmed, 120 characters fit');
  t.same(ok.revision.tags, ['民生'], 'tags trimmed and deduplicated');
  t.equal(ok.revision.link_url, 'https://www.henan.gov.cn/a.html');

  const t2 = (await failure(newStory(w, w.staff.editor, w.A, { title: '' }))) as DomainError;
  t.equal(t2.problems[0]?.path, 'title', 'the problem names the field');

  // the database counts characters (code points); a rare character outside the BMP is one character too
  const rare = `${'标'.repeat(119)}𬌗`;
  const r = await failure(newStory(w, w.staff.editor, w.A, { title: rare }));
  t.equal(r, null, 'a 120-character title with one supplementary-plane character fits');
});
