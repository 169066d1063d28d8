import t from 'tap';
import { createServer } from 'node:http';
import { Access, createGovAccount, listGovAccounts, parseFeed, SYSTEM_ACTOR, updateGovAccount } from '@yiduan/core';
import { withTenant } from '@yiduan/db';
import { createTestDatabase, seedDemo } from '@yiduan/testkit';
import { isPrivateAddress, readAccountFeeds } from '../src/handlers/account-feeds.js';
import { silentLogger } from '../src/handlers.js';

const NOW = Date.parse('2026-12-07T12:00:00+08:00');
const ago = (days: number) => new Date(NOW - days * 86_400_000).toUTCString();
const iso = (days: number) => new Date(NOW - days * 86_400_000).toISOString();

t.test('feeds, pure: RSS, Atom, JSON Feed; future dates ignored; not a feed refused', async (t) => {
  const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</title><pubDate>${ago(3)}</pubDate></item><item><pubDate><![CDATA[${ago(1)}]]></pubDate></item><item><pubDate>${ago(-30)}</pubDate></item></channel></rss>`;
  t.same(
    parseFeed(rss, NOW),
    { kind: 'rss', latest: new Date(ago(1)), items: 3 },
    'the newest past item; a post dated next month does not count',
  );
  const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><updated>${iso(0)}</updated><entry><published>${iso(9)}</published><updated>${iso(8)}</updated></entry></feed>`;
  t.same(
    parseFeed(atom, NOW),
    { kind: 'atom', latest: new Date(iso(8)), items: 1 },
    "entries only: the feed's own <updated> is not an item",
  );
  t.same(
    parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        items: [{ date_published: iso(5) }, { date_modified: iso(2) }],
      }),
      NOW,
    ),
    { kind: 'json', latest: new Date(iso(2)), items: 2 },
  );
  t.throws(() => parseFeed('<html><body>not a feed</body></html>', NOW), { name: 'FeedUnreadable' });
  t.throws(() => parseFeed('{"items": 3}', NOW), { name: 'FeedUnreadable' });
  t.same(
    [
      isPrivateAddress('127.0.0.1'),
      isPrivateAddress('10.1.2.3'),
      isPrivateAddress('169.254.169.254'),
      isPrivateAddress('::1'),
      isPrivateAddress('::ffff:192.168.1.1'),
      isPrivateAddress('8.8.8.8'),
    ],
    [true, true, true, true, true, false],
  );
});

