// The CI dependency audit (scripts/audit.ts) against a local stand-in for the registry's
// advisory endpoint: high and critical advisories in production dependencies fail, lower ones
// warn, and an unreachable or refusing registry only warns.
import t, { type Test } from 'tap';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { audit, judge } from '../../scripts/audit.js';

type Mode = 'none' | 'moderate' | 'high' | 'critical' | 'refuse';

async function fakeRegistry(t: Test, mode: Mode): Promise<string> {
  const srv = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (mode === 'refuse') {
        res.writeHead(405);
        res.end();
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(404);
        res.end();
        return;
      }
      const found =
        mode === 'none'
          ? {}
          : {
              fastify: [
                {
                  id: 1,
                  url: 'https://github.com/advisories/GHSA-xxxx-xxxx-xxxx',
                  title: 'test advisory',
                  severity: mode,
                  vulnerable_versions: '<99.0.0',
                  cwe: ['CWE-20'],
                  cvss: { score: 7.5, vectorString: null },
                },
              ],
            };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found));
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => srv.close(() => resolve())));
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
}

t.test('judge: pnpm audit --json reports', async (t) => {
  const report = (high: number, moderate = 0) =>
    JSON.stringify({ advisories: {}, metadata: { vulnerabilities: { info: 0, low: 0, moderate, high, critical: 0 } } });
  t.equal(judge(report(1), '', 1).outcome, 'fail');
  t.equal(judge(report(0, 2), '', 1).outcome, 'warn');
  t.equal(judge(report(0), '', 0).outcome, 'clean');
  t.equal(judge('', 'Error: ERR_PNPM_AUDIT_BAD_RESPONSE', 1).outcome, 'unavailable');
  t.equal(judge('{"error":{"code":"ERR_PNPM_FETCH"}}', '', 1).outcome, 'unavailable');
});

t.test('the audit step against a registry stand-in', async (t) => {
  const saved = process.env.PNPM_CONFIG_FETCH_RETRIES;
  process.env.PNPM_CONFIG_FETCH_RETRIES = '0';
  t.teardown(() => {
    if (saved === undefined) delete process.env.PNPM_CONFIG_FETCH_RETRIES;
    else process.env.PNPM_CONFIG_FETCH_RETRIES = saved;
  });
  const quiet = { log: console.log, warn: console.warn, error: console.error };
  console.log = console.warn = console.error = () => undefined;
  t.teardown(() => Object.assign(console, quiet));

  t.equal(await audit([`--registry=${await fakeRegistry(t, 'critical')}`]), 1, 'a critical advisory fails CI');
  t.equal(await audit([`--registry=${await fakeRegistry(t, 'high')}`]), 1, 'a high advisory fails CI');
  t.equal(await audit([`--registry=${await fakeRegistry(t, 'moderate')}`]), 0, 'a moderate one only warns');
  t.equal(await audit([`--registry=${await fakeRegistry(t, 'none')}`]), 0, 'clean');
  t.equal(
    await audit([`--registry=${await fakeRegistry(t, 'refuse')}`]),
    0,
    'a registry refusing the audit endpoint only warns',
  );
  t.equal(await audit(['--registry=http://127.0.0.1:1/']), 0, 'an unreachable registry only warns');
});
