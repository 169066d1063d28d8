import t from 'tap';
import { AhoCorasick } from '../src/terminology/index.js';

const triples = (ac: AhoCorasick, text: string, patterns: string[]): string[] =>
  ac
    .search(text)
    .map((m) => `${patterns[m.patternIndex]}@${m.start}-${m.end}`)
    .sort();

t.test('overlapping and nested matches are all reported', async (t) => {
  const patterns = ['他', '他们', '们的', '他们的'];
  const ac = new AhoCorasick(patterns);
  t.same(triples(ac, '他们的', patterns), ['们的@1-3', '他@0-1', '他们@0-2', '他们的@0-3'].sort());
  t.same(triples(ac, '他他们们的', patterns), ['他@0-1', '他@1-2', '他们@1-3', '们的@3-5'].sort());
});

t.test('classic fail-link cases', async (t) => {
  const patterns = ['he', 'she', 'his', 'hers'];
  const ac = new AhoCorasick(patterns);
  t.same(triples(ac, 'ushers', patterns), ['she@1-4', 'he@2-4', 'hers@2-6'].sort());
  const rep = ['aa', 'aaa'];
  t.same(triples(new AhoCorasick(rep), 'aaaa', rep), ['aa@0-2', 'aa@1-3', 'aa@2-4', 'aaa@0-3', 'aaa@1-4'].sort());
});

t.test('duplicate patterns each report, in input order', async (t) => {
  const ac = new AhoCorasick(['做为', '做为', '为']);
  const found = ac.search('做为');
  t.same(found, [
    { patternIndex: 0, start: 0, end: 2 },
    { patternIndex: 1, start: 0, end: 2 },
    { patternIndex: 2, start: 1, end: 2 },
  ]);
});

t.test('ASCII is case-insensitive, other scripts are untouched', async (t) => {
  const ac = new AhoCorasick(['WiFi', 'cctv']);
  t.same(
    ac.search('连上wifi看CCTV，再看Cctv').map((m) => m.start),
    [2, 7, 14],
  );
  t.equal(new AhoCorasick(['Ａ']).count('ａ'), 0, 'full-width letters are not folded');
  t.equal(new AhoCorasick(['ß']).count('SS'), 0);
});

t.test('surrogate pairs keep UTF-16 offsets', async (t) => {
  const text = '😀台湾👍台湾𠮷野家';
  const ac = new AhoCorasick(['台湾', '👍台', '𠮷野']);
  const found = ac.search(text);
  t.same(
    found.map((m) => [m.patternIndex, m.start, m.end, text.slice(m.start, m.end)]),
    [
      [0, 2, 4, '台湾'],
      [1, 4, 7, '👍台'],
      [0, 6, 8, '台湾'],
      [2, 8, 11, '𠮷野'],
    ],
  );
});

t.test('empty patterns are refused; no patterns finds nothing', async (t) => {
  t.throws(() => new AhoCorasick(['a', '']), RangeError);
  t.same(new AhoCorasick([]).search('anything'), []);
});

// Deterministic PRNG so a failure can be replayed.
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const foldAscii = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function naive(patterns: string[], text: string): string[] {
  const hay = foldAscii(text);
  const out: string[] = [];
  patterns.forEach((p, i) => {
    const needle = foldAscii(p);
    for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) out.push(`${i}:${at}`);
  });
  return out.sort();
}

t.test('randomized: same (pattern, start) set as a naive indexOf scan', async (t) => {
  const rand = mulberry32(20240501);
  // small alphabet so patterns overlap and nest often; includes case pairs and an emoji
  const alphabet = ['他', '们', '的', '台', '湾', 'a', 'A', 'b', 'B', '😀'];
  const pick = (): string => alphabet[Math.floor(rand() * alphabet.length)]!;
  const word = (min: number, max: number): string => {
    let s = '';
    const len = min + Math.floor(rand() * (max - min + 1));
    for (let i = 0; i < len; i++) s += pick();
    return s;
  };
  let compared = 0;
  for (let round = 0; round < 200; round++) {
    const patterns = Array.from({ length: 1 + Math.floor(rand() * 30) }, () => word(1, 5));
    const text = word(0, 300);
    const got = new AhoCorasick(patterns)
      .search(text)
      .map((m) => {
        if (m.end - m.start !== patterns[m.patternIndex]!.length) t.fail('end - start must equal pattern length');
        return `${m.patternIndex}:${m.start}`;
      })
      .sort();
    const want = naive(patterns, text);
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      t.same(got, want, `round ${round}: ${JSON.stringify(patterns)} in ${JSON.stringify(text)}`);
      return;
    }
    compared += want.length;
  }
  t.ok(compared > 1000, `compared ${compared} matches over 200 rounds`);
});
