// Shared pieces of the fault tests (test/e2e/faults-*.test.ts): a private redis-server that can be
// stopped and started again, a newsroom desk driven through the core functions, and polling.
// The fault tests never touch the shared PostgreSQL on :5432 or Redis on :6379 beyond their own
// test database: whatever they stop is theirs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  accessFor,
  approveStep,
  createStory,
  publishStory,
  pushStory,
  setSharePolicy,
  staffActor,
  submitForReview,
  type Access,
} from '@yiduan/core';
import { freePort, withTenant, type DB, type Staff, type Trx } from '@yiduan/db';

export { freePort };
import { staffWith } from './helpers.js';

interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a truthy value or `ms` pass; returns the last value. */
export async function waitFor<T>(check: () => Promise<T>, ms: number, everyMs = 50): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v || Date.now() >= until) return v;
    await sleep(everyMs);
  }
}

export interface PrivateRedis {
  url: string;
  port: number;
  /** `SHUTDOWN SAVE`: the data set is written to disk and the server exits (a planned stop, or a failover that keeps the data) */
  stop(): Promise<void>;
  /** starts it again on the same port with the saved data */
  start(): Promise<void>;
}

function ping(port: number): boolean {
  return (
    spawnSync('redis-cli', ['-p', String(port), 'ping'], { timeout: 2_000 })
      .stdout?.toString()
      .trim() === 'PONG'
  );
}

/** A redis-server of this test alone, on a free port, with its own folder (removed in teardown). */
export async function startPrivateRedis(t: Teardown): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'yiduan-fault-redis-'));
  let child: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    const c = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--dbfilename',
        'dump.rdb',
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
    child = c;
    for (let i = 0; i < 100; i++) {
      if (ping(port)) return;
      if (c.exitCode !== null) break;
      await sleep(50);
    }
    throw new Error(`redis-server on port ${port} did not answer`);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'save'], { timeout: 5_000 });
    await Promise.race([exited, sleep(5_000)]);
    if (c.exitCode === null) {
      c.kill('SIGKILL');
      await exited;
    }
    child = null;
  };
  t.teardown(async () => {
    const c = child;
    if (c && c.exitCode === null) {
      c.kill('SIGKILL');
      await new Promise<void>((resolve) => c.once('exit', () => resolve()));
    }
    rmSync(dir, { recursive: true, force: true });
  });
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}

export interface Desk {
  writer: Staff;
  /** writes, reviews (three steps) and publishes a story; returns its id */
  publish(title: string, text?: string): Promise<string>;
  /** pushes a published story, mandatory, to every descendant; returns the job id */
  pushAll(storyId: string): Promise<string>;
}

/** A newsroom of one tenant through the core functions: a writer who publishes and three reviewers. */
export async function deskOf(db: DB, tenantId: string, prefix: string): Promise<Desk> {
  const writer = await staffWith(db, `${prefix}-w`, tenantId, ['reporter', 'editor', 'chief_editor', 'reviewer']);
  const r1 = await staffWith(db, `${prefix}-r1`, tenantId, ['editor']);
  const r2 = await staffWith(db, `${prefix}-r2`, tenantId, ['reviewer']);
  const r3 = await staffWith(db, `${prefix}-r3`, tenantId, ['chief_editor']);
  const as = <T>(who: Staff, fn: (trx: Trx, access: Access) => Promise<T>): Promise<T> =>
    withTenant(db, tenantId, async (trx) => fn(trx, await accessFor(trx, who, tenantId)));
  return {
    writer,
    async publish(title, text = `${title}。各地各部门认真贯彻落实，确保各项工作取得实效。`) {
      const { story } = await as(writer, (trx, a) =>
        createStory(trx, a, staffActor(writer), { kind: 'article', title, body: [{ type: 'paragraph', text }] }),
      );
      await as(writer, (trx, a) => setSharePolicy(trx, a, staffActor(writer), story.id, 'down'));
      await as(writer, (trx, a) => submitForReview(trx, a, staffActor(writer), story.id));
      for (const r of [r1, r2, r3]) await as(r, (trx, a) => approveStep(trx, a, staffActor(r), story.id));
      const published = await as(writer, (trx, a) => publishStory(trx, a, staffActor(writer), story.id));
      if (published.status !== 'published') throw new Error(`story ${story.id} not published: ${published.status}`);
      return story.id;
    },
    async pushAll(storyId) {
      const job = await as(writer, (trx, a) =>
        pushStory(trx, a, staffActor(writer), { storyId, targets: { kind: 'all' }, mandatory: true }),
      );
      return job.id;
    },
  };
}
