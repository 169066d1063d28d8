// Faces in a real browser (Debian's Chromium via playwright-core): two counties and the province,
// each in its own branding, all carrying the province's mandatory push with its 来源; a reader
// follows a story link and searches; the home page on a desktop and a phone; the demo citizen
// signs in and sees their name in the header of a cached page. Screenshots go to
// test/browser/screenshots/.
import t from 'tap';
import { freePort } from '@yiduan/db';
import { existsSync, mkdirSync } from 'node:fs';
import { DEMO_CITIZEN, DEMO_PASSWORD } from '@yiduan/demo';
import { build } from '@yiduan/portal';
import { createDemoDeps } from '@yiduan/testkit';
import { CHROMIUM, launchChromium, SHOTS } from './console-kit.js';

t.test(
  'faces in Chromium',
  { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM}: run scripts/ensure-chromium.sh` },
  async (t) => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    const deps = await createDemoDeps(t, 'pictures', { ACCOUNT_HOST: `account.localhost:${port}` });
    const { tenants, storage } = deps;
    const app = await build(deps, { storage });
    t.teardown(() => app.close());
    await app.listen({ port, host: '127.0.0.1' });
    // the mandatory push from the province is on every county's face
    const pushed = await deps.tdb.owner
      .selectFrom('placements as p')
      .innerJoin('stories as s', 's.id', 'p.story_id')
      .innerJoin('story_revisions as r', (j) =>
        j.onRef('r.story_id', '=', 's.id').onRef('r.number', '=', 's.published_revision'),
      )
      .select(['s.id', 'r.title'])
      .where('p.mode', '=', 'pushed')
      .where('p.tenant_id', '=', tenants.ruyang!.id)
      .executeTakeFirstOrThrow();

    const browser = await launchChromium(t);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const faces = [
      { slug: 'ruyang', name: '汝阳县融媒体中心', colour: 'rgb(191, 54, 12)' },
      { slug: 'yichuan', name: '伊川县融媒体中心', colour: 'rgb(1, 87, 155)' },
      { slug: 'henan', name: '河南融媒', colour: 'rgb(183, 28, 28)' },
    ];
    for (const face of faces) {
      const res = await page.goto(`http://${face.slug}.localhost:${port}/`);
      t.equal(res?.status(), 200, `${face.slug}: home answers`);
      t.equal(await page.locator('.site-name').first().innerText(), face.name, `${face.slug}: its own name`);
      const header = await page
        .locator('header')
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      t.equal(header, face.colour, `${face.slug}: its own colour`);
      const story = page.locator(`a[href="/a/${pushed.id}"]`).first();
      t.equal(await story.count(), 1, `${face.slug}: carries the pushed story`);
      if (face.slug !== 'henan') {
        const item = page.locator('li, article', { has: page.locator(`a[href="/a/${pushed.id}"]`) }).first();
        t.match(await item.innerText(), /来源：河南/, `${face.slug}: shows its 来源`);
      }
      await page.screenshot({ path: `${SHOTS}${face.slug}-home.png` });
    }

    // a reader opens the pushed story on a county face: attribution links to the origin
    await page.goto(`http://ruyang.localhost:${port}/`);
    await page.locator(`a[href="/a/${pushed.id}"]`).first().click();
    await page.waitForURL(`**/a/${pushed.id}`);
    t.equal(await page.locator('h1').first().innerText(), pushed.title, 'the story page opens');
    const source = page.locator('.source a').first();
    t.match(await source.getAttribute('href'), /henan\.localhost/, '来源 links to the original on the province’s face');
    t.match(
      await page.locator('link[rel="canonical"]').getAttribute('href'),
      /henan\.localhost/,
      'canonical is the origin',
    );
    await page.screenshot({ path: `${SHOTS}ruyang-story.png`, fullPage: true });

    // and searches the face for a place name inside unspaced Chinese text
    await page.goto(`http://ruyang.localhost:${port}/search?q=${encodeURIComponent('汝阳')}`);
    t.ok((await page.locator('mark').count()) > 0, 'search highlights the term');
    await page.screenshot({ path: `${SHOTS}ruyang-search.png` });

    // the home page on a desktop and on a phone, a county and the province: the lead with four beside
    // it, dense lists, the most-read sidebar; nothing wider than the screen
    for (const [name, viewport] of [
      ['desktop', { width: 1366, height: 900 }],
      ['mobile', { width: 390, height: 844 }],
    ] as const) {
      const view = await browser.newPage({ viewport, deviceScaleFactor: 1 });
      for (const slug of ['henan', 'ruyang']) {
        await view.goto(`http://${slug}.localhost:${port}/`);
        t.equal(await view.locator('.lead-story').count(), 1, `${slug} ${name}: one lead story`);
        t.ok((await view.locator('.lead-more').count()) >= 2, `${slug} ${name}: smaller headlines beside it`);
        t.ok((await view.locator('.rank-list li').count()) >= 3, `${slug} ${name}: the most-read sidebar`);
        t.ok((await view.locator('.dense-list').count()) >= 2, `${slug} ${name}: dense lists`);
        const overflow = await view.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        t.ok(overflow <= 0, `${slug} ${name}: no horizontal scrolling`);
        const top = await view.locator('.home-top').boundingBox();
        t.ok(
          top && top.height < (name === 'desktop' ? 700 : 1100),
          `${slug} ${name}: the headlines take ${Math.round(top?.height ?? 0)} px, not 3,000`,
        );
        if (name === 'desktop') {
          const [main, side] = [
            await view.locator('.home-main').boundingBox(),
            await view.locator('.home-side').boundingBox(),
          ];
          t.ok(
            main && side && side.x > main.x + main.width - 1 && Math.abs(side.y - main.y) < 2,
            `${slug} ${name}: the sidebar beside the news`,
          );
        }
        await view.screenshot({ path: `${SHOTS}${slug}-home-${name}.png`, fullPage: true });
      }
      await view.close();
    }

    // the demo citizen signs in on a face through the central host; the cached home page then shows their name
    const citizen = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await citizen.goto(`http://ruyang.localhost:${port}/`);
    t.equal((await citizen.locator('a.account-link').innerText()).trim(), '登录 / 我的', 'a stranger sees 登录 / 我的');
    await citizen.locator('a.account-link').click();
    await citizen.waitForURL(`http://account.localhost:${port}/login**`);
    await citizen.locator('form[action="/login"] input[name="identifier"]').fill(DEMO_CITIZEN.phone);
    await citizen.locator('form[action="/login"] input[name="password"]').fill(DEMO_PASSWORD);
    await citizen.locator('form[action="/login"] button[type="submit"]').click();
    await citizen.waitForURL(`http://ruyang.localhost:${port}/me`);
    await citizen.goto(`http://ruyang.localhost:${port}/`);
    await citizen.locator('a.account-link[data-signed-in]').waitFor();
    t.equal(
      (await citizen.locator('a.account-link').innerText()).trim(),
      `${DEMO_CITIZEN.name} · 我的`,
      'the header names the signed-in citizen',
    );
    await citizen.screenshot({ path: `${SHOTS}ruyang-signed-in.png`, clip: { x: 0, y: 0, width: 1366, height: 160 } });
    await citizen.close();
  },
);
