/**
 * A server child for benchmarks: test/bench/portal-server.ts forked with an IPC channel, so the
 * load generator (or the worker a bench runs) never shares an event loop with the server it
 * measures. Used by the portal and push benches.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, PageCacheStats, ParentMessage } from '../portal-server.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const serverFile = fileURLToPath(new URL('../portal-server.ts', import.meta.url));

export class ServerChild<K extends string = string> {
  private constructor(
    readonly kind: K,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  /** forks portal-server.ts with `env` (BENCH_MODE, BENCH_CACHE, BENCH_APP_URL, …) over this process's environment */
  static async start<K extends string>(kind: K, env: NodeJS.ProcessEnv): Promise<ServerChild<K>> {
    const child = fork(serverFile, [], {
      cwd: root,
      env: { ...process.env, ...env },
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await ServerChild.next(child, 'ready', 60_000);
    return new ServerChild(kind, ready.port, child);
  }

  /** the next message of this type from the child (or its error / exit) */
  private static next<T extends ChildMessage['type']>(
    child: ChildProcess,
    type: T,
    timeoutMs = 30_000,
  ): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`server child: no ${type} within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (raw: unknown): void => {
        const msg = raw as ChildMessage;
        if (msg.type === type) finish(null, msg as Extract<ChildMessage, { type: T }>);
        else if (msg.type === 'error') finish(new Error(`server child failed: ${msg.message}`));
      };
      const onExit = (code: number | null): void =>
        finish(new Error(`server child exited (${code}) while waiting for ${type}`));
      const finish = (err: Error | null, msg?: Extract<ChildMessage, { type: T }>): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve(msg!);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  }

  private send(msg: ParentMessage): void {
    this.child.send(msg);
  }

  async stats(): Promise<PageCacheStats> {
    const reply = ServerChild.next(this.child, 'stats');
    this.send({ type: 'stats' });
    return reply;
  }

  /** the hand-written page's chrome, in bytes */
  async pad(bytes: number): Promise<void> {
    const reply = ServerChild.next(this.child, 'padded');
    this.send({ type: 'pad', bytes });
    await reply;
  }

  async profileStart(): Promise<void> {
    const reply = ServerChild.next(this.child, 'profiling');
    this.send({ type: 'profile-start' });
    await reply;
  }

  async profileStop(file: string): Promise<string> {
    const reply = ServerChild.next(this.child, 'profiled', 60_000);
    this.send({ type: 'profile-stop', file });
    return (await reply).file;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface Fetched {
  status: number;
  contentType: string;
  etag: string | null;
  body: string;
  bytes: number;
}

/** One plain GET on a new connection (no agent): what a first visitor's request costs. */
export function get(port: number, path: string, host: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'GET', headers: { host }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          const etag = res.headers.etag;
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            etag: typeof etag === 'string' ? etag : null,
            body: buf.toString('utf8'),
            bytes: buf.length,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
