/**
 * Terminology engine benchmark.
 *   1. the engine: 10,000 rules against a 5,000-character story; baseline a plain indexOf loop per
 *      literal rule in the same process on the same texts (the ratio holds on any machine).
 *   2. in the application, on the generated province (10,000 stories, or 1,000,000 with --large):
 *      a county checks its stored stories as the API does (`checkerFor` in the tenant's
 *      transaction: the rule set of the county and its ancestors, fingerprinted, compiled once),
 *      against a single primary-key SELECT through the same role and pool in the same run.
 * Run: pnpm bench terminology [--large]   or   npx tsx test/bench/terminology.bench.ts [--large]
 */
import { checkerFor, revisionFindings } from '@yiduan/core';
import { withTenant } from '@yiduan/db';
import {
  AhoCorasick,
  TerminologyChecker,
  storyTexts,
  type TerminologyRule,
} from '../../packages/core/src/terminology/index.js';
import {
  benchData,
  closedLoop,
  fmt,
  LARGE,
  pkSelect,
  readPrevious,
  SIZE,
  summaryTable,
  writeResult,
  type SummaryRow,
} from './lib/kit.js';

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
    if (r < 0.04)
      text += literals[int(literals.length)]; // plant a rule occurrence
    else if (r < 0.05) text += `${2000 + int(30)}年${1 + int(12)}月${1 + int(28)}号`;
    else if (r < 0.1) text += '，';
    else if (r < 0.12) text += '。';
    else text += pick();
  }
  text = text.slice(0, TEXT_LENGTH);
  const blocks: { type: 'paragraph'; text: string }[] = [];
  for (let i = 0; i < text.length; i += PARAGRAPH)
    blocks.push({ type: 'paragraph', text: text.slice(i, i + PARAGRAPH) });
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
  return {
    median: times[Math.floor(times.length / 2)]!,
    p99: times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)]!,
    result,
  };
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
  console.error(
    `literal match counts differ: automaton ${automaton.result}, check ${literalFindings}, indexOf ${indexOf.result}`,
  );
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

// ---- 2. in the application, on the generated province
const log = (m: string): void => console.log(`[terminology] ${m}`);
const data = await benchData(log);
const COUNTY = 'county-001';
const county = await data.owner.selectFrom('tenants').select('id').where('slug', '=', COUNTY).executeTakeFirstOrThrow();
const revisions = await data.owner
  .selectFrom('stories as s')
  .innerJoin('story_revisions as r', (j) =>
    j
      .onRef('r.tenant_id', '=', 's.tenant_id')
      .onRef('r.story_id', '=', 's.id')
      .onRef('r.number', '=', 's.published_revision'),
  )
  .select(['r.title', 'r.subtitle', 'r.summary', 'r.body'])
  .where('s.tenant_id', '=', county.id)
  .orderBy('s.published_at', 'desc')
  .limit(200)
  .execute();
const treeRules = await data.owner
  .selectFrom('terminology_rules')
  .select((eb) => eb.fn.countAll<string>().as('n'))
  .where('tenant_id', 'in', (eb) =>
    eb.selectFrom('tenant_tree').select('ancestor_id').where('descendant_id', '=', county.id),
  )
  .where('enabled', '=', true)
  .executeTakeFirstOrThrow();
const keys = await data.owner
  .selectFrom('stories')
  .select(['tenant_id', 'id'])
  .where('tenant_id', '=', county.id)
  .limit(1000)
  .execute();
let next = 0;
let appFindings = 0;
const appCheck = (): Promise<unknown> =>
  withTenant(data.db, county.id, async (trx) => {
    const f = revisionFindings(await checkerFor(trx, county.id), revisions[next++ % revisions.length]!);
    appFindings += f.length;
  });
