/**
 * `pnpm bench [--large] [name …]`: runs every test/bench/*.bench.ts (or only the named ones)
 * (`pnpm bench --compose` runs nothing and only rewrites RESULTS.md, e.g. after editing ANALYSIS.md)
 * one after another, each in its own tsx child process, then composes test/bench/RESULTS.md
 * from every results/*.json, keeping the sections of benches that did not run this time.
 *
 * Each bench writes results/<name>.json; a `markdown` field holds its table and `notes`
 * (a string or a list of strings) its remarks. A result without `markdown` is rendered
 * as a table of its scalar fields.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = join(benchDir, 'results');
const root = fileURLToPath(new URL('../..', import.meta.url));

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('-'));
const names = args.filter((a) => !a.startsWith('-'));

const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

interface Ran {
  name: string;
  ok: boolean;
  seconds: number;
}

const all = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const unknown = names.filter((n) => !all.includes(`${n}.bench.ts`));
if (unknown.length) {
  console.error(`no such bench: ${unknown.join(', ')} (have: ${all.map((f) => basename(f, '.bench.ts')).join(', ')})`);
  process.exit(2);
}
const selected = names.length ? all.filter((f) => names.includes(basename(f, '.bench.ts'))) : all;

function tsxCommand(file: string): { cmd: string; argv: string[] } {
  const bin = join(root, 'node_modules', '.bin', 'tsx');
  // the tsx launcher when installed; otherwise the same loader through node itself
  return existsSync(bin)
    ? { cmd: bin, argv: [file, ...flags] }
    : { cmd: process.execPath, argv: ['--import', 'tsx', file, ...flags] };
}

function runOne(file: string): Promise<Ran> {
  const name = basename(file, '.bench.ts');
  const started = Date.now();
  const { cmd, argv } = tsxCommand(join(benchDir, file));
  console.log(`\n▶ bench ${name}${flags.length ? ` ${flags.join(' ')}` : ''}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: root, env, stdio: 'inherit' });
    const done = (ok: boolean): void => {
      const seconds = (Date.now() - started) / 1000;
      console.log(`${ok ? '✔' : '✖'} bench ${name} (${seconds.toFixed(1)} s)`);
      resolve({ name, ok, seconds });
    };
    child.on('error', (err) => {
      console.error(err);
      done(false);
    });
    child.on('exit', (code) => done(code === 0));
  });
}

// ------------------------------------------------------------------ RESULTS.md

type Json = Record<string, unknown>;

const LABELS: Record<string, string> = {
  rules: 'rules',
  literalRules: 'literal rules',
  regexRules: 'regex rules',
  textLength: 'text length (characters)',
  paragraphs: 'paragraphs',
  states: 'automaton states',
  buildMs: 'build checker (ms, median of 5)',
  checkMedianMs: 'check story, median (ms)',
  checkP99Ms: 'check story, p99 (ms)',
  automatonMedianMs: 'automaton search only, median (ms)',
  automatonP99Ms: 'automaton search only, p99 (ms)',
  indexOfMedianMs: 'baseline: indexOf loop per literal rule, median (ms)',
  ratio: 'ratio baseline / automaton',
  ratioFullCheck: 'ratio baseline / full check',
  findings: 'findings',
  literalMatches: 'literal matches',
  runs: 'timed runs',
  node: 'Node.js',
};

function cell(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(v);
  return String(v).replace(/\|/g, '\\|');
}

/** A table of the scalar fields, for results written without a `markdown` field (e.g. terminology). */
function fallbackTable(json: Json): string {
  const rows = Object.entries(json).filter(
    ([k, v]) =>
      !['markdown', 'notes', 'name', 'date'].includes(k) && ['number', 'string', 'boolean'].includes(typeof v),
  );
  const lines = ['| measure | value |', '| --- | --- |'];
  for (const [k, v] of rows)
    lines.push(`| ${LABELS[k] ?? k} | ${cell(v)}${k.startsWith('ratio') && typeof v === 'number' ? '×' : ''} |`);
  return lines.join('\n');
}

