// Warm pages (docs/faces-cache.md): after the worker invalidates a face, it renders the pages the
// change touches into the page cache, so the first visitor after a push, a correction or a
// retraction is served from the cache, and sees the change.
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { createRedisCache, type Cache } from '@yiduan/cache';
import {
  accessFor,
  approveStep,
  correctStory,
  createStaff,
  createStory,
  publishStory,
  pushStory,
  retractStory,
  setSharePolicy,
  staffActor,
  submitForReview,
  SYSTEM_ACTOR,
  type Access,
  type Actor,
} from '@yiduan/core';
import { withPlatform, withTenant, type Staff, type Trx } from '@yiduan/db';
import { build as buildPortal, pageWarmer } from '@yiduan/portal';
import { createDemoDeps, type DemoDeps } from '@yiduan/testkit';
import { defaultRegistry, OutboxConsumer, PageWarmer, silentLogger } from '@yiduan/worker';

interface Cast {
  writer: Staff;
  signers: Staff[];
}

async function setup(t: Test, wrapWarmCache: (c: Cache) => Cache = (c) => c, redis = false) {
  const demo: DemoDeps = await createDemoDeps(t);
  // with Redis: one shared cache under a prefix of its own, as separate processes would share it
  const deps: DemoDeps = redis
    ? {
        ...demo,
        cache: createRedisCache({ url: process.env.REDIS_URL!, prefix: `yd-warm-${randomBytes(4).toString('hex')}:` }),
      }
    : demo;
  if (redis) {
    t.teardown(async () => {
      await deps.cache.invalidateTags(['hosts', ...Object.values(deps.tenants).map((x) => `tenant:${x.id}`)]);
      await deps.cache.close();
    });
  }
  const visitor = await buildPortal(deps);
  // the worker's own quiet portal, sharing the cache, as in services/platform
  const warmPortal = await buildPortal({ ...deps, cache: wrapWarmCache(deps.cache) }, { fastify: { logger: false } });
  const warmer = new PageWarmer({
    db: deps.db,
    render: pageWarmer(warmPortal),
    baseDomain: deps.config.publicBaseDomain,
    log: silentLogger,
    concurrency: 8,
  });
  const consumer = new OutboxConsumer({
    db: deps.db,
    cache: deps.cache,
    registry: defaultRegistry({ warmer }),
    backoff: () => 0,
  });
  t.teardown(async () => {
    await warmer.stop();
    await visitor.close();
    await warmPortal.close();
  });
  /** every outbox event processed (push chunks enqueue more), then every warm page rendered */
  const drain = async (): Promise<void> => {
    for (let i = 0; i < 100; i++) if ((await consumer.runOnce()).processed === 0) return;
  };
  const settle = async (): Promise<void> => {
    await drain();
    await warmer.idle();
  };
  const [writer, ...signers] = await Promise.all(
    ['writer', 'sign-a', 'sign-b', 'sign-c'].map((login) =>
      withPlatform(deps.db, (trx) =>
        createStaff(trx, SYSTEM_ACTOR, {
          login: `warm-${login}`,
          displayName: login,
          password: 'Warm-test-42',
          isOperator: true,
        }),
      ),
    ),
  );
  const cast: Cast = { writer: writer!, signers };
  const as = <T>(
    who: Staff,
    tenantId: string,
    fn: (trx: Trx, access: Access, actor: Actor) => Promise<T>,
  ): Promise<T> =>
    withTenant(deps.db, tenantId, async (trx) => fn(trx, await accessFor(trx, who, tenantId), staffActor(who)));
  const publish = async (tenantId: string, title: string): Promise<string> => {
    const { story } = await as(cast.writer, tenantId, (trx, a, actor) =>
      createStory(trx, a, actor, {
        kind: 'article',
        title,
        summary: '全省统一部署',
        body: [{ type: 'paragraph', text: `${title}，各地抓好落实。` }],
      }),
    );
    await as(cast.writer, tenantId, (trx, a, actor) => submitForReview(trx, a, actor, story.id));
    for (const s of cast.signers) await as(s, tenantId, (trx, a, actor) => approveStep(trx, a, actor, story.id));
    await as(cast.writer, tenantId, (trx, a, actor) => setSharePolicy(trx, a, actor, story.id, 'down'));
    await as(cast.signers[0]!, tenantId, (trx, a, actor) => publishStory(trx, a, actor, story.id));
    return story.id;
  };
  const pushAll = (tenantId: string, storyId: string) =>
    as(cast.writer, tenantId, (trx, a, actor) =>
      pushStory(trx, a, actor, { storyId, targets: { kind: 'all' }, mandatory: true }),
    );
  const retract = (tenantId: string, storyId: string) =>
    as(cast.signers[0]!, tenantId, (trx, a, actor) => retractStory(trx, a, actor, storyId, '政策调整，稿件撤回'));
  const correct = (tenantId: string, storyId: string, note: string) =>
    as(cast.signers[0]!, tenantId, (trx, a, actor) => correctStory(trx, a, actor, storyId, note));
  const host = (slug: string): string => `${slug}.${deps.config.publicBaseDomain}`;
  /** a visitor's GET, with how the portal answered it: from the cache or rendered */
  const visit = async (slug: string, url: string) => {
    const before = { ...visitor.pageStats };
    const res = await visitor.inject({ url, headers: { host: host(slug) } });
    return {
      status: res.statusCode,
      body: res.body,
      rendered: visitor.pageStats.rendered - before.rendered,
      cached: visitor.pageStats.cached - before.cached,
    };
  };
  return { deps, tenants: deps.tenants, drain, settle, publish, pushAll, retract, correct, visit, warmer, consumer };
}