const pk = pkSelect(data.db, keys);
// interleaved halves, so drift in the machine's load hits both alike
const halves: { app: Awaited<ReturnType<typeof closedLoop>>[]; pk: Awaited<ReturnType<typeof closedLoop>>[] } = {
  app: [],
  pk: [],
};
for (let i = 0; i < 2; i++) {
  halves.pk.push(await closedLoop(pk, { seconds: 5, concurrency: 4 }));
  halves.app.push(await closedLoop(appCheck, { seconds: 5, concurrency: 4 }));
}
const merge = (xs: Awaited<ReturnType<typeof closedLoop>>[]) => ({
  throughput: xs.reduce((a, x) => a + x.throughput, 0) / xs.length,
  p50Ms: Math.max(...xs.map((x) => x.p50Ms)),
  p99Ms: Math.max(...xs.map((x) => x.p99Ms)),
  rssMb: Math.max(...xs.map((x) => x.rssMb)),
  errors: xs.reduce((a, x) => a + x.errors, 0),
});
const app = merge(halves.app);
const pkFig = merge(halves.pk);
await data.close();
if (app.errors || pkFig.errors) {
  console.error(`errors during the application runs: check ${app.errors}, PK SELECT ${pkFig.errors}`);
  process.exit(1);
}
const avgChars = Math.round(
  revisions.reduce(
    (n, r) =>
      n +
      storyTexts({
        title: r.title,
        subtitle: r.subtitle ?? '',
        summary: r.summary ?? '',
        blocks: r.body as unknown[],
      }).reduce((m, u) => m + u.text.length, 0),
    0,
  ) / revisions.length,
);
log(
  `${data.name}: ${revisions.length} stored stories of ${COUNTY} (mean ${avgChars} characters), ${treeRules.n} rules in its tree: ${fmt(app.throughput)} checks/s, p50 ${app.p50Ms} ms; PK SELECT ${fmt(pkFig.throughput)}/s; ${appFindings} findings`,
);

const measuredAt = new Date().toISOString();
const summary: SummaryRow[] = [
  {
    bench: 'terminology',
    case: `engine: check a 5,000-character story against ${RULES.toLocaleString('en-US')} rules (in memory)`,
    size: SIZE,
    throughput: Math.round(1000 / check.median),
    unit: 'checks/s',
    p50Ms: round(check.median),
    p99Ms: round(check.p99),
    rssMb: null,
    baseline: 'indexOf loop per literal rule, same texts',
    baselineThroughput: Math.round(1000 / indexOf.median),
    baselineP50Ms: round(indexOf.median),
    ratio: round(indexOf.median / check.median),
    measuredAt,
  },
  {
    bench: 'terminology',
    case: `in the application: ${COUNTY} checks its stored stories (its tree's rules, tenant transaction, 4 callers)`,
    size: SIZE,
    throughput: Math.round(app.throughput),
    unit: 'checks/s',
    p50Ms: app.p50Ms,
    p99Ms: app.p99Ms,
    rssMb: app.rssMb,
    baseline: 'one primary-key SELECT (4 callers)',
    baselineThroughput: Math.round(pkFig.throughput),
    baselineP50Ms: pkFig.p50Ms,
    ratio: round(app.throughput / pkFig.throughput),
    measuredAt,
  },
];
type Sized = { size: number; measuredAt: string; summary: SummaryRow[]; treeRules: number; meanChars: number };
const prev = readPrevious<{ sizes?: Sized[] }>('terminology');
const sizes = [
  ...(prev?.sizes ?? []).filter((x) => x.size !== SIZE),
  { size: SIZE, measuredAt, summary, treeRules: Number(treeRules.n), meanChars: avgChars },
].sort((a, b) => a.size - b.size);

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

const engineTable = [
  '| measure | value |',
  '| --- | --- |',
  `| rules (literal + regex) | ${result.rules} (${result.literalRules} + ${result.regexRules}) |`,
  `| text | ${result.textLength} chars in ${result.paragraphs} paragraphs |`,
  `| automaton states | ${result.states} |`,
  `| build (checker, median of 5) | ${result.buildMs} ms |`,
  `| check story, median / p99 (literal + regex + findings) | ${result.checkMedianMs} / ${result.checkP99Ms} ms |`,
  `| automaton search only, median / p99 | ${result.automatonMedianMs} / ${result.automatonP99Ms} ms |`,
  `| indexOf baseline, median | ${result.indexOfMedianMs} ms |`,
  `| ratio indexOf / automaton | ${result.ratio}× |`,
  `| ratio indexOf / full check | ${result.ratioFullCheck}× |`,
  `| findings (literal matches, equal in both) | ${result.findings} (${result.literalMatches}) |`,
].join('\n');
writeResult('terminology', {
  ...result,
  large: LARGE,
  sizes,
  summary: sizes.flatMap((x) => x.summary),
  markdown: `The engine (section 1, in memory):\n\n${engineTable}\n\nBoth sections at each size:\n\n${summaryTable(sizes.flatMap((x) => x.summary))}`,
  notes: [
    ...sizes.map(
      (x) =>
        `${x.size.toLocaleString('en-US')} stories (${x.measuredAt.slice(0, 16).replace('T', ' ')} UTC): ${COUNTY}'s tree holds ${x.treeRules} enabled rules; its stored stories average ${x.meanChars} characters.`,
    ),
    "In the application each check is one tenant transaction: the rule-set fingerprint (count and hash of the tree's enabled rules, one indexed query), the compiled checker reused while the fingerprint holds, then the check in memory. The number of stories does not enter: the fingerprint reads terminology_rules and tenant_tree only.",
  ],
});
