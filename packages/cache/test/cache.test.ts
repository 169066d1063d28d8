import t from 'tap';
import { freePort } from '@yiduan/db';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createCache, createMemoryCache, createRedisCache, type Cache, type CacheLogger } from '../src/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** a port where nothing listens */
const DEAD_URL = 'redis://127.0.0.1:6390';
const runId = randomUUID().slice(0, 8);
let prefixSeq = 0;
const freshPrefix = () => `test:cache:${runId}:${++prefixSeq}:`;

interface Recorded {
  obj: unknown;
  msg: string | undefined;
}
function recordingLogger(): CacheLogger & { warnings: Recorded[] } {
  const warnings: Recorded[] = [];
  return { warnings, warn: (obj, msg) => warnings.push({ obj, msg }) };
}

/** Polls until `check` is true; pub/sub delivery is asynchronous in both implementations. */
async function waitFor(check: () => boolean, ms = 2000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await sleep(10);
  }
  return check();
}

// leave the shared Redis as we found it: drop every key this run created
t.teardown(async () => {
  const raw = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
  raw.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await raw.scan(cursor, 'MATCH', `test:cache:${runId}:*`, 'COUNT', 1000);
      if (keys.length > 0) await raw.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    raw.disconnect();
  }
});

type Factory = (prefix: string, logger: CacheLogger) => Cache;
const implementations: [name: string, factory: Factory][] = [
  ['memory', (prefix, logger) => createMemoryCache({ prefix, logger })],
  ['redis', (prefix, logger) => createRedisCache({ url: REDIS_URL, prefix, logger })],
];

