import t from 'tap';
import { createMemoryCache } from '@yiduan/cache';
import { loadConfig, type Config } from '@yiduan/config';
import { createDemoDatabase } from '@yiduan/testkit';
import { build } from '../src/app.js';
import { HSTS } from '../src/http/transport.js';

const FACE = 'ruyang.localhost:3000';

/** A response of each kind: a cached page, the 404 page, a host no face has, the account host, health, an asset script. */
const REQUESTS = [
  { host: FACE, url: '/' },
  { host: FACE, url: '/no-such-page' },
  { host: FACE, url: '/_b.js' },
  { host: FACE, url: '/search?q=%E6%B1%9D%E9%98%B3' },
  { host: FACE, url: '/%E0%A4%A' },
  { host: 'nobody.example', url: '/' },
  { host: 'account.localhost:3000', url: '/login' },
  { host: FACE, url: '/health/live' },
];

t.test('Strict-Transport-Security on every portal response in production only', async (t) => {
  const tdb = await createDemoDatabase(t);
  const portalFor = async (env: Config['env']) => {
    const cache = createMemoryCache({ prefix: `hsts-${env}:` });
    // the test configuration with only the environment changed: production's other demands (secrets, SMS) are not the point here
    const app = await build({
      config: { ...loadConfig({ LOG_LEVEL: 'silent' }), env },
      db: tdb.db,
      readDb: tdb.db,
      cache,
    });
    t.teardown(async () => {
      await app.close();
      await cache.close();
    });
    return app;
  };

  const production = await portalFor('production');
  for (const r of REQUESTS) {
    const res = await production.inject({ method: 'GET', url: r.url, headers: { host: r.host } });
    t.equal(
      res.headers['strict-transport-security'],
      HSTS,
      `production ${r.host}${r.url} (${res.statusCode}) pins https`,
    );
  }
  t.equal(
    HSTS,
    'max-age=31536000',
    'a year, without includeSubDomains (a face may sit on an institution’s apex domain)',
  );

  const development = await portalFor('development');
  for (const r of REQUESTS) {
    const res = await development.inject({ method: 'GET', url: r.url, headers: { host: r.host } });
    t.notOk(
      res.headers['strict-transport-security'],
      `development ${r.host}${r.url} (${res.statusCode}) does not pin localhost`,
    );
  }
});
