// The face player's video events at the beacon (issue #17, item 5): well-formed play / watch / end
// events are buffered like page views; a beacon with a malformed video event is refused with 400
// and nothing of it reaches the buffer.
import t from 'tap';
import { sharedMemoryBuffer } from '@yiduan/cache';
import { portal } from './helpers.js';

const UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36';
const STORY = '/a/0b0e7f4e-1c5a-4f3e-9d7a-2f1f0c8e9a11';
const VIDEO = '6a1f3c2e-8b4d-4e5f-9a6b-7c8d9e0f1a2b';

t.test('video events at the beacon: accepted when well formed, refused whole when not', async (t) => {
  const p = await portal(t);
  const buffer = sharedMemoryBuffer();
  const post = (body: unknown) =>
    p.app.inject({
      method: 'POST',
      url: '/_b',
      headers: { host: 'ruyang.localhost', 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA },
      payload: JSON.stringify(body),
    });
  const before = await buffer.size();
  const good = await post([
    { k: 'play', p: STORY, i: VIDEO, w: 0, f: 0 },
    { k: 'watch', p: STORY, i: VIDEO, w: 15000, f: 0.5 },
    { k: 'end', p: STORY, i: VIDEO, w: 14000, f: 0.96 },
  ]);
  t.equal(good.statusCode, 204, 'a well-formed play, watch and end');
  t.equal(await buffer.size(), before + 3, 'are buffered');

  const bad: [string, unknown][] = [
    ['the video id missing', { k: 'play', p: STORY }],
    ['a watch time below zero', { k: 'watch', p: STORY, i: VIDEO, w: -1, f: 0.2 }],
    ['a fraction of 7', { k: 'watch', p: STORY, i: VIDEO, w: 10, f: 7 }],
    ['a video event off a story page', { k: 'play', p: '/', i: VIDEO }],
    [
      'a page view with an end short of the end',
      [
        { k: 'v', p: STORY },
        { k: 'end', p: STORY, i: VIDEO, w: 5, f: 0.2 },
      ],
    ],
  ];
  for (const [name, body] of bad) {
    const r = await post(body);
    t.equal(r.statusCode, 400, `400: ${name}`);
    t.match(r.body, 'bad video event');
  }
  t.equal(await buffer.size(), before + 3, 'nothing of a refused beacon is buffered (not even its page view)');
  t.equal((await post({ k: 'v', p: '/' })).statusCode, 204, 'page views keep their quiet 204');
});
