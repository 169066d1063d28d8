/**
 * Chinese search benchmark on a real PostgreSQL database (a throwaway copy of the migrated template).
 *
 *   1. recall: a generated corpus of 2,000 county news stories (place names, institutions,
 *      officials, people, policy phrases, idioms, landmarks), 15 queries whose expected hits are
 *      computed by substring search in JavaScript; five approaches compared on the same rows:
 *      ICU word segmentation (Intl.Segmenter) as phrase or AND, character bigrams exact, bigrams
 *      with the related fallback (the chosen one), pg_trgm ILIKE over a GIN trigram index.
 *   2. latency of a result page (count + top 10 ranked) per approach at 10,000 documents
 *      (100,000 with --large, 1,000,000 with --million, by copying rows), against a primary-key
 *      SELECT in the same run.
 *   3. end to end: `searchFace` through the application role (row-level security on) over
 *      10,000 stories, revisions and placements on the real schema (and 100,000 with --copies),
 *      and the cost of `indexStory`.
 *   4. the generated province (yd_bench_10k, or yd_bench_1m with --large): `searchFace` on a
 *      county's face and on the province's, against a primary-key SELECT in the same loop.
 *
 * Run: pnpm bench search [--large]   or   npx tsx test/bench/search.bench.ts [--large] [--copies | --million] [--runs=N] [--keep]
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { sql, type RawBuilder } from 'kysely';
import {
  bigramTokens,
  indexStory,
  parseQuery,
  reindexAll,
  searchFace,
  searchLexeme,
  segmentTokens,
  tsvectorLiteral,
} from '@yiduan/core';
import { withPlatform, withPublic, type DB, type Executor, type Tenant } from '@yiduan/db';
import { cloneTemplate, ensureTemplate, seedDemo, type TestDatabase } from '@yiduan/testkit';
import { benchData, readPrevious, SIZE, summaryTable, type SummaryRow } from './lib/kit.js';

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const MILLION = process.argv.includes('--million');
/** the approaches on 100,000 copies (--copies) or 1,000,000 (--million); --large is the province's size (kit.ts) */
const LARGE = MILLION || process.argv.includes('--copies');
/** leave the approaches' database behind for EXPLAIN by hand (its name is printed) */
const KEEP = process.argv.includes('--keep');

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const v = arg ? Number(arg.slice(name.length + 3)) : fallback;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}
// 8 rounds keep the whole `pnpm bench` under 10 minutes on two cores (--runs=20 for tighter medians)
const RUNS = option('runs', 8);
const RECALL_DOCS = 2_000;
const SMALL = 10_000;
/** --large: 100,000 copies (cheap); --million: 1,000,000 (about 9 GB and an hour on two cores) */
const BIG = MILLION ? 1_000_000 : 100_000;
/** end to end with --large: stories on the real schema (built through the application's indexing) */
const E2E_BIG = 100_000;

// ---------------------------------------------------------------- helpers

