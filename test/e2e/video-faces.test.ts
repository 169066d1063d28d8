// A province video on a county's face, by reference (issue #17 items 3 and 4): the province uploads
// and shares a video with captions (the terminology rules check the caption text); a county story
// uses it without copying a file; the county's face serves its renditions and captions, puts it in
// the story's JSON-LD (VideoObject), its RSS (Media RSS) and its sitemap (video extension); a face
// that does not show the story serves nothing of it.
import t from 'tap';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build as buildApi } from '@yiduan/api';
import { createVideo, SYSTEM_ACTOR } from '@yiduan/core';
import { probeVideo } from '@yiduan/video-tools';
import { withTenant } from '@yiduan/db';
import { build as buildPortal } from '@yiduan/portal';
import { LocalDiskStorage } from '@yiduan/storage';
import { createDemoDeps, graphqlClient } from '@yiduan/testkit';
import { silentLogger, startVideoTranscoder } from '@yiduan/worker';
import { blockRule, PASSWORD, staffWith } from './helpers.js';
import { makeClip, NO_FFMPEG, tempDir } from './video-kit.js';

t.test('a province video shown on a county face by reference', { skip: NO_FFMPEG }, async (t) => {
  const dir = tempDir(t);
  const deps = await createDemoDeps(t, 'tree', {
    VIDEO_UPLOAD_DIR: join(dir, 'uploads'),
    VIDEO_WORK_DIR: join(dir, 'work'),
  });
  const storage = new LocalDiskStorage(join(dir, 'assets'));
  const henan = deps.tenants.henan!.id;
  const ruyang = deps.tenants.ruyang!.id;
  const uploads = join(dir, 'uploads');
  mkdirSync(uploads, { recursive: true });

  // the province's vertical short, transcoded by the worker
  const clip = makeClip(join(dir, 'short.mp4'), { width: 180, height: 320, seconds: 2 });
  const key = `${henan}_${'b'.repeat(32)}`;
  copyFileSync(clip, join(uploads, key));
  const probe = await probeVideo(join(uploads, key), { maxBytes: 1e9, maxSeconds: 60 });
  const video = await withTenant(deps.db, henan, (trx) =>
    createVideo(trx, SYSTEM_ACTOR, {
      tenantId: henan,
      sourceKey: key,
      probe,
      filename: 'short.mp4',
      title: '黄河之滨',
    }),
  );
  const transcoder = startVideoTranscoder({
    db: deps.db,
    storage,
    log: silentLogger,
    uploadDir: uploads,
    workDir: join(dir, 'work'),
    pollMs: 60_000,
  });
  t.teardown(() => transcoder.stop());
  t.equal(await transcoder.drain(), 1, 'transcoded');

  const api = await buildApi(deps, { storage });
  t.teardown(() => api.close());
  await staffWith(deps.db, 'hn-editor', henan, ['editor']);
  const token = async (login: string) =>
    (
      await graphqlClient(api)<{ login: { token: string } }>(
        `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
        { l: login, p: PASSWORD },
      )
    ).data!.login.token;
  const province = graphqlClient(api, { token: await token('hn-editor') });

  // captions: the province's terminology rules apply to their text
  await blockRule(deps.db, henan, '台湾总统');
  const CAPTIONS = (text: string) => `WEBVTT\n\n00:00.000 --> 00:01.500\n${text}\n`;
  const CAPTION_Q = `mutation($t: ID!, $id: ID!, $vtt: String) { setVideoCaptions(tenantId: $t, id: $id, vtt: $vtt) { hasCaptions } }`;
  const bad = await province(CAPTION_Q, { t: henan, id: video.id, vtt: CAPTIONS('有人提到台湾总统。') });
  t.equal(bad.errors?.[0]?.extensions?.code, 'TERMINOLOGY_BLOCKED', 'a blocked expression in the captions is refused');
  t.equal(bad.errors?.[0]?.message, '字幕含有禁用表述：台湾总统');
  const good = await province<{ setVideoCaptions: { hasCaptions: boolean } }>(CAPTION_Q, {
    t: henan,
    id: video.id,
    vtt: CAPTIONS('黄河之滨，中原大地。'),
  });
  t.equal(good.data?.setVideoCaptions.hasCaptions, true, 'clean captions are kept');
  const shared = await province(
    `mutation($t: ID!, $id: ID!) { setVideoShared(tenantId: $t, id: $id, shared: true) { shared } }`,
    { t: henan, id: video.id },
  );
  t.equal(shared.errors, undefined, 'the province shares it with the tree');

  // ---- a county desk publishes a vertical short with the province's video
  await staffWith(deps.db, 'ry-w', ruyang, ['reporter', 'editor', 'chief_editor']);
  await staffWith(deps.db, 'ry-r1', ruyang, ['editor', 'reviewer']);
  await staffWith(deps.db, 'ry-r2', ruyang, ['reviewer']);
  await staffWith(deps.db, 'ry-r3', ruyang, ['chief_editor']);
  const county = graphqlClient(api, { token: await token('ry-w') });
  const library = await county<{ videos: { id: string; tenantId: string; vertical: boolean }[] }>(
    `query($t: ID!) { videos(tenantId: $t) { id tenantId vertical } }`,
    { t: ruyang },
  );
  t.same(library.data?.videos, [{ id: video.id, tenantId: henan, vertical: true }], "the county's library lists it");
  const c = await county<{ createStory: { story: { id: string } } }>(
    `mutation($t: ID!, $i: NewStoryInput!) { createStory(tenantId: $t, input: $i) { story { id } } }`,
    {
      t: ruyang,
      i: {
        kind: 'VIDEO',
        content: {
          title: '黄河之滨短视频',
          summary: '省台共享的竖屏短视频。',
          body: [
            { type: 'video', videoId: video.id, caption: '黄河之滨' },
            { type: 'paragraph', text: '汝阳转发省台短视频。' },
          ],
        },
      },
    },
  );
  t.equal(c.errors, undefined, 'a county story uses the shared video');
  const s = c.data!.createStory.story.id;
  await county(`mutation($t: ID!, $s: ID!) { submitStory(tenantId: $t, id: $s) { story { id } } }`, { t: ruyang, s });
  for (const r of ['ry-r1', 'ry-r2', 'ry-r3'])
    await graphqlClient(api, { token: await token(r) })(
      `mutation($t: ID!, $s: ID!) { approveStory(tenantId: $t, id: $s) { story { id } } }`,
      { t: ruyang, s },
    );
  const p = await county<{ publishStory: { story: { status: string } } }>(
    `mutation($t: ID!, $s: ID!) { publishStory(tenantId: $t, id: $s) { story { status } } }`,
    { t: ruyang, s },
  );
  t.equal(p.data?.publishStory.story.status, 'PUBLISHED');

  // ---- the county's face
  const portal = await buildPortal(deps, { storage });
  t.teardown(() => portal.close());
  const get = (host: string, url: string) => portal.inject({ method: 'GET', url, headers: { host } });
  const page = await get('ruyang.localhost', `/a/${s}`);
  t.equal(page.statusCode, 200);
  t.match(page.body, `data-hls="/v/${video.id}/master.m3u8"`, 'the story page has the player');
  t.match(page.body, `poster="/v/${video.id}/poster.jpg"`, 'poster first');
  t.match(page.body, 'class="figure video-player vertical"', 'laid out as a vertical short');
  t.match(page.body, `src="/v/${video.id}/captions.vtt"`, 'with its captions track');
  t.match(page.body, '<script src="/_v.js" defer', 'and the face’s own player script');
  const ld = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.body)?.[1] ?? '{}';
  const json = JSON.parse(ld) as {
    video?: { '@type': string; contentUrl: string; duration: string; height: number }[];
  };
  t.equal(json.video?.[0]?.['@type'], 'VideoObject', 'JSON-LD: a VideoObject');
  t.match(json.video?.[0]?.contentUrl ?? '', `/v/${video.id}/master.m3u8`);
  t.equal(json.video?.[0]?.duration, 'PT2S');
  t.equal((await get('ruyang.localhost', `/v/${video.id}/master.m3u8`)).statusCode, 200, 'renditions served');
  const vtt = await get('ruyang.localhost', `/v/${video.id}/captions.vtt`);
  t.equal(vtt.headers['content-type'], 'text/vtt; charset=utf-8');
  t.match(vtt.body, '黄河之滨，中原大地。', 'captions served');
  t.equal((await get('ruyang.localhost', '/_hls.js')).statusCode, 200, 'hls.js from the face itself');
  const rss = await get('ruyang.localhost', '/rss.xml');
  t.match(rss.body, 'xmlns:media="http://search.yahoo.com/mrss/"');
  t.match(rss.body, `<media:content url="http://ruyang.localhost/v/${video.id}/master.m3u8"`, 'RSS: Media RSS');
  t.match(rss.body, `<media:thumbnail url="http://ruyang.localhost/v/${video.id}/poster.jpg"/>`);
  const sitemap = await get('ruyang.localhost', '/sitemap.xml');
  t.match(sitemap.body, 'xmlns:video="http://www.google.com/schemas/sitemap-video/1.1"');
  t.match(sitemap.body, `<video:content_loc>http://ruyang.localhost/v/${video.id}/master.m3u8</video:content_loc>`);
  t.match(sitemap.body, '<video:duration>2</video:duration>', 'sitemap: the video extension');

  // ---- by reference: one set of files, and only faces that show the story serve them
  const masters = readdirSync(join(dir, 'assets'), { recursive: true }).filter((f) =>
    String(f).endsWith('master.m3u8'),
  );
  t.equal(masters.length, 1, 'one set of renditions for province and county (no copy)');
  t.match(String(masters[0]), henan.toLowerCase(), "stored under the province's prefix");
  t.equal(
    (await get('yichuan.localhost', `/v/${video.id}/master.m3u8`)).statusCode,
    404,
    'a face that does not show the story does not serve it, shared or not',
  );
});
