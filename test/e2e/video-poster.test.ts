// An editor's poster (issue #17 item 2): for a ready video the editor picks a frame (a time in
// seconds) or uploads an image; ffmpeg makes a JPEG of the largest rendition's size and the store
// swaps `poster.jpg` in place (atomic), the playlists and segments untouched. Checked with ffprobe
// and by the picture itself (an uploaded red image gives a red poster). Bad choices are refused
// with a Chinese BAD_USER_INPUT and leave the poster as it was; another tenant cannot touch it.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { build as buildApi } from '@yiduan/api';
import { createVideo, SYSTEM_ACTOR, videoById } from '@yiduan/core';
import { probeVideo } from '@yiduan/video-tools';
import { withPlatform, withTenant } from '@yiduan/db';
import { LocalDiskStorage } from '@yiduan/storage';
import { createDemoDeps, graphqlClient } from '@yiduan/testkit';
import { silentLogger, startVideoTranscoder } from '@yiduan/worker';
import { PASSWORD, staffWith } from './helpers.js';
import { ffprobe, makeClip, NO_FFMPEG, tempDir } from './video-kit.js';

/** The average colour of a picture: ffmpeg scales it to one pixel. */
const rgb = (path: string): number[] => [
  ...execFileSync('ffmpeg', [
    '-v',
    'error',
    '-i',
    path,
    '-vf',
    'scale=1:1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-',
  ]),
];
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

