// A worker killed in the middle of a transcode (SIGKILL to its whole process group, ffmpeg too):
// nothing of its run is published or served, its lease runs out, and the next worker starts the
// job again and completes it.
import t from 'tap';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createVideo, SYSTEM_ACTOR, videoById } from '@yiduan/core';
import { probeVideo } from '@yiduan/video-tools';
import { withPlatform, withTenant } from '@yiduan/db';
import { LocalDiskStorage } from '@yiduan/storage';
import { createDemoDeps } from '@yiduan/testkit';
import { silentLogger, startVideoTranscoder } from '@yiduan/worker';
import { decodes, makeClip, NO_FFMPEG, tempDir } from './video-kit.js';

const LEASE_MS = 1_500;

/** Every file under a folder, relative. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1));
}

t.test('a worker killed mid-transcode: the next one completes the job', { skip: NO_FFMPEG }, async (t) => {
  const dir = tempDir(t);
  const deps = await createDemoDeps(t, 'tree');
  const tenantId = deps.tenants.ruyang!.id;
  const [uploads, work, assets] = ['uploads', 'work', 'assets'].map((d) => join(dir, d)) as [string, string, string];
  mkdirSync(uploads, { recursive: true });
  // long enough to be caught in the middle: ffmpeg needs a few seconds for it
  const clip = makeClip(join(dir, 'long.mp4'), { width: 320, height: 240, seconds: 16 });
  const sourceKey = `${tenantId}_${'a'.repeat(32)}`;
  copyFileSync(clip, join(uploads, sourceKey));
  const probe = await probeVideo(join(uploads, sourceKey), { maxBytes: 1e9, maxSeconds: 60 });
  const video = await withTenant(deps.db, tenantId, (trx) =>
    createVideo(trx, SYSTEM_ACTOR, { tenantId, sourceKey, probe, filename: 'long.mp4' }),
  );
  const row = () => withPlatform(deps.db, (trx) => videoById(trx, video.id)).then((v) => v!);

  // ---- the first worker, in a process group of its own
  const child = spawn(
    process.execPath,
    ['--import=tsx', new URL('./video-worker-child.ts', import.meta.url).pathname],
    {
      env: {
        ...process.env,
        DATABASE_APP_URL: deps.tdb.appUrl,
        ASSET_DIR: assets,
        VIDEO_UPLOAD_DIR: uploads,
        VIDEO_WORK_DIR: work,
        LEASE_MS: String(LEASE_MS),
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  });
  let seen = await row();
  for (let i = 0; i < 600 && !(seen.status === 'processing' && seen.progress > 0); i++) {
    await new Promise((r) => setTimeout(r, 50));
    seen = await row();
  }
  t.equal(seen.status, 'processing', 'the first worker claimed the job');
  t.ok(seen.progress > 0 && seen.progress < 100, `and reported progress (${seen.progress} %)`);
  const firstRun = seen.run_id;
  process.kill(-child.pid!, 'SIGKILL'); // the worker and its ffmpeg, as when a container is killed
  await exited;

  const after = await row();
  t.equal(after.status, 'processing', 'the killed run left the job claimed');
  t.equal(after.hls_prefix, null, 'and published nothing');
  t.same(filesUnder(assets), [], 'no rendition reached the asset store');

  // ---- the next worker takes over once the lease has run out
  const storage = new LocalDiskStorage(assets);
  const next = startVideoTranscoder({
    db: deps.db,
    storage,
    log: silentLogger,
    uploadDir: uploads,
    workDir: work,
    leaseMs: LEASE_MS,
    pollMs: 60_000,
  });
  t.teardown(() => next.stop());
  t.equal(await next.drain(), 0, 'a live lease is left alone');
  await new Promise((r) => setTimeout(r, LEASE_MS + 200));
  t.equal(await next.drain(), 1, 'after the lease the job is claimed again');
  const done = await row();
  t.equal(done.status, 'ready', 'and completes');
  t.equal(done.attempts, 2, 'on its second attempt');
  t.not(done.run_id, firstRun, 'under a new run');
  t.ok(done.hls_prefix?.endsWith(done.run_id!), 'the published prefix is the new run');
  const published = filesUnder(assets);
  t.ok(
    published.every((f) => f.includes(`/${done.run_id}/`)),
    'every stored file belongs to the completed run',
  );
  t.ok(
    published.some((f) => f.endsWith('master.m3u8')) && published.some((f) => f.endsWith('poster.jpg')),
    'the master playlist and the poster are published',
  );
  t.ok(await decodes(storage.pathOf(`${done.hls_prefix}/master.m3u8`)), 'the published video decodes to the end');
  t.same(filesUnder(work), [], 'no work folder is left behind');
});
