/**
 * The province generator's own figures, read from what it recorded in the databases it
 * filled (generator_runs, generator_progress): time and rate per phase, wall time, size on
 * disk. Default: yd_bench_10k (made by lib/kit.ts when missing, so generated in this run
 * then); --large: yd_bench_1m, made beforehand with
 *   nice -n 10 pnpm generate -- --database yd_bench_1m --stories 1000000 --citizens 1000000
 * Baseline: a bare COPY of 100,000 narrow rows (uuid, int, text) into a temporary table in
 * the same database: the floor for any bulk load there.
 */
import pg from 'pg';
import { copyRows } from '@yiduan/generator';
import {
  benchData,
  fmt,
  LARGE,
  readPrevious,
  round,
  SIZE,
  summaryTable,
  writeResult,
  type SummaryRow,
} from './lib/kit.js';

const log = (m: string): void => console.log(`[generator] ${m}`);

interface Phase {
  phase: string;
  chunks: number;
  rows: number;
  ms: number;
}
interface Stored {
  sizes?: {
    size: number;
    measuredAt: string;
    database: string;
    phases: Phase[];
    wallS: number;
    dbBytes: number;
    summary: SummaryRow[];
  }[];
}

async function main(): Promise<void> {
  const data = await benchData(log);
  const c = new pg.Client({ connectionString: data.ownerUrl });
  await c.connect();
  try {
    const run = (
      await c.query<{ started: Date; finished: Date | null; options: Record<string, unknown> }>(
        'SELECT started_at AS started, finished_at AS finished, options FROM generator_runs WHERE id = 1',
      )
    ).rows[0]!;
    const phases = (
      await c.query<{ phase: string; chunks: number; rows: string; ms: string }>(
        'SELECT phase, count(*)::int AS chunks, sum(rows)::text AS rows, sum(ms)::text AS ms FROM generator_progress GROUP BY phase ORDER BY min(done_at)',
      )
    ).rows.map((p) => ({ phase: p.phase, chunks: p.chunks, rows: Number(p.rows), ms: Number(p.ms) }));
    const dbBytes = Number(
      (await c.query<{ b: string }>('SELECT pg_database_size(current_database())::text AS b')).rows[0]!.b,
    );
    const wallS = run.finished ? (run.finished.getTime() - run.started.getTime()) / 1000 : Number.NaN;

    // baseline: a bare COPY of 100,000 narrow rows
    await c.query('CREATE TEMP TABLE bench_copy (id uuid, n int, t text)');
    const rows = Array.from({ length: 100_000 }, (_, i) => [crypto.randomUUID(), i, `第${i}行`] as const);
    const t0 = performance.now();
    await c.query('BEGIN');
    await copyRows(c as unknown as pg.PoolClient, 'bench_copy', ['id', 'n', 't'], rows);
    await c.query('COMMIT');
    const copyMs = performance.now() - t0;
    const copyRate = round(100_000 / (copyMs / 1000), 0);
    log(
      `${data.name}: ${phases.map((p) => `${p.phase} ${p.rows} rows in ${fmt(p.ms / 1000)} s`).join('; ')}; wall ${fmt(wallS)} s; bare COPY ${fmt(copyRate)} rows/s`,
    );

    const measuredAt = new Date().toISOString();
    const stories = phases.find((p) => p.phase === 'stories');
    const summary: SummaryRow[] = [];
    if (stories) {
      const rate = round(stories.rows / (stories.ms / 1000), 1);
      summary.push({
        bench: 'generator',
        case: 'stories phase, chunk time (story, revision, events, placements, search document per story; from this version on including the wait for the worker)',
        size: SIZE,
        throughput: rate,
        unit: 'stories/s',
        p50Ms: round(stories.ms / stories.chunks, 0),
        p99Ms: round(stories.ms / stories.chunks, 0),
        rssMb: null,
        baseline: 'bare COPY of narrow rows',
        baselineThroughput: copyRate,
        baselineUnit: 'rows/s',
        baselineP50Ms: round(copyMs, 0),
        ratio: round(rate / copyRate, 4),
        measuredAt,
      });
    }
    const total = phases.reduce((a, p) => a + p.rows, 0);
    const totalMs = phases.reduce((a, p) => a + p.ms, 0);
    summary.push({
      bench: 'generator',
      case: `whole province, every phase (${total.toLocaleString('en-US')} rows)`,
      size: SIZE,
      throughput: round(total / (totalMs / 1000), 1),
      unit: 'rows/s',
      p50Ms: round(totalMs, 0),
      p99Ms: round(wallS * 1000, 0),
      rssMb: null,
      baseline: 'bare COPY of narrow rows',
      baselineThroughput: copyRate,
      baselineUnit: 'rows/s',
      baselineP50Ms: round(copyMs, 0),
      ratio: round(total / (totalMs / 1000) / copyRate, 4),
      measuredAt,
    });

    const prev = readPrevious<Stored>('generator');
    const sizes = [
      ...(prev?.sizes ?? []).filter((s) => s.size !== SIZE),
      { size: SIZE, measuredAt, database: data.name, phases, wallS, dbBytes, summary },
    ].sort((a, b) => a.size - b.size);
    const lines = [
      'The generator (`pnpm generate`, packages/generator), as it recorded its own chunks in the database it filled: one row per committed chunk with its rows and milliseconds. For the whole-province row, "p50" is the sum of chunk times and "p99" the wall time from start to finish (with pauses, if the run was resumed). Stories-phase chunk times include the wait for the generating worker threads (`--workers`), so they are the phase\'s real rate.',
      '',
      summaryTable(sizes.flatMap((s) => s.summary)),
      '',
      '| database | stories | phase | chunks | rows | time | rows/s |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...sizes.flatMap((s) =>
        s.phases.map(
          (p) =>
            `| ${s.database} | ${s.size.toLocaleString('en-US')} | ${p.phase} | ${p.chunks} | ${p.rows.toLocaleString('en-US')} | ${fmt(p.ms / 1000)} s | ${fmt(p.ms ? p.rows / (p.ms / 1000) : 0)} |`,
        ),
      ),
    ];
    const notes = sizes.map(
      (s) =>
        `${s.database}: wall ${fmt(s.wallS / 60)} min, ${fmt(s.dbBytes / 2 ** 30)} GiB on disk (measured ${s.measuredAt.slice(0, 16).replace('T', ' ')}).`,
    );
    notes.push(
      'The stories phase writes five tables per chunk of 5,000 stories (stories, story_revisions, review_events, placements with pushes and pulls, story_search with the bigram tsvector computed in JavaScript); generation runs in a worker thread one chunk ahead of the COPY. The search GIN index is built once at the end for 200,000 stories and more (the `finish` phase).',
    );
    writeResult('generator', {
      large: LARGE,
      sizes,
      markdown: lines.join('\n'),
      notes,
      summary: sizes.flatMap((s) => s.summary),
    });
    console.log(lines.join('\n'));
  } finally {
    await c.end();
    await data.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