t.test("the worker reads accounts' feeds from a fake feed server; a feed silent past 14 days fails", async (t) => {
  const tdb = await createTestDatabase(t);
  const { tenants } = await seedDemo(tdb.db, { withContent: false });
  const ry = tenants.ruyang!.id;
  const feeds: Record<string, { type: string; body: string } | number> = {
    '/fresh.xml': {
      type: 'application/rss+xml',
      body: `<rss version="2.0"><channel><item><pubDate>${ago(2)}</pubDate></item></channel></rss>`,
    },
    '/silent.atom': {
      type: 'application/atom+xml',
      body: `<feed xmlns="http://www.w3.org/2005/Atom"><entry><updated>${iso(20)}</updated></entry></feed>`,
    },
    '/feed.json': {
      type: 'application/feed+json',
      body: JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items: [{ date_published: iso(100) }] }),
    },
    '/page.html': { type: 'text/html', body: '<html><body>欢迎</body></html>' },
    '/gone.xml': 404,
  };
  const server = createServer((req, res) => {
    const f = feeds[(req.url ?? '').split('?')[0]!];
    if (typeof f === 'number' || !f) {
      res.writeHead(typeof f === 'number' ? f : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': f.type }).end(f.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const access = new Access(ry, { id: 'x', display_name: 'x', is_operator: true }, new Set(), new Map());
  const made: Record<string, string> = {};
  for (const [n, path] of [
    ['汝阳发布', '/fresh.xml'],
    ['汝阳教育', '/silent.atom'],
    ['汝阳文旅', '/feed.json'],
    ['汝阳城关', '/page.html'],
    ['汝阳旧号', '/gone.xml'],
  ] as const) {
    const a = await withTenant(tdb.db, ry, (trx) =>
      createGovAccount(
        trx,
        access,
        SYSTEM_ACTOR,
        ry,
        { platform: 'website', name: n, handle: `${base}${path}#site`, feedUrl: `${base}${path}` },
        n === '汝阳教育' ? { lastUpdatedAt: new Date(NOW - 30 * 86_400_000) } : {},
      ),
    );
    made[n] = a.id;
  }
  // an account with a feed on the platform's own network, read without the test's permission
  const round = await readAccountFeeds({ db: tdb.db, log: silentLogger, now: () => NOW, allowPrivateHosts: true });
  t.same(round, { read: 5, failed: 2 });
  t.same(
    await readAccountFeeds({ db: tdb.db, log: silentLogger, now: () => NOW + 3600_000, allowPrivateHosts: true }),
    { read: 0, failed: 0 },
    'read at most once per period',
  );
  const list = await withTenant(tdb.db, ry, (trx) => listGovAccounts(trx, access, ry, {}, {}, '2026-12-07'));
  const by = new Map(list.items.map((a) => [a.name, a]));
  t.match(by.get('汝阳发布'), { silentDays: 2, health: 'ok', activitySource: 'feed', feedError: null });
  t.match(
    by.get('汝阳教育'),
    { silentDays: 20, health: 'fail', activitySource: 'feed' },
    'the feed says 20 days: past the two-week veto',
  );
  t.match(by.get('汝阳文旅'), { health: 'zombie' }, 'a JSON Feed silent 100 days: a zombie');
  t.match(by.get('汝阳城关')!.feedError, /无法读取订阅/, 'a web page is not a feed: the reason is kept');
  t.equal(by.get('汝阳城关')!.health, 'unknown');
  t.match(by.get('汝阳旧号')!.feedError, /返回 404/);
  const audit = await tdb.owner
    .selectFrom('audit_log')
    .select('detail')
    .where('action', '=', 'gov_account.activity')
    .execute();
  t.equal(audit.length, 3, 'each account whose update moved forward, audited');

  // an older reading never moves the update back; changing the feed address reads it again
  feeds['/fresh.xml'] = {
    type: 'application/rss+xml',
    body: `<rss version="2.0"><channel><item><pubDate>${ago(40)}</pubDate></item></channel></rss>`,
  };
  await withTenant(tdb.db, ry, (trx) =>
    updateGovAccount(trx, access, SYSTEM_ACTOR, ry, made['汝阳发布']!, { feedUrl: `${base}/fresh.xml?v=2` }),
  );
  t.same(
    await readAccountFeeds({ db: tdb.db, log: silentLogger, now: () => NOW + 7200_000, allowPrivateHosts: true }),
    { read: 1, failed: 0 },
  );
  const again = await withTenant(tdb.db, ry, (trx) =>
    listGovAccounts(trx, access, ry, { search: '汝阳发布' }, {}, '2026-12-07'),
  );
  t.equal(again.items[0]!.silentDays, 2, 'still the newer update');

  // without permission, a feed on a private address is not fetched at all
  await withTenant(tdb.db, ry, (trx) =>
    updateGovAccount(trx, access, SYSTEM_ACTOR, ry, made['汝阳文旅']!, { feedUrl: `${base}/feed.json?v=3` }),
  );
  let fetched = 0;
  const guarded = await readAccountFeeds({
    db: tdb.db,
    log: silentLogger,
    now: () => NOW + 9000_000,
    fetch: (...args) => (fetched++, fetch(...args)),
  });
  t.same([guarded, fetched], [{ read: 1, failed: 1 }, 0], 'internal addresses are refused before any request');
  const refused = await withTenant(tdb.db, ry, (trx) =>
    listGovAccounts(trx, access, ry, { search: '汝阳文旅' }, {}, '2026-12-07'),
  );
  t.match(refused.items[0]!.feedError, /内部网络/);
  t.match(
    await withTenant(tdb.db, ry, (trx) =>
      createGovAccount(trx, access, SYSTEM_ACTOR, ry, {
        platform: 'website',
        name: 'x',
        handle: 'x',
        feedUrl: 'ftp://example.com/feed',
      }),
    ).catch((e: unknown) => e),
    { code: 'BAD_USER_INPUT' },
    'a feed address must be http(s)',
  );
});
