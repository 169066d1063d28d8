// A worker process of its own for video-worker-kill.test.ts: transcodes queued videos until it
// is killed. Env: DATABASE_APP_URL, ASSET_DIR, VIDEO_UPLOAD_DIR, VIDEO_WORK_DIR, LEASE_MS.
import { createDb } from '@yiduan/db';
import { LocalDiskStorage } from '@yiduan/storage';
import { silentLogger, startVideoTranscoder } from '@yiduan/worker';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};
const db = createDb(env('DATABASE_APP_URL'));
const transcoder = startVideoTranscoder({
  db,
  storage: new LocalDiskStorage(env('ASSET_DIR')),
  log: silentLogger,
  uploadDir: env('VIDEO_UPLOAD_DIR'),
  workDir: env('VIDEO_WORK_DIR'),
  leaseMs: Number(env('LEASE_MS')),
  pollMs: 100,
});
process.stdout.write('ready\n');
await transcoder.drain();
