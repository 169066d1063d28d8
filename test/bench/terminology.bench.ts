/**
 * Terminology engine benchmark: 10,000 rules against a 5,000-character story.
 * Run: npx tsx test/bench/terminology.bench.ts
 * The baseline (a plain indexOf loop per literal rule) runs in the same process on the
 * same texts, so the ratio holds on any machine even when absolute times do not.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { AhoCorasick, TerminologyChecker, storyTexts, type TerminologyRule } from '../../packages/core/src/terminology/index.js';

const RULES = 10_000;
const REGEX_RULES = 40;
const TEXT_LENGTH = 5_000;
const PARAGRAPH = 250;
const WARMUP = 50;
const RUNS = 200;

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(7);
const int = (n: number): number => Math.floor(rand() * n);

// Common characters of news copy; a skewed pick (rand²) makes some far more frequent, as in real text.
const POOL = [
  ...'的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严',
];
const pick = (): string => POOL[Math.floor(rand() * rand() * POOL.length)]!;
const word = (min: number, max: number): string => {
  let s = '';
  const len = min + int(max - min + 1);
  for (let i = 0; i < len; i++) s += pick();
  return s;
};

function makeRules(): TerminologyRule[] {
  const rules: TerminologyRule[] = [];
  const seen = new Set<string>();
  const tenants = ['henan', 'zhengzhou', 'luoyang', 'zhongmou'];
  while (rules.length < RULES - REGEX_RULES) {
    const pattern = word(2, 8);
    if (seen.has(pattern)) continue;
    seen.add(pattern);
    const block = rand() < 0.2;
    rules.push({
      id: `lit-${rules.length}`,
      tenantId: tenants[int(tenants.length)]!,
      pattern,
      kind: 'literal',
      replacement: block ? null : word(2, 6),
      severity: block ? 'block' : 'warn',
      note: '基准测试规则',
    });
  }
  const templates = [
    (): string => '(\\d{4}年\\d{1,2}月\\d{1,2})号',
    (): string => `${word(2, 3)}[^，。]{0,6}${word(2, 3)}`,
    (): string => `(?:${word(2, 3)}|${word(2, 3)})${word(1, 2)}`,
    (): string => `第[一二三四五六七八九十]{1,3}届${word(2, 4)}`,
    (): string => `${word(2, 4)}(?!${word(1, 2)})`,
  ];
  for (let i = 0; i < REGEX_RULES; i++) {
    rules.push({
      id: `re-${i}`,
      tenantId: 'henan',
      pattern: templates[i % templates.length]!(),
      kind: 'regex',
      replacement: i % templates.length === 0 ? '$1日' : null,
      severity: 'warn',
      note: '基准测试正则规则',
    });
  }
  return rules;
}

function makeStory(literals: readonly string[]): { title: string; blocks: { type: 'paragraph'; text: string }[] } {
  let text = '';
  while (text.length < TEXT_LENGTH) {
    const r = rand();
    if (r < 0.04) text += literals[int(literals.length)]; // plant a rule occurrence
    else if (r < 0.05) text += `${2000 + int(30)}年${1 + int(12)}月${1 + int(28)}号`;
    else if (r < 0.1) text += '，';
    else if (r < 0.12) text += '。';
    else text += pick();
  }
  text = text.slice(0, TEXT_LENGTH);
  const blocks: { type: 'paragraph'; text: string }[] = [];
  for (let i = 0; i < text.length; i += PARAGRAPH) blocks.push({ type: 'paragraph', text: text.slice(i, i + PARAGRAPH) });
  return { title: '', blocks };
}

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
function timeRuns(fn: () => number): { median: number; p99: number; result: number } {
  let result = 0;
  for (let i = 0; i < WARMUP; i++) result = fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    result = fn();
    times.push(ms(t0));
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, p99: times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)]!, result };
}

const rules = makeRules();
const literals = rules.filter((r) => r.kind === 'literal').map((r) => r.pattern);
const story = makeStory(literals);
const texts = storyTexts(story).map((u) => u.text);

const builds: number[] = [];
let checker = new TerminologyChecker(rules);
for (let i = 0; i < 5; i++) {
  const t0 = process.hrtime.bigint();
  checker = new TerminologyChecker(rules);
  builds.push(ms(t0));
}
builds.sort((a, b) => a - b);
const buildMs = builds[2]!;
const ac = checker.literalAutomaton ?? new AhoCorasick([]);

const check = timeRuns(() => checker.checkStory(story).length);
const automaton = timeRuns(() => texts.reduce((n, text) => n + ac.count(text), 0));
const indexOf = timeRuns(() => {
  let n = 0;
  for (const text of texts) {
    for (const p of literals) {
      for (let at = text.indexOf(p); at !== -1; at = text.indexOf(p, at + 1)) n++;
    }
  }
  return n;
});

const findings = checker.checkStory(story);
const literalFindings = findings.filter((f) => f.ruleId.startsWith('lit-')).length;
if (automaton.result !== indexOf.result || literalFindings !== indexOf.result) {
  console.error(`literal match counts differ: automaton ${automaton.result}, check ${literalFindings}, indexOf ${indexOf.result}`);
  process.exit(1);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const result = {
  rules: rules.length,
  literalRules: literals.length,
  regexRules: REGEX_RULES,
  textLength: texts.reduce((n, t) => n + t.length, 0),
  paragraphs: texts.length,
  states: ac.stateCount,
  buildMs: round(buildMs),
  checkMedianMs: round(check.median),
  checkP99Ms: round(check.p99),
  automatonMedianMs: round(automaton.median),
  automatonP99Ms: round(automaton.p99),
  indexOfMedianMs: round(indexOf.median),
  ratio: round(indexOf.median / automaton.median),
  ratioFullCheck: round(indexOf.median / check.median),
  findings: findings.length,
  literalMatches: indexOf.result,
  runs: RUNS,
  node: process.version,
};

console.log(`
| measure | value |
| --- | --- |
| rules (literal + regex) | ${result.rules} (${result.literalRules} + ${result.regexRules}) |
| text | ${result.textLength} chars in ${result.paragraphs} paragraphs |
| automaton states | ${result.states} |
| build (checker, median of 5) | ${result.buildMs} ms |
| check story, median / p99 (literal + regex + findings) | ${result.checkMedianMs} / ${result.checkP99Ms} ms |
| automaton search only, median / p99 | ${result.automatonMedianMs} / ${result.automatonP99Ms} ms |
| indexOf baseline, median | ${result.indexOfMedianMs} ms |
| ratio indexOf / automaton | ${result.ratio}× |
| ratio indexOf / full check | ${result.ratioFullCheck}× |
| findings (literal matches, equal in both) | ${result.findings} (${result.literalMatches}) |
`);

const outDir = new URL('./results/', import.meta.url);
mkdirSync(outDir, { recursive: true });
writeFileSync(new URL('terminology.json', outDir), JSON.stringify(result, null, 2) + '\n');
