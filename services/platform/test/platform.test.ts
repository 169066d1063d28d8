// The services as `pnpm start` composes them (platform.ts): in development a one-time sign-in code
// (SMS_PROVIDER=log, the default) is written to the server log, as the README tells citizens.
import t from 'tap';
import { Writable } from 'node:stream';
import { loadConfig } from '@yiduan/config';
import { createTestDatabase, TEST_APP_PASSWORD } from '@yiduan/testkit';
import { Browser } from '../../../test/e2e/browser-sim.js';
import { startPlatform } from '../src/platform.js';

t.test('a one-time code sent on the central sign-in host appears in the log (验证码)', async (t) => {
  const tdb = await createTestDatabase(t);
  const config = loadConfig({
    NODE_ENV: 'development',
    DATABASE_URL: tdb.ownerUrl,
    DATABASE_APP_PASSWORD: TEST_APP_PASSWORD,
    HOST: '127.0.0.1',
    PORTAL_PORT: '0',
    API_PORT: '0',
    CONSOLE_PORT: '0',
    WORKER_PORT: '0',
  });
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const platform = await startPlatform(config, { log: () => undefined, logStream, seed: false });
  t.teardown(() => platform.stop());

  const browser = new Browser(platform.portal);
  const page = await browser.get(`http://${config.accountHost}/login`);
  const sent = await browser.submit(page, '/code', { identifier: '13811112222' });
  t.equal(sent.status, 200, 'the code form answers');
  const line = lines.find((l) => l.includes('验证码'));
  t.ok(line, 'the code is in the log');
  const entry = JSON.parse(line ?? '{}') as { code?: string; to?: string; msg?: string };
  t.match(entry.code, /^\d{6}$/, 'with the six digits');
  t.equal(entry.msg, `验证码 ${entry.code}（开发环境：未真正发送）`);
  t.notMatch(entry.to, '13811112222', 'and the number masked');
  // composed with warm pages (docs/faces-cache.md): the worker renders touched pages through its own portal
  t.ok(platform.worker.warmer, 'the worker warms pages');
});