t.test('an editor chooses the poster of a ready video', { skip: NO_FFMPEG }, async (t) => {
  const dir = tempDir(t);
  const uploads = join(dir, 'uploads');
  const deps = await createDemoDeps(t, 'tree', { VIDEO_UPLOAD_DIR: uploads, VIDEO_WORK_DIR: join(dir, 'work') });
  const storage = new LocalDiskStorage(join(dir, 'assets'));
  const ruyang = deps.tenants.ruyang!.id;
  mkdirSync(uploads, { recursive: true });

  // a vertical 9:16 clip of ffmpeg's test pattern (its frames change every moment), transcoded
  const clip = makeClip(join(dir, 'short.mp4'), { width: 180, height: 320, seconds: 6 });
  const key = `${ruyang}_${'c'.repeat(32)}`;
  copyFileSync(clip, join(uploads, key));
  const probe = await probeVideo(join(uploads, key), { maxBytes: 1e9, maxSeconds: 60 });
  const video = await withTenant(deps.db, ruyang, (trx) =>
    createVideo(trx, SYSTEM_ACTOR, {
      tenantId: ruyang,
      sourceKey: key,
      probe,
      filename: 'short.mp4',
      title: '竖屏短片',
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
  const ready = (await withPlatform(deps.db, (trx) => videoById(trx, video.id)))!;
  const root = join(dir, 'assets', ...ready.hls_prefix!.split('/'));
  const poster = join(root, 'poster.jpg');
  const playlist = sha(join(root, 'master.m3u8'));
  const generated = sha(poster);

  const api = await buildApi(deps, { storage });
  t.teardown(() => api.close());
  await staffWith(deps.db, 'p-editor', ruyang, ['editor']);
  await staffWith(deps.db, 'p-sibling', deps.tenants.yichuan!.id, ['editor', 'chief_editor']);
  const login = async (l: string) =>
    graphqlClient(api, {
      token: (
        await graphqlClient(api)<{ login: { token: string } }>(
          `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
          { l, p: PASSWORD },
        )
      ).data!.login.token,
    });
  const editor = await login('p-editor');
  const Q = `mutation($t: ID!, $id: ID!, $at: Float, $img: String) {
    chooseVideoPoster(tenantId: $t, id: $id, atSeconds: $at, imageBase64: $img) { id posterUrl } }`;
  type R = { chooseVideoPoster: { id: string; posterUrl: string } };

  // ---- a frame by time, from the original upload
  const first = await editor<R>(Q, { t: ruyang, id: video.id, at: 4.5 });
  t.equal(first.errors, undefined, 'the frame at 4.5 s is taken');
  t.match(
    first.data?.chooseVideoPoster.posterUrl,
    new RegExp(`^/videos/${video.id}/poster\\.jpg\\?v=\\d+$`),
    'with a new version in its URL',
  );
  const atFrame = sha(poster);
  t.not(atFrame, generated, 'the poster file is replaced');
  const p1 = await ffprobe(poster);
  t.equal(p1.streams[0]?.codec_name, 'mjpeg', 'a JPEG');
  t.same([p1.streams[0]?.width, p1.streams[0]?.height], [720, 1280], 'as large as the 720p rendition, still vertical');
  t.equal(sha(join(root, 'master.m3u8')), playlist, 'the playlists are untouched');

  // ---- the same from the largest rendition's segment when the original is gone
  rmSync(join(uploads, key));
  const fromSegment = await editor<R>(Q, { t: ruyang, id: video.id, at: 4.5 });
  t.equal(fromSegment.errors, undefined, 'without the original, the frame comes from the published segment');
  t.ok(statSync(poster).size > 1000, 'a real picture');
  t.same(
    (await ffprobe(poster)).streams.map((s) => [s.codec_name, s.width, s.height]),
    [['mjpeg', 720, 1280]],
  );
  const other = await editor<R>(Q, { t: ruyang, id: video.id, at: 0.5 });
  t.equal(other.errors, undefined);
  t.not(sha(poster), atFrame, 'another time gives another picture');

  // ---- an uploaded image, fitted into the frame
  const red = join(dir, 'red.png');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=400x300', '-frames:v', '1', red]);
  const img = await editor<R>(Q, { t: ruyang, id: video.id, img: readFileSync(red).toString('base64') });
  t.equal(img.errors, undefined, 'an uploaded PNG becomes the poster');
  const [r, g, b] = rgb(poster);
  t.ok(r! > 60 && g! < 40 && b! < 40, `red, with black bars above and below (average ${r},${g},${b})`);
  t.same(
    (await ffprobe(poster)).streams.map((s) => [s.codec_name, s.width, s.height]),
    [['mjpeg', 720, 1280]],
  );
  const kept = sha(poster);

  // ---- bad choices: a Chinese error, the poster as it was
  const refused: [string, Record<string, unknown>, string][] = [
    ['a time past the end', { at: 6 }, '画面时间应在 0 到 6.0 秒之间'],
    ['a negative time', { at: -1 }, '画面时间应在 0 到 6.0 秒之间'],
    ['neither', {}, '请选择一个画面时间或上传一张封面图片'],
    ['both', { at: 1, img: readFileSync(red).toString('base64') }, '请选择一个画面时间或上传一张封面图片'],
    [
      'not an image',
      { img: Buffer.from('#EXTM3U\nfile:///etc/passwd\n').toString('base64') },
      '封面图片应为 JPEG、PNG 或 WebP 格式',
    ],
    ['a broken PNG', { img: readFileSync(red).subarray(0, 40).toString('base64') }, '无法读取这张封面图片'],
  ];
  for (const [name, vars, message] of refused) {
    const res = await editor(Q, { t: ruyang, id: video.id, ...vars });
    t.equal(res.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `refused: ${name}`);
    t.equal(res.errors?.[0]?.message, message);
  }
  t.equal(sha(poster), kept, 'none of them touched the poster');

  // ---- another tenant cannot replace it
  const sibling = await login('p-sibling');
  const s1 = await sibling(Q, { t: ruyang, id: video.id, at: 1 });
  t.ok(s1.errors?.[0]?.extensions?.code, `a sibling county acting on the county: ${s1.errors?.[0]?.extensions?.code}`);
  const s2 = await sibling(Q, { t: deps.tenants.yichuan!.id, id: video.id, at: 1 });
  t.equal(s2.errors?.[0]?.extensions?.code, 'VIDEO_NOT_FOUND', 'nor through its own tenant: the video is not its own');
  t.equal(sha(poster), kept, 'the poster is unchanged');
});