for (const [name, factory] of implementations) {
  t.test(`${name} cache`, async (t) => {
    // a healthy cache must never fall back to fail-soft: every warning is a bug here
    const logger = recordingLogger();
    const open: Cache[] = [];
    const make = (prefix = freshPrefix()) => {
      const c = factory(prefix, logger);
      open.push(c);
      return c;
    };
    t.teardown(async () => {
      await Promise.all(open.map((c) => c.close()));
    });
    const cache = make();
    t.equal(cache.kind, name);
    t.equal(await cache.ping(), 'ok', `${name} is reachable`);

    t.test('get / set / overwrite / del', async (t) => {
      t.equal(await cache.get('missing'), null);
      await cache.set('a', 'one');
      t.equal(await cache.get('a'), 'one');
      await cache.set('a', 'two');
      t.equal(await cache.get('a'), 'two');
      await cache.set('empty', '');
      t.equal(await cache.get('empty'), '', 'empty string is a value, not a miss');
      await cache.set('unicode', '一端百面');
      t.equal(await cache.get('unicode'), '一端百面');
      await cache.del('a');
      t.equal(await cache.get('a'), null);
      await cache.del('never-set');
    });

    t.test('ttl expiry', async (t) => {
      await cache.set('short', 'v', { ttlSeconds: 1 });
      await cache.set('long', 'v', { ttlSeconds: 60 });
      await cache.set('forever', 'v');
      t.equal(await cache.get('short'), 'v');
      await sleep(1150);
      t.equal(await cache.get('short'), null, 'expired');
      t.equal(await cache.get('long'), 'v');
      t.equal(await cache.get('forever'), 'v');
    });

    t.test('getMany', async (t) => {
      await cache.set('m1', 'x');
      await cache.set('m2', 'y');
      t.same(await cache.getMany(['m1', 'nope', 'm2', 'm1']), ['x', null, 'y', 'x']);
      t.same(await cache.getMany([]), []);
    });

    t.test('getBuffer / getBufferIf', async (t) => {
      await cache.set('b:page', '"etag"\n<p>一端百面</p>');
      const bytes = await cache.getBuffer('b:page');
      t.ok(Buffer.isBuffer(bytes), 'a Buffer');
      t.equal(bytes?.toString('utf8'), '"etag"\n<p>一端百面</p>', 'the UTF-8 bytes of the value');
      t.equal(await cache.getBuffer('b:missing'), null);

      await cache.set('b:site', 'stamp1\n{"x":1}', { tags: ['b-tenant'] });
      await cache.set('b:gen', 'tok', { tags: ['b-tenant'] });
      const guards = [
        { key: 'b:site', prefix: 'stamp1\n' },
        { key: 'b:gen', prefix: 'tok' },
      ];
      const hit = await cache.getBufferIf('b:page', guards);
      t.equal(hit.current, true, 'every guard holds');
      t.equal(hit.current && hit.value?.toString('utf8'), '"etag"\n<p>一端百面</p>');
      t.same(
        await cache.getBufferIf('b:missing', guards),
        { current: true, value: null },
        'a missing key under current guards',
      );
      t.same(await cache.getBufferIf(null, guards), { current: true, value: null }, 'guards only');
      t.same(await cache.getBufferIf('b:page', []), { current: true, value: bytes }, 'no guards: a plain read');
      t.same(
        await cache.getBufferIf('b:page', [{ key: 'b:gen', prefix: '' }]),
        { current: true, value: bytes },
        "prefix '' means the key exists",
      );

      t.same(
        await cache.getBufferIf('b:page', [{ key: 'b:site', prefix: 'stamp2\n' }, guards[1]!]),
        { current: false },
        'another prefix fails',
      );
      t.same(
        await cache.getBufferIf('b:page', [...guards, { key: 'b:nothing', prefix: '' }]),
        { current: false },
        'a missing guard key fails',
      );
      await cache.invalidateTags(['b-tenant']);
      t.same(
        await cache.getBufferIf('b:page', guards),
        { current: false },
        'after the guards are invalidated, nothing is read',
      );
      t.equal((await cache.getBuffer('b:page'))?.length, bytes?.length, 'the untagged value itself stays');

      await cache.set('b:page', 'new');
      t.equal((await cache.getBuffer('b:page'))?.toString(), 'new', 'an overwrite gives the new bytes');
    });

    t.test('tag invalidation', async (t) => {
      await cache.set('t:a', 'a', { tags: ['story:1'] });
      await cache.set('t:b', 'b', { tags: ['story:1', 'section:2'], ttlSeconds: 60 });
      await cache.set('t:c', 'c', { tags: ['section:2'] });
      await cache.set('t:d', 'd');
      t.equal(await cache.invalidateTags(['story:1']), 2);
      t.same(await cache.getMany(['t:a', 't:b', 't:c', 't:d']), [null, null, 'c', 'd'], 'only tagged keys vanish');
      t.equal(await cache.invalidateTags(['section:2']), 1, 'key already gone is not counted again');
      t.equal(await cache.get('t:c'), null);
      t.equal(await cache.get('t:d'), 'd', 'untagged key stays');
      t.equal(await cache.invalidateTags(['story:1']), 0, 'a spent tag removes nothing');
      t.equal(await cache.invalidateTags([]), 0);

      await cache.set('t:both', 'v', { tags: ['x', 'y'] });
      t.equal(await cache.invalidateTags(['x', 'y', 'x']), 1, 'a key in two tags counts once');
      t.equal(await cache.get('t:both'), null);

      await cache.set('t:again', 'v1', { tags: ['story:1'] });
      t.equal(await cache.invalidateTags(['story:1']), 1, 'tag works again after an invalidation');
    });

    t.test('an expired tagged key is not counted', async (t) => {
      await cache.set('t:exp', 'v', { tags: ['exp'], ttlSeconds: 1 });
      await cache.set('t:live', 'v', { tags: ['exp'] });
      await sleep(1150);
      t.equal(await cache.invalidateTags(['exp']), 1);
    });

    t.test('a big tag is invalidated completely', async (t) => {
      const keys = Array.from({ length: 1200 }, (_, i) => `big:${i}`);
      await Promise.all(keys.map((k) => cache.set(k, k, { tags: ['big'], ttlSeconds: 60 })));
      t.equal(await cache.invalidateTags(['big']), keys.length);
      const after = await cache.getMany(keys);
      t.ok(
        after.every((v) => v === null),
        'no key survives',
      );
    });

    t.test('publish / subscribe / unsubscribe', async (t) => {
      const got1: string[] = [];
      const got2: string[] = [];
      const other: string[] = [];
      const un1 = await cache.subscribe('news', (m) => got1.push(m));
      const un2 = await cache.subscribe('news', (m) => got2.push(m));
      const unOther = await cache.subscribe('other', (m) => other.push(m));
      await cache.publish('news', 'hello');
      t.ok(await waitFor(() => got1.length === 1 && got2.length === 1), 'both subscribers receive');
      t.same(got1, ['hello']);
      t.same(got2, ['hello']);

      await un1();
      await un1(); // idempotent
      await cache.publish('news', 'second');
      t.ok(await waitFor(() => got2.length === 2));
      t.same(got1, ['hello'], 'unsubscribed handler gets nothing');
      t.same(got2, ['hello', 'second']);

      await un2();
      await cache.publish('news', 'third');
      // a message on another channel published afterwards marks that delivery has happened
      await cache.publish('other', 'marker');
      t.ok(await waitFor(() => other.length === 1));
      t.same(got2, ['hello', 'second'], 'nothing after the last unsubscribe');
      t.same(other, ['marker'], 'channels are separate');
      await unOther();
    });

    t.test('a throwing handler does not break the others', async (t) => {
      const got: string[] = [];
      const unBad = await cache.subscribe('boom', () => {
        throw new Error('handler bug');
      });
      const unGood = await cache.subscribe('boom', (m) => got.push(m));
      await cache.publish('boom', 'x');
      t.ok(await waitFor(() => got.length === 1));
      await unBad();
      await unGood();
      // the handler error is reported through the logger; drop it so the final check stays strict
      const idx = logger.warnings.findIndex((w) => w.msg === 'cache subscriber handler threw');
      t.ok(idx >= 0, 'handler error was logged');
      logger.warnings.splice(idx, 1);
    });

    t.test('incrWindow counts and expires', async (t) => {
      t.equal(await cache.incrWindow('rl:ip:1', 1), 1);
      t.equal(await cache.incrWindow('rl:ip:1', 1), 2);
      t.equal(await cache.incrWindow('rl:ip:1', 1), 3);
      t.equal(await cache.incrWindow('rl:ip:2', 1), 1, 'keys count separately');
      t.equal(await cache.get('rl:ip:1'), '3', 'counter is readable as a value');
      await sleep(1150);
      t.equal(await cache.incrWindow('rl:ip:1', 1), 1, 'a new window starts at 1');
      await t.rejects(cache.incrWindow('rl:bad', 0), RangeError);
    });

    t.test('prefix isolation', async (t) => {
      const a = make();
      const b = make();
      await a.set('shared', 'A', { tags: ['tag'] });
      await b.set('shared', 'B', { tags: ['tag'] });
      t.equal(await a.get('shared'), 'A');
      t.equal(await b.get('shared'), 'B');
      t.equal(await a.invalidateTags(['tag']), 1);
      t.equal(await a.get('shared'), null);
      t.equal(await b.get('shared'), 'B', "another prefix's invalidation does not reach it");

      t.equal(await a.incrWindow('rl', 60), 1);
      t.equal(await b.incrWindow('rl', 60), 1, 'counters are per prefix');

      const heardByB: string[] = [];
      const heardByA: string[] = [];
      const unB = await b.subscribe('ch', (m) => heardByB.push(m));
      const unA = await a.subscribe('ch', (m) => heardByA.push(m));
      await a.publish('ch', 'from a');
      t.ok(await waitFor(() => heardByA.length === 1));
      await sleep(50);
      t.same(heardByB, [], 'channels are per prefix');
      await unA();
      await unB();
    });

    t.test('close', async (t) => {
      const c = factory(freshPrefix(), recordingLogger());
      await c.set('k', 'v');
      await c.close();
      await c.close(); // idempotent
      t.equal(await c.ping(), 'down');
      t.equal(await c.get('k'), null);
    });

    t.test('no warnings while healthy', async (t) => {
      t.same(logger.warnings, []);
    });
  });
}

