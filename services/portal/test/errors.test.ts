import t from 'tap';
import { createDb } from '@yiduan/db';
import { get, LEAK, portal } from './helpers.js';

interface LogLine {
  level: number;
  reqId?: string;
  msg?: string;
  err?: { message?: string };
}

/** A Fastify logger writing into an array, to see what was logged. */
function capture(): { lines: LogLine[]; logger: { level: string; stream: { write(line: string): void } } } {
  const lines: LogLine[] = [];
  return {
    lines,
    logger: { level: 'info', stream: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } },
  };
}

t.test('database down → 503 page without detail, logged with the request id', async (t) => {
  // nothing listens on port 1: every query fails to connect
  const dead = createDb('postgres://nobody@127.0.0.1:1/nothing', { max: 1 });
  t.teardown(() => dead.destroy());
  const log = capture();
  const p = await portal(t, { readDb: dead, fastify: { logger: log.logger } });

  const res = await get(p, 'ruyang.localhost');
  t.equal(res.statusCode, 503);
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  t.equal(res.headers['cache-control'], 'no-store');
  t.match(res.body, '<html lang="zh-CN">');
  t.match(res.body, '<h1>服务暂时不可用</h1>');
  t.notMatch(res.body, LEAK, 'no stack or driver message');

  const reference = /参考编号：([0-9a-f-]{36})/.exec(res.body)?.[1];
  t.ok(reference, 'the page shows a reference number');
  const logged = log.lines.find((l) => l.msg === 'portal request failed');
  t.ok(logged, 'the failure is logged');
  t.equal(logged?.reqId, reference, 'with the request id the visitor sees');
  t.equal(logged?.level, 50, 'as an error');
});

t.test('an unexpected failure → generic page, no message', async (t) => {
  const log = capture();
  const p = await portal(t, {
    fastify: { logger: log.logger },
    cache: (memory) => ({
      ...memory,
      get: async () => {
        throw new Error('secret detail: redis at 10.0.0.7 refused');
      },
    }),
  });
  const res = await get(p, 'ruyang.localhost');
  t.equal(res.statusCode, 500);
  t.match(res.body, '服务暂时不可用');
  t.notMatch(res.body, 'secret detail');
  t.notMatch(res.body, LEAK);
  t.ok(
    log.lines.some((l) => l.err?.message?.includes('secret detail')),
    'the detail goes to the log only',
  );
});

t.test('malformed requests get a Chinese 400 page', async (t) => {
  const p = await portal(t);
  const res = await get(p, 'ruyang.localhost', '/%E4%B8');
  t.equal(res.statusCode, 400);
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  t.match(res.body, '请求无法处理');
  t.notMatch(res.body, LEAK);
});

t.test('/health', async (t) => {
  const p = await portal(t);
  const res = await get(p, 'ruyang.localhost', '/health');
  t.equal(res.statusCode, 200);
  t.match(res.json(), { status: 'ok', service: 'portal' });
});
