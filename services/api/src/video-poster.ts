import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DomainError, HLS_SEGMENT_SECONDS, type VideoRow } from '@yiduan/core';
import { posterArgs, posterImageType, runFfmpeg, type FfmpegTools } from '@yiduan/video-tools';
import type { AssetStorage } from '@yiduan/storage';

/** An uploaded poster image may be this large (decoded bytes). */
export const MAX_POSTER_BYTES = 5 * 1024 * 1024;

export interface PosterDeps {
  storage: AssetStorage;
  uploadDir: string;
  tools?: FfmpegTools;
}

const bad = (message: string, path: string): DomainError =>
  new DomainError('BAD_USER_INPUT', message, [{ path, message }]);

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Makes the editor's poster with ffmpeg (argument arrays, never a shell) in a temporary folder
 * and swaps it in: one `put` of `<prefix>/poster.jpg`, which the store makes atomic (a local disk
 * writes a temporary file and renames it; S3 replaces an object whole), so a face serves either
 * the old poster or the new one, never a partial file. The frame comes from the original upload,
 * or, when that is gone (another machine, cleaned up), from the segment of the largest rendition
 * that holds the time. Nothing else changes: playlists and segments stay as published.
 */
export async function replacePoster(
  deps: PosterDeps,
  video: VideoRow & { hls_prefix: string },
  choice: { atSeconds?: number | null; imageBase64?: string | null },
): Promise<{ atSeconds: number } | { image: string; bytes: number }> {
  const top = video.renditions[video.renditions.length - 1];
  const size = top
    ? { width: top.width, height: top.height }
    : { width: video.source_width, height: video.source_height };
  const dir = await mkdtemp(join(tmpdir(), 'yd-poster-'));
  try {
    const out = join(dir, 'poster.jpg');
    let detail: { atSeconds: number } | { image: string; bytes: number };
    let args: string[];
    if (choice.imageBase64 !== undefined && choice.imageBase64 !== null) {
      const data = Buffer.from(choice.imageBase64.replace(/^data:[^,]*,/, ''), 'base64');
      if (data.length === 0) throw bad('封面图片为空', 'imageBase64');
      if (data.length > MAX_POSTER_BYTES) throw bad('封面图片不能超过 5 MB', 'imageBase64');
      const type = posterImageType(data);
      if (!type) throw bad('封面图片应为 JPEG、PNG 或 WebP 格式', 'imageBase64');
      const src = join(dir, `source.${type}`);
      await writeFile(src, data);
      args = posterArgs({ kind: 'image', path: src }, out, size);
      detail = { image: type, bytes: data.length };
    } else {
      const at = choice.atSeconds!;
      const original = resolve(deps.uploadDir, video.source_key);
      if (await exists(original)) {
        args = posterArgs({ kind: 'video', path: original, atSeconds: at }, out, size);
      } else {
        const index = Math.floor(at / HLS_SEGMENT_SECONDS);
        const key = `${video.hls_prefix}/${top?.name ?? '720p'}_${String(index).padStart(3, '0')}.ts`;
        const segment = await deps.storage.get(key);
        if (!segment) throw bad('找不到该时间的画面', 'atSeconds');
        const src = join(dir, 'segment.ts');
        await writeFile(src, segment);
        args = posterArgs({ kind: 'segment', path: src, atSeconds: at - index * HLS_SEGMENT_SECONDS }, out, size);
      }
      detail = { atSeconds: at };
    }
    try {
      await runFfmpeg(args, { durationMs: 1000, ...(deps.tools ? { tools: deps.tools } : {}) });
    } catch {
      throw 'image' in detail ? bad('无法读取这张封面图片', 'imageBase64') : bad('无法从该时间截取画面', 'atSeconds');
    }
    const jpeg = await readFile(out).catch(() => Buffer.alloc(0));
    if (posterImageType(jpeg) !== 'jpg')
      throw 'image' in detail ? bad('无法读取这张封面图片', 'imageBase64') : bad('无法从该时间截取画面', 'atSeconds');
    await deps.storage.put(`${video.hls_prefix}/poster.jpg`, jpeg, 'image/jpeg');
    return detail;
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