t.test('memory: LRU bound', async (t) => {
  const c = createMemoryCache({ prefix: freshPrefix(), maxEntries: 3 });
  t.teardown(() => c.close());
  await c.set('a', '1', { tags: ['t'] });
  await c.set('b', '2', { tags: ['t'] });
  await c.set('c', '3');
  t.equal(await c.get('a'), '1'); // a becomes most recently used
  await c.set('d', '4');
  t.same(await c.getMany(['a', 'b', 'c', 'd']), ['1', null, '3', '4'], 'least recently used goes first');
  t.equal(await c.invalidateTags(['t']), 1, 'evicted keys leave the tag index too');
});

t.test('memory: caches with the same prefix share one store', async (t) => {
  const prefix = freshPrefix();
  const portal = createMemoryCache({ prefix });
  const worker = createMemoryCache({ prefix });
  await portal.set('page', 'html', { tags: ['story:1'] });
  t.equal(await worker.invalidateTags(['story:1']), 1, "the worker's invalidation reaches the portal's entries");
  t.equal(await portal.get('page'), null);
  const got: string[] = [];
  await portal.subscribe('inv', (m) => got.push(m));
  await worker.publish('inv', 'x');
  t.ok(await waitFor(() => got.length === 1));
  await portal.set('kept', 'v');
  await portal.close();
  await worker.close();
  const later = createMemoryCache({ prefix });
  t.equal(await later.get('kept'), null, 'the store is dropped when its last user closes');
  await later.close();
});

