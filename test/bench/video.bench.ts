/**
 * Video benchmark (issue #17), ratios against baselines measured in the same run on the same file:
 *   1. transcoding: a whole job through the platform (claim with lease, ffmpeg with `-progress`
 *      parsed and heartbeats written, renditions uploaded into the asset store, the atomic publish)
 *      against running the very same ffmpeg command by hand (transcodePlan's arguments, execFile).
 *      Target: the platform's overhead ≤ 10 % (ratio ≤ 1.10).
 *   2. upload: a file sent with tus to the API over HTTP in 8 MB PATCHes (auth, the tus file
 *      store, ffprobe, the video row) against a raw copy of the same file on the same disk
 *      (fs.copyFile), as throughput in MB/s.
 * Run: pnpm bench video   or   npx tsx test/bench/video.bench.ts  (--runs=N, --mb=N)
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build as buildApi } from '@yiduan/api';
import { createVideo, SYSTEM_ACTOR } from '@yiduan/core';
import { probeVideo, transcodePlan } from '@yiduan/video-tools';
import { withTenant } from '@yiduan/db';
import { LocalDiskStorage } from '@yiduan/storage';
import { createDemoDeps, graphqlClient } from '@yiduan/testkit';
import { silentLogger, startVideoTranscoder } from '@yiduan/worker';
import { PASSWORD, staffWith } from '../e2e/helpers.js';
import { tusClient } from '../e2e/video-kit.js';
import { fmt, median, now, option, round, writeResult } from './lib/kit.js';

const RUNS = option('runs', 5);
const UPLOAD_MB = option('mb', 256);

const teardowns: (() => unknown)[] = [];
const t = { teardown: (fn: () => unknown) => void teardowns.push(fn) };

function ffmpegByHand(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('ffmpeg', [...args], { maxBuffer: 64 * 1024 * 1024 }, (err) => (err ? reject(err) : resolve())),
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'yd-video-bench-'));
  teardowns.push(() => rm(dir, { recursive: true, force: true }));
  const deps = await createDemoDeps(t, 'tree', {
    VIDEO_UPLOAD_DIR: join(dir, 'uploads'),
    VIDEO_WORK_DIR: join(dir, 'work'),
  });
  const tenantId = deps.tenants.ruyang!.id;
  const storage = new LocalDiskStorage(join(dir, 'assets'));
  const uploads = join(dir, 'uploads');
  await mkdir(uploads, { recursive: true });

  // ---- 1. transcoding: a 10 s 640x360 clip with sound, the same file for both
  const source = join(dir, 'source.mp4');
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=10'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=10'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', source],
  ]);
  const probe = await probeVideo(source, { maxBytes: 1e12, maxSeconds: 3600 });
  const transcoder = startVideoTranscoder({
    db: deps.db,
    storage,
    log: silentLogger,
    uploadDir: uploads,
    workDir: join(dir, 'work'),
    pollMs: 3_600_000,
  });
  teardowns.unshift(() => transcoder.stop());
  const hand: number[] = [];
  const platform: number[] = [];
  // alternate the two, after one warm-up of each, so drift of a shared machine hits both alike
  for (let i = -1; i < RUNS; i++) {
    const out = join(dir, `hand-${i}`);
    await mkdir(out, { recursive: true });
    let start = now();
    await ffmpegByHand(transcodePlan(source, out, probe).args);
    if (i >= 0) hand.push(now() - start);
    await rm(out, { recursive: true, force: true });

    const key = `${tenantId}_${String(i + 1).padStart(32, '0')}`;
    await copyFile(source, join(uploads, key));
    await withTenant(deps.db, tenantId, (trx) =>
      createVideo(trx, SYSTEM_ACTOR, { tenantId, sourceKey: key, probe, filename: 'bench.mp4' }),
    );
    start = now();
    const done = await transcoder.drain();
    if (done !== 1) throw new Error(`expected one job, ran ${done}`);
    if (i >= 0) platform.push(now() - start);
  }
  const handMs = median(hand);
  const platformMs = median(platform);
  const transcodeRatio = platformMs / handMs;

  // ---- 2. upload throughput: tus over HTTP against a raw copy
  const big = join(dir, 'big.bin');
  // a real video up front (ffprobe reads its header), padded to UPLOAD_MB with random bytes
  const head = await readFile(source);
  const { randomBytes } = await import('node:crypto');
  const { writeFile, appendFile } = await import('node:fs/promises');
  await writeFile(big, head);
  for (let written = head.length; written < UPLOAD_MB * 2 ** 20; written += 8 * 2 ** 20)
    await appendFile(big, randomBytes(Math.min(8 * 2 ** 20, UPLOAD_MB * 2 ** 20 - written)));
  const data = await readFile(big);
  const api = await buildApi(deps, { storage });
  teardowns.unshift(() => api.close());
  await api.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`;
  await staffWith(deps.db, 'bench-video', tenantId, ['editor']);
  const login = await graphqlClient(api)<{ login: { token: string } }>(
    `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
    { l: 'bench-video', p: PASSWORD },
  );
  const tus = tusClient(base, login.data!.login.token);
  const copyMs: number[] = [];
  const tusMs: number[] = [];
  const CHUNK = 8 * 2 ** 20;
  for (let i = 0; i < Math.max(3, Math.ceil(RUNS / 2)); i++) {
    let start = now();
    await copyFile(big, join(dir, `copy-${i}.bin`));
    copyMs.push(now() - start);
    await rm(join(dir, `copy-${i}.bin`));
    start = now();
    const created = await tus.create(tenantId, data.length, { filename: 'big.mp4' });
    const location = String(created.headers.location);
    let offset = 0;
    while (offset < data.length) {
      const last = await tus.patch(location, offset, data.subarray(offset, offset + CHUNK));
      if (last.status >= 300) throw new Error(`upload refused: ${last.status} ${last.body}`);
      offset = Number(last.headers['upload-offset']);
    }
    tusMs.push(now() - start);
  }
  const mbps = (ms: number) => UPLOAD_MB / (ms / 1000);
  const tusMbps = mbps(median(tusMs));
  const copyMbps = mbps(median(copyMs));
  const uploadRatio = tusMbps / copyMbps;

  const markdown = [
    '| case | platform | baseline (same run) | baseline | ratio | target |',
    '| --- | --- | --- | --- | --- | --- |',
    `| transcode a 10 s 640×360 clip to HLS 360p + 720p + poster (median of ${RUNS}) | ${fmt(platformMs)} ms (whole job: claim, ffmpeg with progress, heartbeats, upload to the store, publish) | the same ffmpeg command by hand | ${fmt(handMs)} ms | ${round(transcodeRatio, 3)}× wall time | ≤ 1.10×: ${transcodeRatio <= 1.1 ? 'yes' : '**no**'} |`,
    `| upload ${UPLOAD_MB} MB with tus over HTTP, 8 MB PATCHes (median of ${tusMs.length}) | ${fmt(tusMbps)} MB/s | raw file copy on the same disk (fs.copyFile) | ${fmt(copyMbps)} MB/s | ${round(uploadRatio, 3)}× throughput | |`,
  ].join('\n');
  writeResult('video', {
    markdown,
    transcodeHandMs: round(handMs, 1),
    transcodePlatformMs: round(platformMs, 1),
    transcodeRatio: round(transcodeRatio, 3),
    uploadMb: UPLOAD_MB,
    tusMbps: round(tusMbps, 1),
    copyMbps: round(copyMbps, 1),
    uploadRatio: round(uploadRatio, 3),
    runs: RUNS,
    notes: [
      'Transcoding: the platform runs exactly the command a person would (transcodePlan), so the ratio is the job machinery: claiming, parsing -progress, heartbeats, copying renditions into the asset store and the publishing transaction.',
      'Upload: the tus path crosses loopback HTTP, the API auth per PATCH and the tus file store, and ends with ffprobe and the video row; the raw copy is one copy_file_range on the same disk, so the ratio says what the upload path costs against the disk itself, not against a network.',
    ],
  });
  console.log(markdown);
}

try {
  await main();
} finally {
  for (const fn of teardowns) await fn();
}