function notesOf(json: Json): string[] {
  const n = json.notes;
  if (typeof n === 'string') return n.trim() ? [n] : [];
  if (Array.isArray(n)) return n.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  return [];
}

function readResults(): { name: string; json: Json | null; date: string; error?: string }[] {
  if (!existsSync(resultsDir)) return [];
  return readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const path = join(resultsDir, f);
      const mtime = statSync(path).mtime.toISOString();
      try {
        const json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
        if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not a JSON object');
        const j = json as Json;
        return { name: basename(f, '.json'), json: j, date: typeof j.date === 'string' ? j.date : mtime };
      } catch (err) {
        return {
          name: basename(f, '.json'),
          json: null,
          date: mtime,
          error: err instanceof Error ? err.message : String(err),
        };
      }
    });
}

interface SummaryRow {
  case: string;
  size: number;
  throughput: number;
  unit: string;
  p50Ms: number;
  p99Ms: number;
  rssMb: number | null;
  baseline: string;
  baselineThroughput: number;
  baselineUnit?: string;
  ratio: number;
  baseline2?: string;
  baseline2Throughput?: number;
  ratio2?: number;
  target?: number;
  measuredAt: string;
}

const num = (x: number): string =>
  Number.isFinite(x)
    ? x >= 100
      ? Math.round(x).toLocaleString('en-US')
      : x >= 10
        ? x.toFixed(1)
        : x.toFixed(2)
    : 'n/a';

