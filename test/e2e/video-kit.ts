// What the video tests share: tiny generated clips (ffmpeg's test sources), a tus client that can
// be cut off mid-PATCH, and ffprobe of published files.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HAS_FFMPEG = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    execFileSync('ffprobe', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export const NO_FFMPEG = HAS_FFMPEG ? false : 'no ffmpeg/ffprobe: run scripts/ensure-ffmpeg.sh';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export function tempDir(t: Teardown, prefix = 'yd-video-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A clip from ffmpeg's test sources (H.264 + AAC in MP4), e.g. 320x240 landscape or 180x320 vertical. */
export function makeClip(
  path: string,
  opts: { width: number; height: number; seconds: number; audio?: boolean; source?: string },
): string {
  const args = ['-hide_banner', '-loglevel', 'error', '-y'];
  args.push(
    '-f',
    'lavfi',
    '-i',
    `${opts.source ?? 'testsrc2'}=size=${opts.width}x${opts.height}:rate=24:duration=${opts.seconds}`,
  );
  if (opts.audio !== false) args.push('-f', 'lavfi', '-i', `sine=frequency=440:duration=${opts.seconds}`);
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (opts.audio !== false) args.push('-c:a', 'aac', '-shortest');
  args.push('-movflags', '+faststart', path);
  execFileSync('ffmpeg', args, { stdio: 'ignore' });
  return path;
}

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
}

export function ffprobe(path: string): Promise<{ streams: ProbedStream[]; format: { duration?: string } }> {
  return new Promise((resolve, reject) =>
    execFile(
      'ffprobe',
      ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', '--', path],
      (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))),
    ),
  );
}

/** Decodes every frame of a playlist (or file): true when ffmpeg reads it to the end without an error. */
export function decodes(path: string): Promise<boolean> {
  return new Promise((resolve) =>
    execFile('ffmpeg', ['-v', 'error', '-xerror', '-i', path, '-f', 'null', '-'], (err, _o, stderr) =>
      resolve(!err && !stderr.trim()),
    ),
  );
}

export interface TusResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
  cutAfter?: number,
): Promise<TusResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = http.request(url, { method, headers: { 'tus-resumable': '1.0.0', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', (err) =>
      cutAfter !== undefined ? resolve({ status: 0, headers: {}, body: String(err) }) : reject(err),
    );
    if (body && cutAfter !== undefined) {
      // the connection drops in the middle of the PATCH: part of the bytes went out, then nothing
      req.write(body.subarray(0, cutAfter), () => setTimeout(() => req.destroy(new Error('connection dropped')), 150));
    } else req.end(body);
  });
}

/** A tus client with the console's bearer token. */
export function tusClient(base: string, token: string) {
  const auth = { authorization: `Bearer ${token}` };
  const meta = (m: Record<string, string>) =>
    Object.entries(m)
      .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
      .join(',');
  return {
    create: (tenantId: string, length: number, metadata: Record<string, string> = {}) =>
      request(base, 'POST', `/videos/uploads?tenantId=${tenantId}`, {
        ...auth,
        'upload-length': String(length),
        ...(Object.keys(metadata).length ? { 'upload-metadata': meta(metadata) } : {}),
      }),
    head: (location: string) => request(base, 'HEAD', location, auth),
    remove: (location: string) => request(base, 'DELETE', location, auth),
    patch: (location: string, offset: number, chunk: Buffer, cutAfter?: number) =>
      request(
        base,
        'PATCH',
        location,
        { ...auth, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        chunk,
        cutAfter,
      ),
  };
}

/** Uploads a whole file in chunks; the final PATCH's answer (with the video id or the refusal). */
export async function uploadAll(
  tus: ReturnType<typeof tusClient>,
  tenantId: string,
  file: string,
  chunk = 64 * 1024,
): Promise<TusResponse> {
  const data = readFileSync(file);
  const created = await tus.create(tenantId, data.length, { filename: file.split('/').pop()! });
  if (created.status !== 201) return created;
  const location = String(created.headers.location);
  let offset = 0;
  let last = created;
  while (offset < data.length) {
    last = await tus.patch(location, offset, data.subarray(offset, offset + chunk));
    if (last.status >= 300) return last;
    offset = Number(last.headers['upload-offset']);
  }
  return last;
}
