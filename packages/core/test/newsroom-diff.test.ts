import t from 'tap';
import type { StoryRevision } from '@yiduan/db';
import { compareRevisions, type Block, type FieldDiff } from '../src/index.js';

function rev(
  number: number,
  over: Partial<StoryRevision> = {},
  body: Block[] = [{ type: 'paragraph', text: '今天天气很好，群众纷纷走上街头。' }],
): StoryRevision {
  return {
    tenant_id: '00000000-0000-0000-0000-000000000001',
    story_id: '00000000-0000-0000-0000-000000000002',
    number,
    kicker: '',
    title: '郑州市举办文化节',
    subtitle: '',
    summary: '文化节为期三天',
    cover_asset_id: null,
    tags: ['文化', '民生'],
    author_line: '记者 张三',
    link_url: null,
    body,
    created_by: null,
    created_at: new Date('2026-11-27T08:00:00Z'),
    ...over,
  };
}

const field = (diffs: FieldDiff[], name: string): FieldDiff => {
  const f = diffs.find((d) => d.field === name);
  if (!f) throw new Error(`no diff for ${name}`);
  return f;
};
const ops = (f: FieldDiff, op: 'insert' | 'delete'): string[] => f.parts.filter((p) => p.op === op).map((p) => p.text);
/** The new text, rebuilt from equal + insert parts; the old one from equal + delete. */
const side = (f: FieldDiff, keep: 'insert' | 'delete'): string =>
  f.parts
    .filter((p) => p.op === 'equal' || p.op === keep)
    .map((p) => p.text)
    .join('');

t.test('identical revisions: nothing changed', async (t) => {
  const d = compareRevisions(rev(1), rev(2));
  t.same(
    d.map((f) => f.field),
    ['kicker', 'title', 'subtitle', 'summary', 'authorLine', 'tags', 'cover', 'linkUrl', 'body'],
  );
  for (const f of d) {
    t.equal(f.changed, false, `${f.field} unchanged`);
    t.same(ops(f, 'insert').concat(ops(f, 'delete')), [], `${f.field} has no insert or delete`);
  }
});

t.test('Chinese text: inserted and deleted characters are marked, nothing else', async (t) => {
  const a = rev(1);
  const b = rev(2, { title: '郑州市隆重举办文化节', summary: '文化节为期五天', tags: ['文化', '旅游'] }, [
    { type: 'paragraph', text: '今天天气非常好，群众纷纷走上街头。' },
  ]);
  const d = compareRevisions(a, b);
  const title = field(d, 'title');
  t.equal(title.changed, true);
  t.same(ops(title, 'insert'), ['隆重']);
  t.same(ops(title, 'delete'), []);
  t.equal(side(title, 'insert'), b.title, 'the new title is rebuilt exactly');
  t.equal(side(title, 'delete'), a.title, 'and the old one');

  const summary = field(d, 'summary');
  t.same([ops(summary, 'delete'), ops(summary, 'insert')], [['三'], ['五']]);
  t.same([ops(field(d, 'tags'), 'delete'), ops(field(d, 'tags'), 'insert')], [['民生'], ['旅游']]);

  const body = field(d, 'body');
  t.equal(body.changed, true);
  t.same(ops(body, 'delete'), ['很']);
  t.same(ops(body, 'insert'), ['非常']);
  t.equal(field(d, 'subtitle').changed, false);
  t.equal(field(d, 'authorLine').changed, false);
});

t.test('a rare character outside the BMP is diffed whole, never split into surrogates', async (t) => {
  const d = compareRevisions(rev(1, { title: '张𠀀明当选' }), rev(2, { title: '张𠀁明当选' }));
  const title = field(d, 'title');
  t.same([ops(title, 'delete'), ops(title, 'insert')], [['𠀀'], ['𠀁']]);
});

t.test('blocks added, removed and replaced', async (t) => {
  const p1: Block = { type: 'paragraph', text: '第一段。' };
  const p2: Block = { type: 'paragraph', text: '第二段。' };
  const h: Block = { type: 'heading', text: '小标题', level: 2 };
  const added = field(compareRevisions(rev(1, {}, [p1]), rev(2, {}, [p1, h, p2])), 'body');
  t.equal(added.changed, true);
  t.same(ops(added, 'insert'), ['[heading h2] 小标题\n[paragraph] 第二段。\n']);
  t.same(ops(added, 'delete'), []);
  const removed = field(compareRevisions(rev(1, {}, [p1, p2]), rev(2, {}, [p2])), 'body');
  t.same(ops(removed, 'delete'), ['[paragraph] 第一段。\n']);
  t.same(ops(removed, 'insert'), []);
  const cover = field(
    compareRevisions(rev(1), rev(2, { cover_asset_id: '11111111-1111-4111-8111-111111111111' })),
    'cover',
  );
  t.equal(cover.changed, true, 'a new cover image');
  const image = field(
    compareRevisions(
      rev(1, {}, [{ type: 'image', assetId: '11111111-1111-4111-8111-111111111111' }]),
      rev(2, {}, [{ type: 'image', assetId: '22222222-2222-4222-8222-222222222222' }]),
    ),
    'body',
  );
  t.equal(image.changed, true, 'a swapped image');
});

t.test('changes a reviewer must see: link address, video and embed addresses, heading level', async (t) => {
  const link = compareRevisions(
    rev(1, { link_url: 'https://www.henan.gov.cn/a.html' }),
    rev(2, { link_url: 'https://phishing.example.com/a.html' }),
  );
  t.ok(
    link.some((f) => f.changed),
    'a changed link address shows up',
  );
  const video = field(
    compareRevisions(
      rev(1, {}, [{ type: 'video', url: 'https://v.example.cn/a.mp4', caption: '现场' }]),
      rev(2, {}, [{ type: 'video', url: 'https://v.example.cn/b.mp4', caption: '现场' }]),
    ),
    'body',
  );
  t.equal(video.changed, true, 'a swapped video');
  const embed = field(
    compareRevisions(
      rev(1, {}, [{ type: 'embed', url: 'https://map.example.cn/1' }]),
      rev(2, {}, [{ type: 'embed', url: 'https://evil.example.com/1' }]),
    ),
    'body',
  );
  t.equal(embed.changed, true, 'a swapped embed');
  const heading = field(
    compareRevisions(
      rev(1, {}, [{ type: 'heading', text: '要闻', level: 2 }]),
      rev(2, {}, [{ type: 'heading', text: '要闻', level: 3 }]),
    ),
    'body',
  );
  t.equal(heading.changed, true, 'a heading level');
  const quote = field(
    compareRevisions(
      rev(1, {}, [{ type: 'quote', text: '绿水青山就是金山银山', cite: '甲' }]),
      rev(2, {}, [{ type: 'quote', text: '绿水青山就是金山银山', cite: '乙' }]),
    ),
    'body',
  );
  t.equal(quote.changed, true, 'a changed quote source shows up');
});

t.test('a kicker (引题) change shows as its own field', async (t) => {
  const d = compareRevisions(rev(1), rev(2, { kicker: '喜迎丰收' }));
  const k = field(d, 'kicker');
  t.equal(k.changed, true);
  t.same(ops(k, 'insert'), ['喜迎丰收']);
  t.equal(field(d, 'title').changed, false, 'the title is untouched');
});