t.test('redis: tag sets get a TTL at least as long as their longest entry', async (t) => {
  const prefix = freshPrefix();
  const c = createRedisCache({ url: REDIS_URL, prefix });
  const raw = new Redis(REDIS_URL);
  t.teardown(async () => {
    await c.close();
    await raw.quit();
  });
  const tagTtl = () => raw.ttl(`${prefix}tag:T`);
  await c.set('k1', 'v', { tags: ['T'], ttlSeconds: 100 });
  t.ok((await tagTtl()) > 90 && (await tagTtl()) <= 100, 'new tag set takes the entry TTL');
  await c.set('k2', 'v', { tags: ['T'], ttlSeconds: 500 });
  t.ok((await tagTtl()) > 490, 'extended by a longer entry');
  await c.set('k3', 'v', { tags: ['T'], ttlSeconds: 10 });
  t.ok((await tagTtl()) > 490, 'never shortened');
  await c.set('k4', 'v', { tags: ['T'] });
  t.equal(await tagTtl(), -1, 'an entry without TTL makes the tag set persistent');
  await c.set('k5', 'v', { tags: ['T'], ttlSeconds: 10 });
  t.equal(await tagTtl(), -1, 'and a TTL entry does not make it volatile again');
  t.equal(await c.invalidateTags(['T']), 5);
  t.equal(await raw.exists(`${prefix}tag:T`), 0, 'tag set removed with its members');
});

t.test('redis: invalidation is never followed by a stale read', async (t) => {
  const c = createRedisCache({ url: REDIS_URL, prefix: freshPrefix() });
  t.teardown(() => c.close());
  for (let round = 0; round < 20; round++) {
    const keys = Array.from({ length: 20 }, (_, i) => `r${round}:${i}`);
    await Promise.all(keys.map((k) => c.set(k, 'old', { tags: [`story:${round}`, 'home'] })));
    await c.invalidateTags([`story:${round}`]);
    const after = await c.getMany(keys);
    if (!after.every((v) => v === null)) t.fail(`round ${round}: stale value after invalidation`);
  }
  t.pass('no stale reads');
});