t.test('the first visitor after a push is served from the cache, on every face, and sees the story', async (t) => {
  const { tenants, settle, publish, pushAll, visit, warmer } = await setup(t);
  const henan = tenants.henan!.id;
  const title = '全省秋粮收购工作部署会议召开';
  const storyId = await publish(henan, title);
  await settle();
  // every face has a cached home page from before the push (visitors were there)
  for (const slug of Object.keys(tenants)) t.equal((await visit(slug, '/')).status, 200);

  const rendered = warmer.stats.rendered;
  await pushAll(henan, storyId);
  await settle();
  const faces = Object.keys(tenants).length;
  t.ok(
    warmer.stats.rendered - rendered >= faces * 2,
    `the worker rendered home and story pages of all ${faces} faces (${warmer.stats.rendered - rendered} pages)`,
  );
  t.equal(warmer.stats.failed, 0, 'no warm render failed');

  for (const slug of ['ruyang', 'zhecheng', 'luoyang']) {
    const home = await visit(slug, '/');
    t.equal(home.status, 200);
    t.ok(home.body.includes(title), `${slug}: the home page shows the pushed story`);
    t.same([home.rendered, home.cached], [0, 1], `${slug}: the first visitor's home page came from the cache`);
    const story = await visit(slug, `/a/${storyId}`);
    t.equal(story.status, 200);
    t.same([story.rendered, story.cached], [0, 1], `${slug}: so did the story page`);
    const feed = await visit(slug, '/rss.xml');
    t.ok(feed.body.includes(title), `${slug}: the feed lists it`);
    t.same([feed.rendered, feed.cached], [0, 1], `${slug}: and the feed came from the cache`);
  }
  // the story's section on the county face: its first page is warm too
  const home = await visit('ruyang', `/a/${storyId}`);
  const section = /href="(\/s\/[a-z][a-z0-9-]*)"/.exec(home.body.slice(home.body.indexOf('<main')))?.[1];
  t.ok(section, 'the story page links its section');
  const listing = await visit('ruyang', section!);
  t.ok(listing.body.includes(title), 'the section page lists it');
  t.same([listing.rendered, listing.cached], [0, 1], 'from the cache');
});

t.test(
  'with Redis: the first visitor of a county face after a push gets the warmed pages',
  { skip: process.env.REDIS_URL ? false : 'REDIS_URL not set' },
  async (t) => {
    const { tenants, settle, publish, pushAll, visit } = await setup(t, undefined, true);
    const henan = tenants.henan!.id;
    const title = '全省冬季供暖保障工作通知';
    const storyId = await publish(henan, title);
    await settle();
    t.equal((await visit('zhecheng', '/')).status, 200);
    await pushAll(henan, storyId);
    await settle();
    const home = await visit('zhecheng', '/');
    t.ok(home.body.includes(title), 'the home page shows the pushed story');
    t.same([home.rendered, home.cached], [0, 1], 'from the shared cache');
    const story = await visit('zhecheng', `/a/${storyId}`);
    t.same([story.status, story.rendered, story.cached], [200, 0, 1], 'the story page too');
  },
);

