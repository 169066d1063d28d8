import t from 'tap';
import {
  bigramTokens,
  highlight,
  MAX_POSITION,
  parseQuery,
  searchDocument,
  snippet,
  tsvectorLiteral,
} from '@yiduan/core';

t.test('bigrams: each character with its successor, the last one alone; words whole and folded', async (t) => {
  t.same(bigramTokens('汝阳县融媒体中心'), ['汝阳', '阳县', '县融', '融媒', '媒体', '体中', '中心', '心']);
  t.same(
    bigramTokens('２０２６年ＧＤＰ增长5.2%'),
    ['2026', '年', 'gdp', '增长', '长', '5', '2'],
    'full-width folded, punctuation separates',
  );
  t.same(bigramTokens('  ，。！'), [], 'punctuation only');
});

t.test('tsvector literal: weights, a gap between fields, quotes escaped, positions capped', async (t) => {
  t.equal(
    tsvectorLiteral([
      { text: '汝阳', weight: 'A' },
      { text: "o'neil", weight: 'C' },
    ]),
    "'汝阳':1A '阳':2A 'o':4C 'neil':5C",
  );
  t.equal(tsvectorLiteral([{ text: "a\\b'", weight: 'B' }]), "'a':1B 'b':2B", 'only letters and digits become lexemes');
  const long = tsvectorLiteral([{ text: '汝阳'.repeat(10_000), weight: 'C' }]);
  const max = Math.max(...[...long.matchAll(/(\d+)C/g)].map((m) => Number(m[1])));
  t.equal(max, MAX_POSITION, 'nothing past the last position PostgreSQL keeps');
});

t.test('query: exact phrases, single characters as prefixes, terms ANDed', async (t) => {
  t.equal(parseQuery('汝阳，县城')?.exact, "'汝阳' & '县城'", 'punctuation separates terms');
  t.equal(parseQuery('汝阳')?.exact, "'汝阳'");
  t.equal(parseQuery('县')?.exact, "'县':*");
  t.equal(parseQuery('二程故里')?.exact, "('二程' <-> '程故' <-> '故里')");
  t.equal(parseQuery('汝阳县 2026年')?.exact, "('汝阳' <-> '阳县') & ('2026' <-> '年':*)");
  t.equal(
    parseQuery('汝阳县2026')?.exact,
    "('汝阳' <-> '阳县' <-> '县' <-> '2026')",
    'an inner run keeps its end, as documents do',
  );
  t.equal(parseQuery('杜康')?.title, "'杜康':A");
  t.equal(parseQuery('杜康')?.match, "'杜康'", 'short terms: exact only');
  for (const q of ['县', '阳', '县 阳', 'a', '5'])
    t.equal(parseQuery(q)?.short, true, `${q}: one-character terms only (counted to the smaller cap)`);
  for (const q of ['县城', '县 阳光', '5G', '汝阳县 2026年'])
    t.equal(parseQuery(q)?.short, false, `${q}: a term of two characters or more`);
  t.equal(parseQuery("'); DROP TABLE x; --")?.exact, "'drop' & 'table' & 'x'", 'quotes never reach the tsquery');
});

t.test('query: empty, blank, punctuation and long input', async (t) => {
  t.equal(parseQuery(''), null);
  t.equal(parseQuery(' \u3000\t '), null, 'ideographic space is blank too');
  t.equal(parseQuery('，。？！'), null);
  const long = parseQuery('乡'.repeat(150));
  t.ok(long?.truncated);
  t.equal(Array.from(long?.text ?? '').length, 100);
  t.notOk(parseQuery('乡村振兴')?.truncated);
});

t.test('query: long CJK terms also match in pieces of two or more characters', async (t) => {
  const q = parseQuery('汝阳杜康');
  t.equal(q?.exact, "('汝阳' <-> '阳杜' <-> '杜康')");
  t.equal(q?.match, "('汝阳' & '杜康')", 'the first and last bigrams cover all four characters');
  t.equal(q?.title, "('汝阳':A <-> '阳杜':A <-> '杜康':A)", 'the title boost asks for the phrase');
  t.same(
    q?.highlights.map((h) => h.text),
    ['汝阳', '阳杜', '杜康'],
  );
  t.equal(
    parseQuery('汝阳县融媒体中心')?.match,
    "('汝阳' & '中心' & ('阳县' | '县融') & ('县融' | '融媒') & ('融媒' | '媒体') & ('媒体' | '体中'))",
    'no character left uncovered',
  );
  t.equal(
    parseQuery('汝阳县融媒体中心')?.exact,
    "('汝阳' <-> '阳县' <-> '县融' <-> '融媒' <-> '媒体' <-> '体中' <-> '中心')",
  );
  t.equal(parseQuery('乡村振兴 2026')?.match, "('乡村' & '振兴') & '2026'");
  t.equal(
    parseQuery('老君山')?.match,
    "('老君' & '君山')",
    'three characters: both bigrams, no phrase operator (the index answers alone)',
  );
  t.equal(parseQuery('5G基站')?.match, "('5g' & '基站')");
  t.equal(parseQuery('5G基站')?.exact, "('5g' <-> '基站')");
});

t.test('highlight: every occurrence, folded, words at boundaries only, text kept verbatim', async (t) => {
  const parts = highlight('<script>汝阳县ＧＤＰ，gdp2 与 GDP', [
    { text: '汝阳', word: false },
    { text: 'gdp', word: true },
  ]);
  t.same(parts, [
    { text: '<script>', hit: false },
    { text: '汝阳', hit: true },
    { text: '县', hit: false },
    { text: 'ＧＤＰ', hit: true },
    { text: '，gdp2 与 ', hit: false },
    { text: 'GDP', hit: true },
  ]);
  t.same(
    highlight('乡村振兴', [
      { text: '乡村', word: false },
      { text: '村振', word: false },
    ]),
    [
      { text: '乡村振', hit: true },
      { text: '兴', hit: false },
    ],
    'overlaps merge',
  );
  t.same(
    highlight('😀汝阳', [{ text: '汝阳', word: false }]),
    [
      { text: '😀', hit: false },
      { text: '汝阳', hit: true },
    ],
    'astral characters keep their offsets',
  );
});

t.test('snippet: a window around the first match, cut with …', async (t) => {
  const text = `${'前文'.repeat(100)}汝阳县融媒体中心${'后文'.repeat(100)}`;
  const parts = snippet(text, [{ text: '汝阳', word: false }], 40);
  t.equal(parts[0]?.text, '…');
  t.equal(parts[parts.length - 1]?.text, '…');
  t.ok(parts.some((p) => p.hit && p.text === '汝阳'));
  t.ok(parts.map((p) => p.text).join('').length <= 44);
  t.same(snippet('短文', [{ text: '汝阳', word: false }]), [{ text: '短文', hit: false }], 'no match: the start');
  t.same(snippet('', []), []);
});

t.test('document: title A, summary and tags B, body C', async (t) => {
  const doc = searchDocument({
    title: '杜康',
    subtitle: '',
    summary: '摘要',
    tags: ['乡村'],
    body: [{ type: 'paragraph', text: '正文' }],
  });
  t.match(doc.tsv, /'杜康':1A/);
  t.match(doc.tsv, /'摘要':4B/);
  t.match(doc.tsv, /'乡村':7B/);
  t.match(doc.tsv, /'正文':10C/);
  t.equal(doc.bodyText, '正文');
});