const now = (): number => performance.now();
const log = (msg: string): void => console.log(`[search] ${msg}`);
function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * q) - 1))]! : Number.NaN;
}
const median = (v: readonly number[]): number => quantile(v, 0.5);
const fmt = (x: number): string =>
  Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) : 'n/a';
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(x === 1 ? 0 : 1)}%` : '–');
async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = now();
  const v = await fn();
  return [now() - t0, v];
}

/** A copy of the migrated template under its own prefix, which `pnpm test`'s sweep of yd_t_* leaves alone. */
async function benchDatabase(): Promise<TestDatabase> {
  return cloneTemplate(await ensureTemplate(), undefined, {
    prefix: 'yd_bench_search_',
    applicationName: 'yiduan-bench-search',
  });
}

/** mulberry32: a small seeded generator, so every run searches the same corpus */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------- corpus

interface County {
  name: string;
  short: string;
  /** demo tenant that owns its stories in the end-to-end part */
  tenant: string;
  towns: string[];
  marks: string[];
}

const COUNTIES: County[] = [
  {
    name: '汝阳县',
    short: '汝阳',
    tenant: 'ruyang',
    towns: ['城关镇', '上店镇', '付店镇', '十八盘乡', '小店镇', '柏树乡', '蔡店乡', '三屯镇'],
    marks: ['杜康村', '杜康酒', '杜康祠', '西泰山', '恐龙化石群', '炎黄水库'],
  },
  {
    name: '伊川县',
    short: '伊川',
    tenant: 'yichuan',
    towns: ['城关街道', '鸣皋镇', '白沙镇', '彭婆镇', '吕店镇', '江左镇'],
    marks: ['二程故里', '伊河湿地', '范仲淹墓园', '鸣皋书院'],
  },
  {
    name: '嵩县',
    short: '嵩县',
    tenant: 'luoyang',
    towns: ['城关镇', '田湖镇', '车村镇', '白河镇', '旧县镇'],
    marks: ['白云山', '天池山', '陆浑湖'],
  },
  {
    name: '栾川县',
    short: '栾川',
    tenant: 'luoyang',
    towns: ['城关镇', '陶湾镇', '潭头镇', '庙子镇'],
    marks: ['老君山', '鸡冠洞', '重渡沟'],
  },
  {
    name: '宜阳县',
    short: '宜阳',
    tenant: 'luoyang',
    towns: ['城关镇', '寻村镇', '柳泉镇', '韩城镇'],
    marks: ['灵山寺', '花果山'],
  },
  {
    name: '柘城县',
    short: '柘城',
    tenant: 'zhecheng',
    towns: ['城关镇', '起台镇', '胡襄镇', '慈圣镇'],
    marks: ['三樱椒', '辣椒大市场'],
  },
  {
    name: '登封市',
    short: '登封',
    tenant: 'zhengzhou',
    towns: ['嵩阳街道', '大金店镇', '告成镇'],
    marks: ['少林寺', '中岳庙', '嵩阳书院'],
  },
  {
    name: '管城回族区',
    short: '管城',
    tenant: 'guancheng',
    towns: ['北下街街道', '紫荆山南路街道', '南曹街道'],
    marks: ['商城遗址', '书院街'],
  },
];
const CITIES = ['郑州市', '洛阳市', '商丘市', '开封市', '南阳市', '许昌市'];
const INSTITUTIONS = [
  '融媒体中心',
  '教育局',
  '文化广电和旅游局',
  '农业农村局',
  '卫生健康委员会',
  '交通运输局',
  '应急管理局',
  '市场监督管理局',
  '乡村振兴局',
];
const OFFICIALS = [
  '县委书记',
  '县长',
  '县委副书记',
  '副县长',
  '县委常委、宣传部部长',
  '镇党委书记',
  '村党支部书记',
  '局长',
];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭'];
const GIVEN = ['建国', '卫东', '红梅', '晓燕', '志强', '海涛', '丽娟', '国庆', '文博', '思远', '明辉', '春华'];
const TOPICS = [
  '乡村振兴',
  '高质量发展',
  '营商环境',
  '安全生产',
  '招商引资',
  '文明城市创建',
  '人居环境整治',
  '防汛抗旱',
  '秋粮收购',
  '产业融合',
  '数字经济',
  '基层治理',
  '民生实事',
  '文化旅游',
  '非物质文化遗产保护',
  '全民健身',
  '义务教育',
  '医疗保障',
];
const IDIOMS = [
  '一丝不苟',
  '实事求是',
  '守正创新',
  '脚踏实地',
  '与时俱进',
  '精益求精',
  '众志成城',
  '群策群力',
  '久久为功',
  '因地制宜',
  '兢兢业业',
];
const FESTIVALS = ['杜康文化节', '牡丹文化节', '辣椒文化节', '二程文化节', '红叶节', '农民丰收节'];
const VILLAGES = ['东村', '西沟村', '王庄村', '李家湾村', '马山村', '河口村'];

interface Doc {
  id: number;
  county: County;
  title: string;
  summary: string;
  body: string;
  publishedAt: Date;
}

function makeDoc(id: number, r: () => number): Doc {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const c = pick(COUNTIES);
  const person = (): string => pick(SURNAMES) + pick(GIVEN);
  const town = pick(c.towns);
  const topic = pick(TOPICS);
  const titles = [
    () => `${c.name}${pick(INSTITUTIONS)}召开${topic}工作推进会`,
    () => `${pick(OFFICIALS)}${person()}到${town}调研${topic}工作`,
    () => `${c.name}举办第${int(2, 20)}届${pick(FESTIVALS)}`,
    () => `${c.short}${pick(c.marks)}迎来游客高峰`,
    () => `${pick(CITIES)}${topic}取得新进展`,
    () => `${town}：${pick(IDIOMS)}抓${topic}`,
    () => `【${topic}】${c.name}${town}${pick(VILLAGES)}见闻`,
  ];
  const sentences = [
    () => `${int(1, 12)}月${int(1, 28)}日，${c.name}${pick(INSTITUTIONS)}召开会议，专题研究${pick(TOPICS)}工作。`,
    () => `${pick(OFFICIALS)}${person()}出席会议并讲话，要求各级干部${pick(IDIOMS)}，确保各项任务落到实处。`,
    () => `${person()}强调，要坚持以人民为中心的发展思想，扎实推进${pick(TOPICS)}。`,
    () => `近年来，${town}立足${pick(c.marks)}资源优势，大力发展${pick(TOPICS)}。`,
    () => `据${c.name}融媒体中心记者了解，今年以来全县${pick(TOPICS)}累计完成投资${int(2, 90)}亿元。`,
    () => `来自${pick(CITIES)}的游客${person()}说：“${pick(c.marks)}名不虚传，下次还要再来。”`,
    () => `${town}${pick(VILLAGES)}村民${person()}说，这几年日子越过越红火。`,
    () => `活动现场，${pick(FESTIVALS)}吸引了众多市民参与。`,
    () => `全面推进乡村振兴，${town}因地制宜发展特色产业。`,
    () => `截至${int(1, 12)}月底，全县新建5G基站${int(10, 400)}个，GDP同比增长${int(3, 9)}.${int(0, 9)}%。`,
    () => `${c.short}${pick(c.marks)}是当地的一张名片，${pick(IDIOMS)}的匠人精神代代相传。`,
  ];
  const body = Array.from({ length: int(6, 14) }, () => pick(sentences)()).join('');
  const summary = pick(sentences)();
  const publishedAt = new Date(Date.UTC(2026, 0, 1) + Math.floor(r() * 330 * 86_400_000));
  return { id, county: c, title: pick(titles)(), summary, body, publishedAt };
}

function corpus(n: number, seed: number, firstId = 1): Doc[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => makeDoc(firstId + i, r));
}

// ---------------------------------------------------------------- queries

interface Query {
  q: string;
  kind: string;
  /** expected hits; by default: the text contains the query */
  truth?: (text: string) => boolean;
}

const QUERIES: Query[] = [
  { q: '汝阳', kind: 'name inside compounds (汝阳县融媒体中心)' },
  { q: '汝阳县融媒体中心', kind: 'institution' },
  { q: '杜康', kind: 'name (杜康村, 杜康酒, 杜康文化节)' },
  { q: '二程故里', kind: 'landmark' },
  { q: '老君山', kind: 'landmark' },
  { q: '乡村振兴', kind: 'policy phrase' },
  { q: '一丝不苟', kind: 'idiom' },
  { q: '王建国', kind: 'person' },
  { q: '县委书记', kind: 'official title' },
  { q: '县', kind: 'one character' },
  { q: '阳', kind: 'one character inside words (洛阳, 嵩阳)' },
  { q: '阳县', kind: 'substring across words' },
  { q: '全面推进乡村振兴', kind: 'unsegmented phrase' },
  { q: '5G基站', kind: 'Latin + Chinese' },
  {
    q: '汝阳杜康',
    kind: 'two names unspaced, not adjacent in the text',
    truth: (t) => t.includes('汝阳') && t.includes('杜康'),
  },
];

const fullText = (d: Pick<Doc, 'title' | 'summary' | 'body'>): string =>
  `${d.title}\n${d.summary}\n${d.body}`.normalize('NFKC').toLowerCase();
const truthOf = (q: Query, text: string): boolean =>
  q.truth ? q.truth(text) : text.includes(q.q.normalize('NFKC').toLowerCase());

// ---------------------------------------------------------------- approaches

interface Approach {
  key: string;
  label: string;
  /** the matching condition; null: nothing searchable in the query */
  where(q: string): RawBuilder<boolean> | null;
  score(q: string): RawBuilder<number>;
}

const tsq = (literal: string): RawBuilder<unknown> => sql`${literal}::tsquery`;
const segPhrase = (q: string): string | null => {
  const tokens = segmentTokens(q);
  return tokens.length
    ? tokens.map((t, i) => `${searchLexeme(t)}${i === tokens.length - 1 ? ':*' : ''}`).join(' <-> ')
    : null;
};
const segAnd = (q: string): string | null => {
  const tokens = segmentTokens(q);
  return tokens.length ? tokens.map((t) => `${searchLexeme(t)}:*`).join(' & ') : null;
};
const likeTerms = (q: string): string[] =>
  q
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((t) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
const tsWhere = (column: 'tsv_seg' | 'tsv_bi', literal: string | null | undefined): RawBuilder<boolean> | null =>
  literal ? sql<boolean>`${sql.ref(column)} @@ ${tsq(literal)}` : null;

const APPROACHES: Approach[] = [
  {
    key: 'seg-phrase',
    label: '(a) Intl.Segmenter words, phrase, last word as prefix',
    where: (q) => tsWhere('tsv_seg', segPhrase(q)),
    score: (q) => sql<number>`ts_rank_cd(tsv_seg, ${tsq(segPhrase(q) ?? '')}, 33)`,
  },
  {
    key: 'seg-and',
    label: '(a′) Intl.Segmenter words, all words as prefixes, AND',
    where: (q) => tsWhere('tsv_seg', segAnd(q)),
    score: (q) => sql<number>`ts_rank_cd(tsv_seg, ${tsq(segAnd(q) ?? '')}, 33)`,
  },
  {
    key: 'bigram',
    label: '(b) character bigrams, exact phrase',
    where: (q) => tsWhere('tsv_bi', parseQuery(q)?.exact),
    score: (q) => sql<number>`ts_rank_cd(tsv_bi, ${tsq(parseQuery(q)?.exact ?? '')}, 33)`,
  },
  {
    key: 'bigram-pieces',
    label:
      '(b+) character bigrams, every bigram of each term (terms of 4+ characters: in pieces), exact phrase and title boosted (chosen)',
    where: (q) => tsWhere('tsv_bi', parseQuery(q)?.match),
    score: (q) => {
      const p = parseQuery(q);
      if (!p) return sql<number>`0`;
      return sql<number>`ts_rank_cd(tsv_bi, ${tsq(p.match)}, 33) + CASE WHEN tsv_bi @@ ${tsq(p.exact)} THEN 1 ELSE 0 END + CASE WHEN tsv_bi @@ ${tsq(p.title)} THEN 0.5 ELSE 0 END`;
    },
  },
  {
    key: 'trgm',
    label: '(c) pg_trgm: ILIKE per term over a GIN trigram index, ranked by similarity to the title',
    where: (q) => {
      const terms = likeTerms(q);
      return terms.length
        ? (sql.join(
            terms.map((t) => sql`doc ILIKE ${t}`),
            sql` AND `,
          ) as RawBuilder<boolean>)
        : null;
    },
    score: (q) => sql<number>`similarity(title, ${q})`,
  },
];

async function matchingIds(ex: Executor, a: Approach, q: string, maxId: number): Promise<Set<number>> {
  const cond = a.where(q);
  if (!cond) return new Set();
  const rows = await sql<{ id: number }>`SELECT id FROM bench_docs WHERE ${cond} AND id <= ${maxId}`.execute(ex);
  return new Set(rows.rows.map((r) => r.id));
}

/** One result page as the portal asks for it: total and the ten best. */
async function resultPage(ex: Executor, a: Approach, q: string): Promise<number> {
  const cond = a.where(q);
  if (!cond) return 0;
  const rows = await sql<{ id: number; total: number }>`
    SELECT id, title, ${a.score(q)} AS score, count(*) OVER () AS total FROM bench_docs
    WHERE ${cond} ORDER BY score DESC, published_at DESC LIMIT 10`.execute(ex);
  return Number(rows.rows[0]?.total ?? 0);
}

// ---------------------------------------------------------------- the approaches' table

async function createDocs(owner: DB): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(owner);
  await sql`CREATE TABLE bench_docs (id int PRIMARY KEY, title text NOT NULL, body text NOT NULL, published_at timestamptz NOT NULL, doc text NOT NULL, tsv_bi tsvector NOT NULL, tsv_seg tsvector NOT NULL)`.execute(
    owner,
  );
}

async function loadDocs(owner: DB, docs: readonly Doc[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const rows = docs.slice(i, i + 500).map((d) => {
      const fields = [
        { text: d.title, weight: 'A' as const },
        { text: d.summary, weight: 'B' as const },
        { text: d.body, weight: 'C' as const },
      ];
      return sql`(${d.id}, ${d.title}, ${`${d.summary}\n${d.body}`}, ${d.publishedAt}, ${`${d.title}\n${d.summary}\n${d.body}`}, ${tsvectorLiteral(fields, bigramTokens)}::tsvector, ${tsvectorLiteral(fields, segmentTokens)}::tsvector)`;
    });
    await sql`INSERT INTO bench_docs (id, title, body, published_at, doc, tsv_bi, tsv_seg) VALUES ${sql.join(rows)}`.execute(
      owner,
    );
  }
}

async function indexDocs(owner: DB): Promise<Record<string, number>> {
  await sql`SET maintenance_work_mem = '512MB'`.execute(owner);
  const built: Record<string, number> = {};
  for (const [name, ddl] of [
    ['bench_tsv_bi', sql`CREATE INDEX bench_tsv_bi ON bench_docs USING gin (tsv_bi)`],
    ['bench_tsv_seg', sql`CREATE INDEX bench_tsv_seg ON bench_docs USING gin (tsv_seg)`],
    ['bench_trgm', sql`CREATE INDEX bench_trgm ON bench_docs USING gin (doc gin_trgm_ops)`],
  ] as const) {
    const [ms] = await timed(() => ddl.execute(owner));
    built[name] = ms;
  }
  await sql`VACUUM ANALYZE bench_docs`.execute(owner);
  return built;
}

async function sizes(owner: DB): Promise<Record<string, number>> {
  const r = await sql<{ name: string; bytes: number }>`
    SELECT c.relname AS name, pg_total_relation_size(c.oid)::bigint AS bytes FROM pg_class c
    WHERE c.relname IN ('bench_docs', 'bench_docs_pkey', 'bench_tsv_bi', 'bench_tsv_seg', 'bench_trgm')`.execute(owner);
  return Object.fromEntries(r.rows.map((x) => [x.name, Number(x.bytes)]));
}

// ---------------------------------------------------------------- measurements

interface RecallRow {
  q: string;
  kind: string;
  expected: number;
  found: Record<string, { hits: number; recall: number; precision: number }>;
}

async function measureRecall(owner: DB, docs: readonly Doc[]): Promise<RecallRow[]> {
  const texts = docs.map((d) => ({ id: d.id, text: fullText(d) }));
  const out: RecallRow[] = [];
  for (const query of QUERIES) {
    const truth = new Set(texts.filter((t) => truthOf(query, t.text)).map((t) => t.id));
    const found: RecallRow['found'] = {};
    for (const a of APPROACHES) {
      const got = await matchingIds(owner, a, query.q, RECALL_DOCS);
      const hits = [...got].filter((id) => truth.has(id)).length;
      found[a.key] = {
        hits: got.size,
        recall: truth.size ? hits / truth.size : got.size ? 0 : 1,
        precision: got.size ? hits / got.size : truth.size ? 0 : 1,
      };
    }
    out.push({ q: query.q, kind: query.kind, expected: truth.size, found });
  }
  return out;
}

interface Latency {
  docs: number;
  baseline: { medianMs: number; p99Ms: number };
  approaches: Record<string, { medianMs: number; p99Ms: number; ratio: number; byQuery: Record<string, number> }>;
  runs: number;
}

async function measureLatency(owner: DB, docs: number, runs: number): Promise<Latency> {
  const samples = new Map<string, number[]>(APPROACHES.map((a) => [a.key, []]));
  const perQuery = new Map<string, number[]>();
  const base: number[] = [];
  const r = rng(7);
  // warm every plan and the caches first
  for (const a of APPROACHES) for (const q of QUERIES) await resultPage(owner, a, q.q);
  for (let run = 0; run < runs; run++) {
    for (const q of QUERIES) {
      for (const a of APPROACHES) {
        const [ms] = await timed(() => resultPage(owner, a, q.q));
        samples.get(a.key)!.push(ms);
        const k = `${a.key}|${q.q}`;
        perQuery.set(k, [...(perQuery.get(k) ?? []), ms]);
      }
      const id = 1 + Math.floor(r() * docs);
      const [ms] = await timed(() => sql`SELECT id, title FROM bench_docs WHERE id = ${id}`.execute(owner));
      base.push(ms);
    }
  }
  const baseline = { medianMs: median(base), p99Ms: quantile(base, 0.99) };
  const approaches: Latency['approaches'] = {};
  for (const a of APPROACHES) {
    const s = samples.get(a.key)!;
    approaches[a.key] = {
      medianMs: median(s),
      p99Ms: quantile(s, 0.99),
      ratio: median(s) / baseline.medianMs,
      byQuery: Object.fromEntries(QUERIES.map((q) => [q.q, median(perQuery.get(`${a.key}|${q.q}`) ?? [])])),
    };
  }
  return { docs, baseline, approaches, runs };
}

async function explainTwoChar(owner: DB): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const a of APPROACHES) {
    const cond = a.where('汝阳');
    if (!cond) continue;
    const plan = await sql<{
      'QUERY PLAN': string;
    }>`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT count(*) FROM bench_docs WHERE ${cond}`.execute(owner);
    out[a.key] = plan.rows
      .map((p) => p['QUERY PLAN'].trim())
      .filter((l) => /Scan|Recheck|Rows Removed|Heap Blocks/.test(l))
      .join(' / ');
  }
  return out;
}

// ---------------------------------------------------------------- end to end on the real schema

interface EndToEnd {
  stories: number;
  placements: number;
  reindexMs: number;
  face: string;
  baseline: { medianMs: number; p99Ms: number };
  search: { medianMs: number; p99Ms: number; ratio: number; byQuery: Record<string, { ms: number; total: number }> };
  /** the matching step written directly under row-level security, where the GIN index cannot be used */
  directUnderRls: { medianMs: number; p99Ms: number; ratio: number };
  indexStory: { medianMs: number; p99Ms: number; ratio: number };
  plan: string;
}

async function loadStories(
  owner: DB,
  tenants: Record<string, Tenant>,
  docs: readonly Doc[],
): Promise<{ ids: { tenantId: string; id: string }[]; placements: number }> {
  const faces = Object.values(tenants);
  const henan = tenants.henan!;
  const ids: { tenantId: string; id: string }[] = [];
  let placements = 0;
  for (let i = 0; i < docs.length; i += 500) {
    const chunk = docs.slice(i, i + 500).map((d, k) => {
      // a tenth are the province's, pushed to every face; the rest belong to their county's tenant
      const origin = (i + k) % 10 === 0 ? henan : tenants[d.county.tenant]!;
      return { d, origin, id: randomUUID() };
    });
    await owner
      .insertInto('stories')
      .values(
        chunk.map(({ d, origin, id }) => ({
          tenant_id: origin.id,
          id,
          kind: 'article' as const,
          status: 'published' as const,
          published_revision: 1,
          published_at: d.publishedAt,
          first_published_at: d.publishedAt,
        })),
      )
      .execute();
    await owner
      .insertInto('story_revisions')
      .values(
        chunk.map(({ d, origin, id }) => ({
          tenant_id: origin.id,
          story_id: id,
          number: 1,
          title: d.title,
          summary: d.summary,
          body: JSON.stringify([{ type: 'paragraph', text: d.body }]),
        })),
      )
      .execute();
    const rows = chunk.flatMap(({ d, origin, id }) =>
      (origin.id === henan.id ? faces : [origin]).map((f) => ({
        tenant_id: f.id,
        story_id: id,
        origin_tenant_id: origin.id,
        mode: f.id === origin.id ? ('own' as const) : ('pushed' as const),
        status: 'active' as const,
        placed_at: d.publishedAt,
      })),
    );
    await owner.insertInto('placements').values(rows).execute();
    placements += rows.length;
    ids.push(...chunk.map(({ origin, id }) => ({ tenantId: origin.id, id })));
  }
  return { ids, placements };
}

/** The plan of search_face_matches' body as it runs inside the function (owner, no sequential scans), condensed. */
async function matchPlan(owner: DB, faceId: string, match: string): Promise<string> {
  const plan = await owner.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    return sql<{ 'QUERY PLAN': string }>`
    EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)
    SELECT d.tenant_id, d.story_id FROM story_search d
      JOIN placements p ON p.tenant_id = ${faceId}::uuid AND p.origin_tenant_id = d.tenant_id AND p.story_id = d.story_id AND p.status = 'active'
      JOIN stories s ON s.tenant_id = d.tenant_id AND s.id = d.story_id AND s.published_revision = d.revision AND s.retracted_at IS NULL
     WHERE d.faces @> ARRAY[${faceId}::uuid] AND d.tsv @@ ${match}::tsquery`.execute(trx);
  });
  return plan.rows
    .map((p) => p['QUERY PLAN'].trim())
    .filter((l) => /Scan|Loop|Join/.test(l))
    .join(' / ');
}

async function endToEnd(count: number, runs: number): Promise<EndToEnd> {
  const tdb = await benchDatabase();
  try {
    const { tenants } = await seedDemo(tdb.db, { withContent: false });
    const docs = corpus(count, 42);
    log(`end to end: loading ${count} stories`);
    const { ids, placements } = await loadStories(tdb.owner, tenants, docs);
    // as autovacuum would have by now: without statistics the row-level security subplans pick bad indexes
    await sql`ANALYZE`.execute(tdb.owner);
    const [reindexMs] = await timed(() => withPlatform(tdb.db, (trx) => reindexAll(trx, 500)));
    await sql`VACUUM ANALYZE`.execute(tdb.owner);
    const face = tenants.ruyang!;
    const r = rng(11);
    const base: number[] = [];
    const all: number[] = [];
    const per = new Map<string, { ms: number[]; total: number; capped: boolean }>();
    for (const q of QUERIES) await withPublic(tdb.db, (trx) => searchFace(trx, face.id, q.q));
    const direct: number[] = [];
    const directCount = (trx: Executor, match: string) =>
      sql`SELECT count(*) FROM placements p JOIN story_search d ON d.tenant_id = p.origin_tenant_id AND d.story_id = p.story_id
          WHERE p.tenant_id = ${face.id} AND p.status = 'active' AND d.tsv @@ ${match}::tsquery`.execute(trx);
    for (let run = 0; run < runs; run++) {
      for (const q of QUERIES) {
        const match = parseQuery(q.q)?.match ?? '';
        const [dms] = await timed(() => withPublic(tdb.db, (trx) => directCount(trx, match)));
        direct.push(dms);
        const [ms, res] = await timed(() =>
          withPublic(tdb.db, (trx) => searchFace(trx, face.id, q.q, { page: 1, perPage: 10 })),
        );
        all.push(ms);
        const entry = per.get(q.q) ?? { ms: [], total: res.total, capped: res.totalIsCapped };
        entry.ms.push(ms);
        per.set(q.q, entry);
        const pick = ids[Math.floor(r() * ids.length)]!;
        const [bms] = await timed(() =>
          withPublic(tdb.db, (trx) =>
            trx
              .selectFrom('stories')
              .select(['id', 'published_at'])
              .where('tenant_id', '=', pick.tenantId)
              .where('id', '=', pick.id)
              .executeTakeFirst(),
          ),
        );
        base.push(bms);
      }
    }
    const idx: number[] = [];
    for (let i = 0; i < Math.min(300, runs * 15); i++) {
      const pick = ids[Math.floor(r() * ids.length)]!;
      const [ms] = await timed(() => withPlatform(tdb.db, (trx) => indexStory(trx, pick.tenantId, pick.id)));
      idx.push(ms);
    }
    const baseline = { medianMs: median(base), p99Ms: quantile(base, 0.99) };
    return {
      stories: count,
      placements,
      reindexMs,
      face: 'ruyang',
      baseline,
      search: {
        medianMs: median(all),
        p99Ms: quantile(all, 0.99),
        ratio: median(all) / baseline.medianMs,
        byQuery: Object.fromEntries([...per].map(([q, e]) => [q, { ms: median(e.ms), total: e.total }])),
      },
      directUnderRls: {
        medianMs: median(direct),
        p99Ms: quantile(direct, 0.99),
        ratio: median(direct) / baseline.medianMs,
      },
      indexStory: { medianMs: median(idx), p99Ms: quantile(idx, 0.99), ratio: median(idx) / baseline.medianMs },
      plan: await matchPlan(tdb.owner, face.id, parseQuery('汝阳')?.match ?? ''),
    };
  } finally {
    if (KEEP) log(`kept database ${tdb.name}`);
    else await tdb.close();
  }
}

interface ProvinceFace {
  slug: string;
  placements: number;
  medianMs: number;
  p99Ms: number;
  baselineMedianMs: number;
  baselineP99Ms: number;
  byQuery: Record<string, { ms: number; total: number; capped: boolean }>;
}

/** `searchFace` on the generated province: a county's face and the province's, PK SELECT interleaved. */
async function onProvince(runs: number): Promise<{ database: string; faces: ProvinceFace[] }> {
  const data = await benchData(log);
  try {
    const faces: ProvinceFace[] = [];
    for (const slug of ['county-001', 'henan']) {
      const face = await data.owner
        .selectFrom('tenants')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow();
      const placements = Number(
        (
          await data.owner
            .selectFrom('placements')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('tenant_id', '=', face.id)
            .where('status', '=', 'active')
            .executeTakeFirstOrThrow()
        ).n,
      );
      const keys = await data.owner
        .selectFrom('stories')
        .select(['tenant_id', 'id'])
        .where('tenant_id', '=', face.id)
        .limit(500)
        .execute();
      const r = rng(5);
      for (const q of QUERIES)
        await withPublic(data.db, (trx) => searchFace(trx, face.id, q.q, { page: 1, perPage: 10 }));
      const all: number[] = [];
      const base: number[] = [];
      const per = new Map<string, { ms: number[]; total: number; capped: boolean }>();
      for (let run = 0; run < runs; run++) {
        for (const q of QUERIES) {
          const [ms, res] = await timed(() =>
            withPublic(data.db, (trx) => searchFace(trx, face.id, q.q, { page: 1, perPage: 10 })),
          );
          all.push(ms);
          const entry = per.get(q.q) ?? { ms: [], total: res.total, capped: res.totalIsCapped };
          entry.ms.push(ms);
          per.set(q.q, entry);
          const k = keys[Math.floor(r() * keys.length)]!;
          const [bms] = await timed(() =>
            withPublic(data.db, (trx) =>
              trx
                .selectFrom('stories')
                .select(['id', 'published_at'])
                .where('tenant_id', '=', k.tenant_id)
                .where('id', '=', k.id)
                .executeTakeFirst(),
            ),
          );
          base.push(bms);
        }
      }
      faces.push({
        slug,
        placements,
        medianMs: median(all),
        p99Ms: quantile(all, 0.99),
        baselineMedianMs: median(base),
        baselineP99Ms: quantile(base, 0.99),
        byQuery: Object.fromEntries(
          [...per].map(([q, e]) => [q, { ms: median(e.ms), total: e.total, capped: e.capped }]),
        ),
      });
      log(
        `${data.name} ${slug} (${placements} placements): search median ${fmt(median(all))} ms, p99 ${fmt(quantile(all, 0.99))} ms; PK SELECT ${fmt(median(base))} ms`,
      );
    }
    return { database: data.name, faces };
  } finally {
    await data.close();
  }
}

// ---------------------------------------------------------------- report

function recallTable(rows: readonly RecallRow[]): string {
  const head = `| query | kind | expected | ${APPROACHES.map((a) => a.key).join(' | ')} |`;
  const lines = [head, `| --- | --- | ---: | ${APPROACHES.map(() => '---:').join(' | ')} |`];
  for (const r of rows)
    lines.push(
      `| ${r.q} | ${r.kind} | ${r.expected} | ${APPROACHES.map((a) => `${pct(r.found[a.key]!.recall)}${r.found[a.key]!.precision < 1 ? ` (p ${pct(r.found[a.key]!.precision)})` : ''}`).join(' | ')} |`,
    );
  const mean = (k: string, f: 'recall' | 'precision'): number =>
    rows.reduce((s, r) => s + r.found[k]![f], 0) / rows.length;
  lines.push(`| **mean recall** | | | ${APPROACHES.map((a) => `**${pct(mean(a.key, 'recall'))}**`).join(' | ')} |`);
  lines.push(`| mean precision | | | ${APPROACHES.map((a) => pct(mean(a.key, 'precision'))).join(' | ')} |`);
  return lines.join('\n');
}

function latencyTable(l: Latency): string {
  const lines = [`| approach | median (ms) | p99 (ms) | × PK SELECT |`, '| --- | ---: | ---: | ---: |'];
  lines.push(`| baseline: primary-key SELECT | ${fmt(l.baseline.medianMs)} | ${fmt(l.baseline.p99Ms)} | 1 |`);
  for (const a of APPROACHES) {
    const x = l.approaches[a.key]!;
    lines.push(`| ${a.label} | ${fmt(x.medianMs)} | ${fmt(x.p99Ms)} | ${fmt(x.ratio)} |`);
  }
  return lines.join('\n');
}

function perQueryTable(l: Latency): string {
  const lines = [
    `| query | ${APPROACHES.map((a) => a.key).join(' | ')} |`,
    `| --- | ${APPROACHES.map(() => '---:').join(' | ')} |`,
  ];
  for (const q of QUERIES)
    lines.push(`| ${q.q} | ${APPROACHES.map((a) => fmt(l.approaches[a.key]!.byQuery[q.q]!)).join(' | ')} |`);
  return lines.join('\n');
}

function e2eTable(e: EndToEnd): string {
  const lines = ['| measure | median (ms) | p99 (ms) | × PK SELECT |', '| --- | ---: | ---: | ---: |'];
  lines.push(
    `| baseline: primary-key SELECT of a story (public scope, own transaction) | ${fmt(e.baseline.medianMs)} | ${fmt(e.baseline.p99Ms)} | 1 |`,
  );
  lines.push(
    `| \`searchFace\` on ${e.face}, page 1 of 10, ${QUERIES.length} queries | ${fmt(e.search.medianMs)} | ${fmt(e.search.p99Ms)} | ${fmt(e.search.ratio)} |`,
  );
  lines.push(
    `| for comparison: only counting the matches, written directly under row-level security (no index usable) | ${fmt(e.directUnderRls.medianMs)} | ${fmt(e.directUnderRls.p99Ms)} | ${fmt(e.directUnderRls.ratio)} |`,
  );
  lines.push(
    `| \`indexStory\` of one story (platform scope, own transaction) | ${fmt(e.indexStory.medianMs)} | ${fmt(e.indexStory.p99Ms)} | ${fmt(e.indexStory.ratio)} |`,
  );
  return lines.join('\n');
}

