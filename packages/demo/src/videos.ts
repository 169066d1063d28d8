import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  claimVideoJob,
  createVideo,
  probeVideo,
  publishVideo,
  runFfmpeg,
  setVideoCaptions,
  setVideoShared,
  SYSTEM_ACTOR,
  transcodePlan,
  videoFileType,
  videoRunPrefix,
} from '@yiduan/core';
import { setPlatform, setTenant, type Tenant, type Trx } from '@yiduan/db';
import type { AssetStorage } from '@yiduan/storage';

const FONT = '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc';

interface DemoClip {
  tenant: string;
  title: string;
  caption: string;
  width: number;
  height: number;
  source: string;
  shared: boolean;
}

/** Three short clips: the province's (shared with the tree), a county's vertical short, another county's. */
const CLIPS: DemoClip[] = [
  {
    tenant: 'henan',
    title: '黄河之滨 中原新貌',
    caption: '河南融媒 · 黄河之滨',
    width: 320,
    height: 180,
    source: 'testsrc2',
    shared: true,
  },
  {
    tenant: 'ruyang',
    title: '汝阳杜鹃花开（竖屏短视频）',
    caption: '汝阳 · 杜鹃花开',
    width: 180,
    height: 320,
    source: 'testsrc2',
    shared: false,
  },
  {
    tenant: 'yichuan',
    title: '伊川乡村振兴新画卷',
    caption: '伊川 · 乡村振兴',
    width: 320,
    height: 180,
    source: 'smptebars',
    shared: false,
  },
];

export function hasFfmpeg(): boolean {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    execFileSync('ffprobe', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Demo videos: 3-second clips from ffmpeg's test sources with Chinese captions (burnt in with
 * fonts-wqy-zenhei when installed, and always as WebVTT), transcoded like any upload and published
 * into the asset store. Skipped, with a line in the log, when ffmpeg is not installed. Ends in
 * platform scope.
 */
export async function seedDemoVideos(
  trx: Trx,
  storage: AssetStorage,
  tenants: Record<string, Tenant>,
  log: (line: string) => void = () => undefined,
): Promise<number> {
  if (!hasFfmpeg()) {
    log('demo videos skipped: ffmpeg is not installed (bash scripts/ensure-ffmpeg.sh)');
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'yd-demo-video-'));
  let made = 0;
  try {
    for (const [i, clip] of CLIPS.entries()) {
      const tenant = tenants[clip.tenant];
      if (!tenant) continue;
      const file = join(dir, `clip-${i}.mp4`);
      const text = existsSync(FONT)
        ? [
            '-vf',
            `drawtext=fontfile=${FONT}:text='${clip.caption}':fontsize=${Math.round(clip.width / 12)}:fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=6:x=(w-text_w)/2:y=h-text_h-16`,
          ]
        : [];
      execFileSync(
        'ffmpeg',
        [
          ...['-hide_banner', '-loglevel', 'error', '-y'],
          ...['-f', 'lavfi', '-i', `${clip.source}=size=${clip.width}x${clip.height}:rate=24:duration=3`],
          ...['-f', 'lavfi', '-i', 'sine=frequency=523:duration=3'],
          ...text,
          ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file],
        ],
        { stdio: 'ignore' },
      );
      const probe = await probeVideo(file, { maxBytes: 1e9, maxSeconds: 60 });
      await setTenant(trx, tenant.id);
      const video = await createVideo(trx, SYSTEM_ACTOR, {
        tenantId: tenant.id,
        sourceKey: `demo-${i}`,
        probe,
        filename: `${clip.title}.mp4`,
        title: clip.title,
      });
      await setVideoCaptions(trx, SYSTEM_ACTOR, video.id, `WEBVTT\n\n00:00.000 --> 00:03.000\n${clip.caption}\n`);
      // the worker's own steps: claim, transcode, store, publish
      await setPlatform(trx);
      const job = await claimVideoJob(trx, 60_000);
      if (!job || job.video.id !== video.id) throw new Error('demo video: another job was claimed');
      const out = join(dir, `out-${i}`);
      const plan = transcodePlan(file, out, probe);
      mkdirSync(out, { recursive: true });
      await runFfmpeg(plan.args, { durationMs: probe.durationMs });
      const prefix = videoRunPrefix(tenant.id, video.id, job.runId);
      let bytes = 0;
      for (const name of readdirSync(out)) {
        const type = videoFileType(name);
        if (!type) continue;
        const body = readFileSync(join(out, name));
        bytes += body.length;
        await storage.put(`${prefix}/${name}`, body, type);
      }
      await publishVideo(trx, job, { hlsPrefix: prefix, renditions: plan.renditions, bytes });
      if (clip.shared) {
        await setTenant(trx, tenant.id);
        await setVideoShared(trx, SYSTEM_ACTOR, video.id, true);
        await setPlatform(trx);
      }
      made++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return made;
}
