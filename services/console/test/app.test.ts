// The console's own routes that need no bundle: health and the icon browsers ask for on every page.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@yiduan/config';
import { build } from '../src/app.js';

t.test('/favicon.ico answers with the console icon, not 404', async (t) => {
  const app = await build(
    { config: loadConfig({ NODE_ENV: 'test' }) },
    { apiUrl: 'http://127.0.0.1:9', distDir: mkdtempSync(join(tmpdir(), 'yd-console-')) },
  );
  t.teardown(() => app.close());
  for (const url of ['/favicon.ico', '/favicon.svg']) {
    const r = await app.inject({ url });
    t.equal(r.statusCode, 200, url);
    t.match(r.headers['content-type'], /^image\/svg\+xml/);
    t.match(r.body, /^<svg /);
  }
});