/** One table of every bench's standard rows, both sizes. */
function summaryOf(results: { name: string; json: Json | null }[]): string | null {
  const lines = [
    '| bench | case | stories | throughput | p50 | p99 | memory (RSS) | baseline (same run) | baseline throughput | ratio | target | second baseline (same run): ratio | measured |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  let n = 0;
  for (const r of results) {
    const rows = r.json?.summary;
    if (!Array.isArray(rows)) continue;
    for (const x of rows as SummaryRow[]) {
      if (typeof x?.case !== 'string') continue;
      n++;
      lines.push(
        `| ${r.name} | ${cell(x.case)} | ${x.size.toLocaleString('en-US')} | ${num(x.throughput)} ${x.unit} | ${num(x.p50Ms)} ms | ${num(x.p99Ms)} ms | ${x.rssMb === null ? '' : `${num(x.rssMb)} MiB`} | ${cell(x.baseline)} | ${num(x.baselineThroughput)} ${x.baselineUnit ?? x.unit} | ${num(x.ratio)}× | ${x.target === undefined ? '' : `≥ ${x.target}×: ${x.ratio >= x.target ? 'yes' : '**no**'}`} | ${x.baseline2 ? `${cell(x.baseline2)}: ${num(x.ratio2 ?? Number.NaN)}×` : ''} | ${x.measuredAt.slice(0, 16).replace('T', ' ')} |`,
      );
    }
  }
  return n ? lines.join('\n') : null;
}

/** The header rows (date … this run) of the RESULTS.md on disk: kept when only recomposing. */
function previousHeader(): string[] | null {
  const file = join(benchDir, 'RESULTS.md');
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const head = text.slice(0, Math.max(0, text.indexOf('\n## ')) || text.length);
  const rows = head
    .split('\n')
    .filter((l) => /^\| (date|command|machine|system|load average|this run|recomposed) /.test(l));
  return rows.length ? rows.filter((l) => !l.startsWith('| recomposed ')) : null;
}

function compose(ran: Ran[], startLoad: number[], command: string, keepHeader: string[] | null = null): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const gib = (totalmem() / 2 ** 30).toFixed(1);
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
  const out: string[] = [];
  out.push('# Benchmark results');
  out.push('');
  out.push(
    'Written by `test/bench/run.ts` from `test/bench/results/*.json`. Every figure is compared with a baseline measured in the same run on the same machine; read the ratios, not the absolute times, when comparing machines. Timing assertions never go into tests.',
  );
  out.push('');
  out.push('| | |');
  out.push('| --- | --- |');
  if (keepHeader) {
    out.push(...keepHeader);
    out.push(
      `| recomposed | ${new Date().toISOString()} (\`${command}\`: the results files and ANALYSIS.md as they are, nothing measured) |`,
    );
  } else {
    out.push(`| date | ${new Date().toISOString()} |`);
    out.push(`| command | \`${command}\` |`);
    out.push(`| machine | ${availableParallelism()} cores, ${gib} GiB memory, ${cpu} |`);
    out.push(`| system | ${type()} ${release()}, Node.js ${process.version} |`);
    out.push(`| load average (1 / 5 / 15 min) at start → end | ${load(startLoad)} → ${load(loadavg())} |`);
    out.push(
      `| this run | ${ran.length ? ran.map((r) => `${r.name} ${r.ok ? 'ok' : 'FAILED'} (${r.seconds.toFixed(0)} s)`).join(', ') : 'nothing'} |`,
    );
  }
  out.push('');
  const results = readResults();
  const summary = summaryOf(results);
  if (summary) {
    out.push('## Summary');
    out.push('');
    out.push(
      "Every bench that reports standard rows (`summary` in its results file), at each data size it was run with (10,000 stories by default, 1,000,000 with `--large`, both from `pnpm generate`). Ratio: throughput ÷ the baseline's throughput measured in the same run (for push: baseline time ÷ time); where a case has two baselines (the GraphQL feeds and the uncached story page: a hand-written one doing the same SQL work, and the from-memory one), the second is in its own column. Target: the ratio issue #15 asks for. Details and notes per bench below.",
    );
    out.push('');
    out.push(summary);
    out.push('');
  }
  const analysis = join(benchDir, 'ANALYSIS.md');
  if (existsSync(analysis)) {
    out.push(readFileSync(analysis, 'utf8').trim());
    out.push('');
  }
  for (const r of results) {
    const thisRun = ran.find((x) => x.name === r.name);
    out.push(`## ${r.name}`);
    out.push('');
    if (thisRun?.ok) out.push(`Measured in this run (${r.date}).`);
    else if (thisRun) out.push(`**This run failed**; the figures below are the last ones written (${r.date}).`);
    else out.push(keepHeader ? `Figures from ${r.date}.` : `Not run this time; figures from ${r.date}.`);
    out.push('');
    if (!r.json) {
      out.push(`results/${r.name}.json could not be read: ${r.error ?? 'unknown error'}`);
      out.push('');
      continue;
    }
    const md = r.json.markdown;
    out.push(typeof md === 'string' && md.trim() ? md.trim() : fallbackTable(r.json));
    const notes = notesOf(r.json);
    if (notes.length) {
      out.push('');
      out.push('Notes:');
      out.push('');
      for (const n of notes) out.push(`- ${n}`);
    }
    out.push('');
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const startLoad = loadavg();
  const command = `${process.env.npm_lifecycle_event === 'bench' ? 'pnpm bench' : 'tsx test/bench/run.ts'}${args.length ? ` ${args.join(' ')}` : ''}`;
  // --compose: only rewrite RESULTS.md (after editing ANALYSIS.md), keeping the last run's header
  if (flags.includes('--compose')) {
    writeFileSync(join(benchDir, 'RESULTS.md'), compose([], startLoad, command, previousHeader()) + '\n');
    console.log('recomposed test/bench/RESULTS.md (nothing run)');
    return;
  }
  const ran: Ran[] = [];
  for (const file of selected) ran.push(await runOne(file));
  const md = compose(ran, startLoad, command);
  writeFileSync(join(benchDir, 'RESULTS.md'), md + '\n');
  console.log(`\nwrote test/bench/RESULTS.md (${ran.filter((r) => r.ok).length}/${ran.length} benches ok)`);
  if (ran.some((r) => !r.ok)) process.exit(1);
}

await main();