function e2eQueries(e: EndToEnd, big: EndToEnd | null): string {
  const cols = big ? ['matches (10k)', 'ms (10k)', 'matches (100k)', 'ms (100k)'] : ['matches', 'ms'];
  const lines = [`| query on ${e.face} | ${cols.join(' | ')} |`, `| --- | ${cols.map(() => '---:').join(' | ')} |`];
  for (const q of QUERIES) {
    const a = e.search.byQuery[q.q]!;
    const b = big?.search.byQuery[q.q];
    lines.push(`| ${q.q} | ${a.total} | ${fmt(a.ms)}${b ? ` | ${b.total} | ${fmt(b.ms)}` : ''} |`);
  }
  return lines.join('\n');
}

const mib = (b: number | undefined): string => (b === undefined ? 'n/a' : `${(b / 2 ** 20).toFixed(1)} MiB`);

async function main(): Promise<void> {
  const started = Date.now();
  const tdb = await benchDatabase();
  const out: Record<string, unknown> = {
    name: 'search',
    date: new Date().toISOString(),
    node: process.version,
    large: LARGE,
    runs: RUNS,
  };
  try {
    const owner = tdb.owner;
    const version = await sql<{
      v: string;
      ctype: string;
    }>`SELECT version() AS v, current_setting('lc_ctype') AS ctype`.execute(owner);
    out.postgres = version.rows[0]?.v;
    out.lcCtype = version.rows[0]?.ctype;
    await createDocs(owner);
    const trgmCjk = await sql<{ n: number }>`SELECT cardinality(show_trgm('汝阳县融媒体中心')) AS n`.execute(owner);
    out.trigramsOf汝阳县融媒体中心 = trgmCjk.rows[0]?.n;

    log(`recall: ${RECALL_DOCS} documents`);
    const docs = corpus(SMALL, 1);
    const [loadMs] = await timed(() => loadDocs(owner, docs));
    out.tokeniseAndLoadMsPer1000 = (loadMs / SMALL) * 1000;
    out.indexBuildMs = await indexDocs(owner);
    const recall = await measureRecall(owner, docs.slice(0, RECALL_DOCS));
    out.recall = recall;
    out.sizes10k = await sizes(owner);
    out.explain汝阳 = await explainTwoChar(owner);

    log(`latency at ${SMALL} documents, ${RUNS} runs`);
    const small = await measureLatency(owner, SMALL, RUNS);
    out.latency10k = small;

    let big: Latency | null = null;
    if (LARGE) {
      log(`copying to ${BIG} documents`);
      await sql`DROP INDEX bench_tsv_bi, bench_tsv_seg, bench_trgm`.execute(owner);
      await sql`INSERT INTO bench_docs SELECT id + k * ${SMALL}, title, body, published_at - k * interval '1 hour', doc, tsv_bi, tsv_seg FROM bench_docs, generate_series(1, ${BIG / SMALL - 1}) k`.execute(
        owner,
      );
      out.indexBuildMs1M = await indexDocs(owner);
      out.sizes1M = await sizes(owner);
      big = await measureLatency(owner, BIG, Math.max(3, Math.floor(RUNS / 4)));
      out.latency1M = big;
    }

    log('end to end on the real schema');
    const e2e = await endToEnd(SMALL, RUNS);
    out.endToEnd = e2e;
    const e2eBig = LARGE ? await endToEnd(E2E_BIG, Math.max(3, Math.floor(RUNS / 2))) : null;
    if (e2eBig) out.endToEnd100k = e2eBig;

    log(`the generated province (${SIZE.toLocaleString('en-US')} stories)`);
    const province = await onProvince(Math.max(3, Math.floor(RUNS / 4)));
    const measuredAt = new Date().toISOString();
    const provinceRows: SummaryRow[] = province.faces.map((f) => ({
      bench: 'search',
      case: `searchFace, page 1 of 10 (count + ranked), ${f.slug === 'henan' ? "the province's face" : `a county's face (${f.slug})`}, ${f.placements.toLocaleString('en-US')} placements, 15 queries`,
      size: SIZE,
      throughput: Math.round(1000 / f.medianMs),
      unit: 'searches/s (one caller)',
      p50Ms: f.medianMs,
      p99Ms: f.p99Ms,
      rssMb: null,
      baseline: 'one primary-key SELECT, interleaved',
      baselineThroughput: Math.round(1000 / f.baselineMedianMs),
      baselineP50Ms: f.baselineMedianMs,
      ratio: Math.round((f.baselineMedianMs / f.medianMs) * 1000) / 1000,
      measuredAt,
    }));
    type Sized = { size: number; measuredAt: string; database: string; faces: ProvinceFace[]; summary: SummaryRow[] };
    const prevSizes = readPrevious<{ provinceSizes?: Sized[] }>('search')?.provinceSizes ?? [];
    const provinceSizes = [
      ...prevSizes.filter((x) => x.size !== SIZE),
      { size: SIZE, measuredAt, database: province.database, faces: province.faces, summary: provinceRows },
    ].sort((a, b) => a.size - b.size);
    out.provinceSizes = provinceSizes;
    out.summary = provinceSizes.flatMap((x) => x.summary);
    const provinceQueries = (() => {
      const cols = provinceSizes.flatMap((x) =>
        x.faces.map((f) => ({ label: `${f.slug} @ ${x.size.toLocaleString('en-US')}`, f })),
      );
      const lines = [
        `| query | ${cols.map((c) => `${c.label}: hits / ms`).join(' | ')} |`,
        `| --- | ${cols.map(() => '---:').join(' | ')} |`,
      ];
      for (const q of QUERIES)
        lines.push(
          `| ${q.q} | ${cols
            .map((c) => {
              const e = c.f.byQuery[q.q];
              return e ? `${e.total.toLocaleString('en-US')}${e.capped ? '+' : ''} / ${fmt(e.ms)}` : '–';
            })
            .join(' | ')} |`,
        );
      return lines.join('\n');
    })();

    const s = out.sizes10k as Record<string, number>;
    const md = [
      `### Recall on ${RECALL_DOCS.toLocaleString('en-US')} generated county stories`,
      '',
      'Share of the expected stories found (expected: the text contains the query, computed in JavaScript); precision shown where below 100%.',
      '',
      ...APPROACHES.map((a) => `- \`${a.key}\`: ${a.label}`),
      '',
      recallTable(recall),
      '',
      `### Latency of a result page (total + 10 best, ranked) at ${SMALL.toLocaleString('en-US')} documents`,
      '',
      latencyTable(small),
      '',
      perQueryTable(small),
      '',
      ...(big
        ? [
            `### The same at ${BIG.toLocaleString('en-US')} documents (copies of the 10,000)`,
            '',
            latencyTable(big),
            '',
            perQueryTable(big),
            '',
          ]
        : []),
      `### End to end: \`searchFace\` over ${e2e.stories.toLocaleString('en-US')} stories, ${e2e.placements.toLocaleString('en-US')} placements (application role, row-level security on)`,
      '',
      e2eTable(e2e),
      '',
      e2eQueries(e2e, e2eBig),
      '',
      ...(e2eBig
        ? [
            `### End to end over ${e2eBig.stories.toLocaleString('en-US')} stories, ${e2eBig.placements.toLocaleString('en-US')} placements`,
            '',
            e2eTable(e2eBig),
            '',
          ]
        : []),
      '### The generated province (`pnpm generate`), both sizes',
      '',
      summaryTable(provinceSizes.flatMap((x) => x.summary)),
      '',
      provinceQueries,
      '',
      `Backfill (\`reindexAll\`): ${(e2e.stories / (e2e.reindexMs / 1000)).toFixed(0)} stories/s. Index sizes at 10,000 documents: bigram GIN ${mib(s.bench_tsv_bi)}, segmenter GIN ${mib(s.bench_tsv_seg)}, trigram GIN ${mib(s.bench_trgm)}; table with all three text forms ${mib(s.bench_docs)}.`,
    ].join('\n');
    out.markdown = md;
    out.notes = [
      `PostgreSQL: ${String(out.postgres).split(' on ')[0]}, lc_ctype ${String(out.lcCtype)}; show_trgm('汝阳县融媒体中心') has ${String(out.trigramsOf汝阳县融媒体中心)} trigrams, so pg_trgm does treat CJK as word characters under this locale.`,
      `A two-character query cannot use the trigram index (no trigram inside '%汝阳%'): ${(out.explain汝阳 as Record<string, string>).trgm ?? 'n/a'}.`,
      `Plan of search_face_matches for 汝阳 on ruyang: ${e2e.plan}.`,
      "Per-query medians in ms. The approach tables rank every match (the cost of one-character and very common queries grows with the corpus); `searchFace` counts matches up to 10,000 (then reports 10,000+) and ranks only the newest 500: of every match up to the cap, else of the face's newest 10,000 stories (docs/search.md, Bounded work).",
      `Run time ${((Date.now() - started) / 1000).toFixed(0)} s; ${RUNS} timed rounds per query at 10,000 (a quarter of that for the approaches at ${BIG.toLocaleString('en-US')}, half for the end-to-end run at ${E2E_BIG.toLocaleString('en-US')}).`,
    ];
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('./results/search.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
    console.log(md);
    log('wrote test/bench/results/search.json');
  } finally {
    if (KEEP) log(`kept database ${tdb.name}`);
    else await tdb.close();
  }
}

await main();
