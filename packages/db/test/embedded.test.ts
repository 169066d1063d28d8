import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import { startEmbeddedPostgres } from '../src/embedded.js';

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  // A server stopping while the pool holds idle clients emits 'error' on the pool.
  pool.on('error', () => {});
  try {
    return (await pool.query<R>(sql)).rows;
  } finally {
    await pool.end();
  }
}

const base = await mkdtemp(path.join(tmpdir(), 'yiduan-embedded-pg-'));
t.teardown(() => rm(base, { recursive: true, force: true }));

t.test('throwaway cluster answers select 1 and is removed on stop', async (t) => {
  const dataDir = path.join(base, 'throwaway');
  const server = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false });
  t.teardown(() => server.stop());
  t.match(server.url, /^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
  t.ok(server.port > 0);
  const rows = await query<{ one: number }>(server.url, 'select 1 as one');
  t.same(rows, [{ one: 1 }]);
  await server.stop();
  await t.rejects(readFile(path.join(dataDir, 'PG_VERSION')), 'data dir removed');
});

t.test('persistent cluster keeps data across restarts, also after kill -9', async (t) => {
  const dataDir = path.join(base, 'persistent');
  const first = await startEmbeddedPostgres({ dataDir, port: 0 });
  await query(first.url, 'create table kept (id int primary key); insert into kept values (42)');
  await first.stop();

  const second = await startEmbeddedPostgres({ dataDir, port: 0 });
  t.equal(second.url.replace(/:\d+\//, '/'), first.url.replace(/:\d+\//, '/'), 'same password after restart');
  t.same(await query<{ id: number }>(second.url, 'select id from kept'), [{ id: 42 }]);

  // Simulate a crash: kill the postmaster hard, leaving a stale postmaster.pid.
  const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  t.ok(pid > 0, 'postmaster.pid names the server');
  process.kill(pid, 'SIGKILL');
  await second.stop(); // must not hang on a dead server

  const third = await startEmbeddedPostgres({ dataDir, port: 0 });
  t.teardown(() => third.stop());
  t.same(await query<{ id: number }>(third.url, 'select id from kept'), [{ id: 42 }], 'data survives the crash');
});

t.test('a busy port fails with a clear message', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const address = blocker.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await t.rejects(startEmbeddedPostgres({ dataDir: path.join(base, 'busy'), port, persistent: false }), {
    message: new RegExp(`port ${port}\\b.*EMBEDDED_PG_PORT`, 's'),
  });
});
