import t from 'tap';
import { ConfigError, loadConfig } from '../src/index.js';

t.test('defaults need no environment at all', async (t) => {
  const c = loadConfig({});
  t.equal(c.env, 'development');
  t.equal(c.databaseUrl, null);
  t.equal(c.redisUrl, null);
  t.equal(c.publicBaseDomain, 'localhost');
  t.same(c.ports, { portal: 3000, api: 3001, console: 3002, worker: 3003 });
  t.ok(c.bootstrapOperatorToken.length >= 24);
});

t.test('values are parsed and typed', async (t) => {
  const c = loadConfig({
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
    REDIS_URL: 'redis://127.0.0.1:6379',
    PORTAL_PORT: '8080',
    PUBLIC_BASE_DOMAIN: 'news.example.cn',
    LOG_LEVEL: 'warn',
  });
  t.equal(c.ports.portal, 8080);
  t.equal(c.databaseUrl, 'postgres://postgres@127.0.0.1:5432/x');
  t.equal(c.redisUrl, 'redis://127.0.0.1:6379');
  t.equal(c.publicBaseDomain, 'news.example.cn');
  t.equal(c.logLevel, 'warn');
});

t.test('empty strings count as unset', async (t) => {
  t.equal(loadConfig({ REDIS_URL: '' }).redisUrl, null);
});

const bad: [Record<string, string>, string][] = [
  [{ PORTAL_PORT: 'abc' }, 'PORTAL_PORT'],
  [{ API_PORT: '70000' }, 'API_PORT'],
  [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
  [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
  [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  [{ PUBLIC_BASE_DOMAIN: 'Not A Domain' }, 'PUBLIC_BASE_DOMAIN'],
  [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
];
for (const [env, variable] of bad) {
  t.test(`a wrong ${variable} stops start-up and names it`, async (t) => {
    const err = t.throws(() => loadConfig(env)) as unknown;
    t.ok(err instanceof ConfigError);
    t.match((err as ConfigError).message, variable);
    t.ok((err as ConfigError).variables.includes(variable));
  });
}

t.test('production refuses missing secrets and development defaults', async (t) => {
  const base = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u@h/db' };
  t.throws(() => loadConfig(base), /SESSION_SECRET|DATABASE_APP_PASSWORD|BOOTSTRAP_OPERATOR_TOKEN/);
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), /DATABASE_URL/);
  t.throws(
    () =>
      loadConfig({
        ...base,
        DATABASE_APP_PASSWORD: 'a-real-password',
        SESSION_SECRET: 'x'.repeat(40),
        BOOTSTRAP_OPERATOR_TOKEN: 'dev-operator-token-change-me',
      }),
    /BOOTSTRAP_OPERATOR_TOKEN/,
  );
  const ok = loadConfig({
    ...base,
    DATABASE_APP_PASSWORD: 'a-real-password',
    SESSION_SECRET: 'x'.repeat(40),
    BOOTSTRAP_OPERATOR_TOKEN: 'y'.repeat(30),
    SMS_PROVIDER: 'http',
    SMS_HTTP_URL: 'https://sms.example.cn/send',
    SMS_HTTP_TOKEN: 'token',
  });
  t.equal(ok.env, 'production');
  t.equal(ok.accountHost, 'account.localhost');
  t.same(ok.sms, { kind: 'http', url: 'https://sms.example.cn/send', token: 'token' });
});

t.test('citizen accounts: the central sign-in host and the code sender', async (t) => {
  t.equal(loadConfig({}).accountHost, 'account.localhost:3000');
  t.equal(loadConfig({ PUBLIC_BASE_DOMAIN: 'hnmedia.cn', PORTAL_PORT: '8080' }).accountHost, 'account.hnmedia.cn:8080');
  t.equal(loadConfig({ ACCOUNT_HOST: 'passport.hnmedia.cn' }).accountHost, 'passport.hnmedia.cn');
  t.same(loadConfig({}).sms, { kind: 'log' });
  t.throws(() => loadConfig({ SMS_PROVIDER: 'http' }), /SMS_HTTP_URL/);
  const prod = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://u@h/db',
    DATABASE_APP_PASSWORD: 'a-real-password',
    SESSION_SECRET: 'x'.repeat(40),
    BOOTSTRAP_OPERATOR_TOKEN: 'y'.repeat(30),
  };
  t.throws(() => loadConfig(prod), /SMS_PROVIDER/);
  t.equal(loadConfig({ GRAPHQL_PERSISTED_ONLY: 'true' }).graphqlPersistedOnly, true);
  t.equal(loadConfig({}).analyticsRetentionDays, 400);
});

t.test('asset storage: a local folder by default, S3 only when complete', async (t) => {
  t.same(loadConfig({}).assets, { kind: 'local', dir: '.data/assets', maxBytes: 10 * 1024 * 1024 });
  const err = t.throws(() => loadConfig({ S3_ENDPOINT: 'https://oss.example.cn' })) as ConfigError;
  t.match(err.message, /S3_BUCKET/);
  const s3 = loadConfig({
    S3_ENDPOINT: 'https://oss.example.cn',
    S3_BUCKET: 'media',
    S3_ACCESS_KEY_ID: 'k',
    S3_SECRET_ACCESS_KEY: 's',
  }).assets;
  t.equal(s3.kind, 's3');
});

t.test('Redis behind Sentinel: host:port list and the primary name', async (t) => {
  t.equal(loadConfig({}).redisSentinel, null);
  t.same(loadConfig({ REDIS_SENTINELS: '127.0.0.1:26379,redis-s2.internal:26380' }).redisSentinel, {
    name: 'yiduan',
    sentinels: [
      { host: '127.0.0.1', port: 26379 },
      { host: 'redis-s2.internal', port: 26380 },
    ],
  });
  t.equal(loadConfig({ REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'prov-cache' }).redisSentinel?.name, 'prov-cache');
  const err = t.throws(() => loadConfig({ REDIS_SENTINELS: 'no-port' })) as ConfigError;
  t.same(err.variables, ['REDIS_SENTINELS']);
});
