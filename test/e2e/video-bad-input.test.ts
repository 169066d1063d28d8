// Video bad input, each case of issue #17 item 2, through the tus upload and the worker: not a
// video (text, a picture named .mp4), a corrupt file, past the tenant's limits (size, duration),
// ffmpeg failing, the original gone. Each gets a clear Chinese reason (on the upload's answer or
// on the video in the console's GraphQL) and leaves nothing half-written: no row for a refused
// upload, no stored upload, no rendition, no work folder. Also: who may upload, and the videos
// table's row-level security (another tenant neither sees nor changes a video).
import t from 'tap';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build as buildApi } from '@yiduan/api';
import { listVideos, setVideoShared, SYSTEM_ACTOR, videoById } from '@yiduan/core';
import { withPlatform, withTenant } from '@yiduan/db';
import { LocalDiskStorage } from '@yiduan/storage';
import { createDemoDeps, graphqlClient } from '@yiduan/testkit';
import { silentLogger, startVideoTranscoder } from '@yiduan/worker';
import { PASSWORD, staffWith } from './helpers.js';
import { makeClip, NO_FFMPEG, tempDir, tusClient, uploadAll } from './video-kit.js';

const files = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => d.name)
    : [];

t.test('video bad input', { skip: NO_FFMPEG }, async (t) => {
  const dir = tempDir(t);
  const deps = await createDemoDeps(t, 'tree', {
    VIDEO_UPLOAD_DIR: join(dir, 'uploads'),
    VIDEO_WORK_DIR: join(dir, 'work'),
  });
  const storage = new LocalDiskStorage(join(dir, 'assets'));
  const ruyang = deps.tenants.ruyang!.id;
  const yichuan = deps.tenants.yichuan!.id;
  const api = await buildApi(deps, { storage });
  t.teardown(() => api.close());
  await api.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`;
  await staffWith(deps.db, 'vb-editor', ruyang, ['editor']);
  await staffWith(deps.db, 'vb-other', yichuan, ['editor']);
  const token = async (login: string) =>
    (
      await graphqlClient(api)<{ login: { token: string } }>(
        `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
        { l: login, p: PASSWORD },
      )
    ).data!.login.token;
  const editorToken = await token('vb-editor');
  const tus = tusClient(base, editorToken);
  const gql = graphqlClient(api, { token: editorToken });
  const rows = () => withPlatform(deps.db, (trx) => listVideos(trx, { tenantId: ruyang, limit: 200 }));
  const refused = (r: { status: number; body: string }) => JSON.parse(r.body) as { code: string; message: string };
  const uploads = join(dir, 'uploads');
  /** nothing of the upload stays: tus keeps `<id>` and `<id>.json` while one runs */
  const noUploadLeft = (what: string) => t.same(files(uploads), [], `${what}: no stored upload is left`);

  await t.test('who may upload', async (t) => {
    const anon = tusClient(base, 'not-a-session');
    t.equal((await anon.create(ruyang, 1000)).status, 401, 'no session: 401');
    const other = tusClient(base, await token('vb-other'));
    t.equal((await other.create(ruyang, 1000)).status, 403, "another tenant's editor: 403");
    const mine = await tus.create(ruyang, 1000);
    t.equal(mine.status, 201);
    t.equal((await other.head(String(mine.headers.location))).status, 403, "nor may they resume this tenant's upload");
    t.equal((await other.remove(String(mine.headers.location))).status, 403, 'nor delete it');
    t.equal((await tus.remove(String(mine.headers.location))).status, 204, 'the uploader may give it up');
  });

  await t.test('not a video: text, and a picture named .mp4', async (t) => {
    const text = join(dir, 'notes.mp4');
    writeFileSync(text, '这不是视频，只是一段文字。\n'.repeat(200));
    const r = await uploadAll(tus, ruyang, text);
    t.equal(r.status, 415, 'text: 415');
    t.same(refused(r), { code: 'VIDEO_TYPE_INVALID', message: '不是可识别的视频文件' });
    const png = join(dir, 'picture.mp4');
    const { execFileSync } = await import('node:child_process');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=64x64',
      '-frames:v',
      '1',
      '-f',
      'image2',
      '-c:v',
      'png',
      png,
    ]);
    const p = await uploadAll(tus, ruyang, png);
    t.equal(p.status, 415, 'a PNG named .mp4: 415 (the content decides, not the name)');
    t.equal(refused(p).code, 'VIDEO_TYPE_INVALID');
    t.same(await rows(), [], 'no video row');
    noUploadLeft('not a video');
  });

  await t.test('a corrupt file', async (t) => {
    // an MP4 cut short: its index (moov, written last) is missing
    const whole = makeClip(join(dir, 'whole.mp4'), { width: 320, height: 240, seconds: 2, source: 'testsrc' });
    const cut = join(dir, 'cut.mp4');
    const { execFileSync } = await import('node:child_process');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', whole, '-c', 'copy', join(dir, 'tail.mp4')]);
    const data = readFileSync(join(dir, 'tail.mp4'));
    writeFileSync(cut, data.subarray(0, Math.floor(data.length * 0.6)));
    const r = await uploadAll(tus, ruyang, cut);
    t.equal(r.status, 422, 'a truncated MP4: 422');
    t.same(refused(r), { code: 'VIDEO_CORRUPT', message: '视频文件已损坏，无法读取' });
    t.same(await rows(), [], 'no video row');
    noUploadLeft('corrupt');
  });

  await t.test("past the tenant's limits", async (t) => {
    const set = await graphqlClient(api, { token: deps.config.bootstrapOperatorToken })(
      `mutation($t: ID!) { setVideoLimits(tenantId: $t, maxBytes: 2097152, maxSeconds: 2) { maxBytes maxSeconds } }`,
      { t: ruyang },
    );
    t.equal(set.errors, undefined, 'an operator sets 2 MB and 2 s');
    const limits = await gql<{ videoLimits: { maxBytes: number; maxSeconds: number } }>(
      `query($t: ID!) { videoLimits(tenantId: $t) { maxBytes maxSeconds } }`,
      { t: ruyang },
    );
    t.same(limits.data?.videoLimits, { maxBytes: 2097152, maxSeconds: 2 }, 'the console reads them');
    const big = await tus.create(ruyang, 3 * 1024 * 1024, { filename: 'big.mp4' });
    t.equal(big.status, 413, 'too large: refused before a byte is stored');
    t.same(refused(big), { code: 'VIDEO_TOO_LARGE', message: '视频文件超过本单位的大小上限：上限 2 MB' });
    const long = makeClip(join(dir, 'long.mp4'), { width: 160, height: 120, seconds: 3 });
    const r = await uploadAll(tus, ruyang, long);
    t.equal(r.status, 422, 'too long: 422 once ffprobe has read it');
    t.same(refused(r), { code: 'VIDEO_TOO_LONG', message: '视频时长超过本单位的上限：上限 2 秒' });
    t.same(await rows(), [], 'no video row');
    noUploadLeft('past the limits');
    const other = await withTenant(deps.db, yichuan, (trx) => trx.selectFrom('video_limits').selectAll().execute());
    t.same(other, [], "another tenant cannot read this tenant's limits");
    await graphqlClient(api, { token: deps.config.bootstrapOperatorToken })(
      `mutation($t: ID!) { setVideoLimits(tenantId: $t, maxBytes: 1073741824, maxSeconds: 600) { maxSeconds } }`,
      { t: ruyang },
    );
    const refusedLimits = await gql(
      `mutation($t: ID!) { setVideoLimits(tenantId: $t, maxBytes: 1e12, maxSeconds: 9999) { maxSeconds } }`,
      { t: ruyang },
    );
    t.equal(refusedLimits.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'an editor cannot raise them');
  });

  await t.test('ffmpeg failing, and the original gone', async (t) => {
    const clip = makeClip(join(dir, 'ok.mp4'), { width: 160, height: 120, seconds: 1 });
    const a = await uploadAll(tus, ruyang, clip);
    const b = await uploadAll(tus, ruyang, clip);
    t.equal(a.status, 200, 'two good uploads');
    t.equal(b.status, 200);
    const failing = join(dir, 'ffmpeg-fails');
    writeFileSync(failing, '#!/bin/sh\necho "Conversion failed!" >&2\nexit 1\n');
    chmodSync(failing, 0o755);
    const transcoder = startVideoTranscoder({
      db: deps.db,
      storage,
      log: silentLogger,
      uploadDir: uploads,
      workDir: join(dir, 'work'),
      pollMs: 60_000,
      tools: { ffmpeg: failing, ffprobe: 'ffprobe' },
    });
    t.teardown(() => transcoder.stop());
    const idA = (JSON.parse(a.body) as { videoId: string }).videoId;
    const idB = (JSON.parse(b.body) as { videoId: string }).videoId;
    // the second video's original disappears before the worker reaches it
    const sourceB = (await withPlatform(deps.db, (trx) => videoById(trx, idB)))!.source_key;
    const { rmSync } = await import('node:fs');
    rmSync(join(uploads, sourceB));
    t.equal(await transcoder.drain(), 2, 'the worker runs both jobs');
    const q = `query($t: ID!, $id: ID!) { video(tenantId: $t, id: $id) { status error progress posterUrl playlistUrl } }`;
    const va = await gql<{ video: { status: string; error: string; posterUrl: string | null } }>(q, {
      t: ruyang,
      id: idA,
    });
    t.equal(va.errors, undefined, 'the console reads the video');
    t.same(
      va.data?.video,
      { status: 'FAILED', error: '视频转码失败：FFmpeg 处理出错', progress: 0, posterUrl: null, playlistUrl: null },
      'ffmpeg failing: FAILED with a Chinese reason in the console',
    );
    const vb = await gql<{ video: { status: string; error: string } }>(q, { t: ruyang, id: idB });
    t.equal(vb.data?.video.status, 'FAILED');
    t.equal(vb.data?.video.error, '视频转码失败：找不到上传的原始文件', 'the original gone: said so');
    t.same(files(join(dir, 'assets')), [], 'no rendition was stored');
    t.same(files(join(dir, 'work')), [], 'no work folder is left');
    t.equal(
      (await fetch(`${base}/videos/${idA}/master.m3u8`, { headers: { authorization: `Bearer ${editorToken}` } }))
        .status,
      404,
      'nothing of a failed video is served',
    );
    t.same((await withPlatform(deps.db, (trx) => videoById(trx, idA)))!.hls_prefix, null, 'no prefix was recorded');
    // a good worker cannot pick a failed job up again by itself: it stays failed with its reason
    const share = await gql(
      `mutation($t: ID!, $id: ID!) { setVideoShared(tenantId: $t, id: $id, shared: true) { id } }`,
      {
        t: ruyang,
        id: idA,
      },
    );
    t.equal(share.errors?.[0]?.message, '视频转码完成后才能共享', 'a failed video cannot be shared');
  });

  await t.test('row-level security: another tenant neither sees nor changes a video', async (t) => {
    const clip = makeClip(join(dir, 'rls.mp4'), { width: 160, height: 120, seconds: 1 });
    const up = await uploadAll(tus, ruyang, clip);
    const id = (JSON.parse(up.body) as { videoId: string }).videoId;
    const other = graphqlClient(api, { token: await token('vb-other') });
    const seen = await other(`query($t: ID!, $id: ID!) { video(tenantId: $t, id: $id) { id } }`, { t: yichuan, id });
    t.equal(seen.errors?.[0]?.extensions?.code, 'VIDEO_NOT_FOUND', 'another tenant does not see it');
    const list = await withTenant(deps.db, yichuan, (trx) =>
      listVideos(trx, { tenantId: yichuan, includeShared: true }),
    );
    t.notOk(
      list.some((v) => v.id === id),
      'nor in its list',
    );
    const changed = await withTenant(deps.db, yichuan, (trx) =>
      trx.updateTable('videos').set({ title: '改掉' }).where('id', '=', id).executeTakeFirst(),
    );
    t.equal(Number(changed.numUpdatedRows), 0, 'nor can it change it');
    const caption = await other(
      `mutation($t: ID!, $id: ID!) { setVideoCaptions(tenantId: $t, id: $id, vtt: "WEBVTT\\n\\n00:00.000 --> 00:01.000\\n改") { id } }`,
      { t: yichuan, id },
    );
    t.equal(caption.errors?.[0]?.extensions?.code, 'VIDEO_NOT_FOUND', 'nor give it captions');
    // shared and ready: visible to the tree by reference, still not changeable
    await withPlatform(deps.db, (trx) =>
      trx.updateTable('videos').set({ status: 'ready', hls_prefix: 'x/videos/y/z' }).where('id', '=', id).execute(),
    );
    await withTenant(deps.db, ruyang, (trx) => setVideoShared(trx, SYSTEM_ACTOR, id, true));
    const shared = await withTenant(deps.db, yichuan, (trx) => videoById(trx, id));
    t.equal(shared?.id, id, 'shared and ready: the tree sees it');
    const unshare = await withTenant(deps.db, yichuan, (trx) =>
      trx.updateTable('videos').set({ shared: false }).where('id', '=', id).executeTakeFirst(),
    );
    t.equal(Number(unshare.numUpdatedRows), 0, 'but cannot unshare or change it');
    const bad = await gql(
      `mutation($t: ID!, $id: ID!) { setVideoCaptions(tenantId: $t, id: $id, vtt: "不是字幕") { id } }`,
      {
        t: ruyang,
        id,
      },
    );
    t.equal(bad.errors?.[0]?.message, '字幕文件须为 WebVTT 格式（以 WEBVTT 开头）', 'captions must be WebVTT');
  });
});