t.test('a correction re-renders the story on every face; a retraction leaves no warmed page showing it', async (t) => {
  const { tenants, settle, publish, pushAll, retract, correct, visit } = await setup(t);
  const henan = tenants.henan!.id;
  const title = '全省防汛抗旱工作紧急通知';
  const storyId = await publish(henan, title);
  await settle();
  await pushAll(henan, storyId);
  await settle();
  t.ok((await visit('yichuan', '/')).body.includes(title));

  await correct(henan, storyId, '更正：会议时间为9月20日');
  await settle();
  const corrected = await visit('yichuan', `/a/${storyId}`);
  t.ok(corrected.body.includes('会议时间为9月20日'), 'the county face shows the correction note');
  t.same([corrected.rendered, corrected.cached], [0, 1], 'warmed: the first visitor did not pay for the render');

  await retract(henan, storyId);
  await settle();
  for (const slug of Object.keys(tenants)) {
    const home = await visit(slug, '/');
    t.notOk(home.body.includes(title), `${slug}: the home page no longer shows it`);
    t.same([home.rendered, home.cached], [0, 1], `${slug}: and it is the warmed page`);
    t.equal((await visit(slug, `/a/${storyId}`)).status, 410, `${slug}: the story answers 410`);
    t.notOk((await visit(slug, '/rss.xml')).body.includes(title), `${slug}: the feed dropped it`);
  }
});

t.test('a warm render that read the story before its retraction never serves it after', async (t) => {
  // the warm portal's first page write waits until released: a render caught between its data
  // read and its store, while the retraction commits and its invalidation is processed
  let hold: { key: string | null; reached: () => void; release: Promise<void> } | null = null;
  const gate = (cache: Cache): Cache =>
    new Proxy(cache, {
      get(target, prop) {
        if (prop === 'set') {
          return async (key: string, value: string, opts?: Parameters<Cache['set']>[2]) => {
            const h = hold;
            if (h && h.key === null && key.startsWith('page:') && key.endsWith(':/')) {
              h.key = key;
              h.reached();
              await h.release;
            }
            return target.set(key, value, opts);
          };
        }
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
      },
    });
  const { deps, tenants, drain, settle, publish, pushAll, retract, visit, warmer } = await setup(t, gate);
  const henan = tenants.henan!.id;
  const ruyang = tenants.ruyang!.id;
  const title = '全省安全生产专项整治通知';
  const storyId = await publish(henan, title);
  await settle();
  await pushAll(henan, storyId);
  await settle();
  t.ok((await visit('ruyang', '/')).body.includes(title));

  // a change on ruyang's face: its pages are dropped and the home page warmed; that render is held at its store
  let reached!: () => void;
  const atStore = new Promise<void>((r) => (reached = r));
  let release!: () => void;
  hold = { key: null, reached, release: new Promise<void>((r) => (release = r)) };
  await deps.cache.invalidateTags([`tenant:${ruyang}`]);
  warmer.touch([ruyang], null);
  await atStore;
  const staleKey = hold.key!;
  t.match(staleKey, /^page:[^:]+:[^:]+:\d+:\/$/, 'the held render is the home page');

  // the retraction commits and its invalidation is processed while the old render waits
  await retract(henan, storyId);
  await drain();
  release();
  await warmer.idle();

  t.ok(
    (await deps.cache.get(staleKey))?.includes(title),
    'the old render, showing the story, was stored: under the token the retraction killed',
  );
  t.notOk(
    staleKey.startsWith(`page:${ruyang}:${await deps.cache.get(`pagegen:${ruyang}`)}:`),
    'which is no longer the current one',
  );
  const home = await visit('ruyang', '/');
  t.notOk(home.body.includes(title), 'a visitor never gets it: the retracted story is not shown');
  t.equal(home.cached, 1, 'and the page served is the newer warm render');
});