t.test('createCache picks the implementation', async (t) => {
  const mem = createCache({ redisUrl: null, prefix: freshPrefix() });
  const red = createCache({ redisUrl: REDIS_URL, prefix: freshPrefix() });
  t.equal(mem.kind, 'memory');
  t.equal(red.kind, 'redis');
  t.equal(await red.ping(), 'ok');
  await mem.close();
  await red.close();
});

t.test('redis down: fails soft, fast', async (t) => {
  const logger = recordingLogger();
  const c = createRedisCache({ url: DEAD_URL, prefix: freshPrefix(), logger });
  const started = Date.now();
  t.equal(await c.get('k'), null, 'get is a miss');
  t.same(await c.getMany(['a', 'b']), [null, null], 'getMany is all misses');
  t.equal(await c.getBuffer('k'), null, 'getBuffer is a miss');
  t.same(await c.getBufferIf('k', [{ key: 'g', prefix: '' }]), { current: false }, 'getBufferIf is never current');
  await t.resolves(c.set('k', 'v', { tags: ['t'], ttlSeconds: 10 }), 'set does not throw');
  await t.resolves(c.set('k', 'v'), 'untagged set does not throw');
  await t.resolves(c.del('k'), 'del does not throw');
  t.equal(await c.invalidateTags(['t']), 0, 'invalidateTags does not throw');
  await t.resolves(c.publish('ch', 'm'), 'publish does not throw');
  t.equal(await c.ping(), 'down');
  await t.rejects(c.incrWindow('rl', 60), 'incrWindow reports the outage to the rate limiter');
  const elapsed = Date.now() - started;
  t.ok(elapsed < 3000, `all of it took ${elapsed} ms`);
  t.ok(logger.warnings.length > 0, 'warnings were logged');

  const subscribing = Date.now();
  const unsubscribe = await c.subscribe('ch', () => undefined);
  t.ok(Date.now() - subscribing < 500, 'subscribe returns at once while redis is down');
  await unsubscribe();
  const closing = Date.now();
  await t.resolves(c.close(), 'close does not throw');
  t.ok(Date.now() - closing < 1500, 'close is quick');
});

t.test('redis down then back: the client reconnects by itself', async (t) => {
  const port = await freePort();
  let server = await startRedis(port);
  t.teardown(() => stopRedis(server));
  const logger = recordingLogger();
  const c = createRedisCache({ url: `redis://127.0.0.1:${port}`, prefix: freshPrefix(), logger });
  t.teardown(() => c.close());

  await c.set('k', 'v');
  t.equal(await c.get('k'), 'v');
  const got: string[] = [];
  await c.subscribe('ch', (m) => got.push(m));

  await stopRedis(server);
  const started = Date.now();
  t.equal(await c.get('k'), null, 'miss while down');
  t.equal(await c.ping(), 'down');
  t.ok(Date.now() - started < 2500, 'and fast');
  const gotDuringOutage: string[] = [];
  await c.subscribe('made-while-down', (m) => gotDuringOutage.push(m));

  server = await startRedis(port);
  t.ok(await waitAsync(async () => (await c.ping()) === 'ok', 10_000), 'ping is ok again');
  await c.set('k', 'back'); // the server started empty
  t.equal(await c.get('k'), 'back');
  // the subscriber connection re-subscribes after its own reconnect
  t.ok(
    await waitAsync(async () => {
      await c.publish('ch', 'again');
      return got.includes('again');
    }, 10_000),
    'subscription survived the outage',
  );
  t.ok(
    await waitAsync(async () => {
      await c.publish('made-while-down', 'now');
      return gotDuringOutage.includes('now');
    }, 10_000),
    'a subscription made during the outage activates when redis is back',
  );
});

async function waitAsync(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: 'ignore' },
  );
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    const up = await waitAsync(async () => {
      try {
        if (probe.status !== 'ready') await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      }
    }, 5000);
    if (!up) throw new Error(`redis-server did not start on port ${port}`);
  } finally {
    probe.disconnect();
  }
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}
