// The warmer's queue (warm pages, docs/faces-cache.md): bounded concurrency, coalescing, a page
// asked for again while its render is in flight is rendered once more, failures stay contained.
// The portal's side (a real render into the cache) is in test/e2e/warm.test.ts.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { PageWarmer, pagesOf, silentLogger, type RenderPage } from '../src/index.js';
import { setupDemo } from './helpers.js';

interface Call {
  host: string;
  path: string;
  done: () => void;
}

/** A render that waits until the test lets it finish, recording the calls and the most in flight at once. */
function heldRender(): { render: RenderPage; calls: Call[]; maxInFlight: () => number; releaseAll: () => void } {
  const calls: Call[] = [];
  let inFlight = 0;
  let max = 0;
  const render: RenderPage = async (host, path) => {
    inFlight++;
    max = Math.max(max, inFlight);
    await new Promise<void>((done) => calls.push({ host, path, done }));
    inFlight--;
    return { status: 200, rendered: true };
  };
  return {
    render,
    calls,
    maxInFlight: () => max,
    releaseAll: () => {
      for (const c of calls.splice(0)) c.done();
    },
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

t.test('pages of a face: home, the live story, its section, the feed', async (t) => {
  const face = { tenantId: randomUUID(), slug: 'ruyang', sectionSlug: 'zhengwu', storyLive: true };
  t.same(pagesOf(face, 'abc'), ['/', '/a/abc', '/s/zhengwu', '/rss.xml']);
  t.same(
    pagesOf({ ...face, storyLive: false }, 'abc'),
    ['/', '/s/zhengwu', '/rss.xml'],
    'a retracted story has no page to warm (410, never cached)',
  );
  t.same(
    pagesOf({ ...face, sectionSlug: null, storyLive: false }, null),
    ['/', '/rss.xml'],
    'a change without a story: home and feed',
  );
});

t.test('bounded concurrency, every home page first, and coalescing while queued', async (t) => {
  const { tdb } = await setupDemo(t);
  const held = heldRender();
  const warmer = new PageWarmer({
    db: tdb.db,
    render: held.render,
    baseDomain: 'localhost',
    log: silentLogger,
    concurrency: 3,
  });
  const ids = Object.values(tdb.tenants).map((x) => x.id);
  warmer.touch(ids, null);
  for (let i = 0; i < 250 && held.calls.length < 3; i++) await tick();
  // the same faces again before anything finished: the queued pages absorb it (once resolved)
  warmer.touch(ids, null);
  for (let i = 0; i < 250 && warmer.stats.coalesced < ids.length * 2 - 3; i++) await tick();
  t.equal(held.calls.length, 3, 'three renders in flight, no more');
  t.ok(
    held.calls.every((c) => c.path === '/'),
    'home pages go first',
  );
  for (let i = 0; i < 40 && held.calls.length; i++) {
    held.releaseAll();
    await tick();
  }
  await warmer.idle();
  t.equal(held.maxInFlight(), 3);
  // 2 pages per face; the second ask coalesced with the queued ones, except the 3 in flight, asked once more
  t.equal(
    warmer.stats.pages,
    ids.length * 2 + 3,
    `each face's home and feed once, plus the three that were in flight (${warmer.stats.pages})`,
  );
  t.equal(warmer.stats.coalesced, ids.length * 2 - 3);
  t.equal(warmer.stats.failed, 0);
  t.ok(warmer.stats.busyMs > 0);
});

t.test(
  'a story: its page and section on the faces it is placed on; a failing render is counted, not thrown',
  async (t) => {
    const { tdb } = await setupDemo(t);
    const seen: string[] = [];
    const warmer = new PageWarmer({
      db: tdb.db,
      render: async (host, path) => {
        seen.push(`${host}${path}`);
        if (path === '/rss.xml') throw new Error('portal down');
        return { status: 200, rendered: true };
      },
      baseDomain: 'example.test',
      log: silentLogger,
    });
    const ruyang = tdb.tenants.ruyang!;
    // a story placed nowhere (unknown id): the face's home and feed only
    warmer.touch([ruyang.id], randomUUID());
    await warmer.idle();
    t.same(seen.sort(), ['ruyang.example.test/', 'ruyang.example.test/rss.xml']);
    t.equal(warmer.stats.failed, 1);
    await warmer.stop();
    warmer.touch([ruyang.id], null);
    await warmer.idle();
    t.equal(seen.length, 2, 'a stopped warmer takes no more work');
  },
);
