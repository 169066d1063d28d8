import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  accessFor,
  approveStep,
  claimVideoJob,
  createStory,
  createVideo,
  fanOutChunk,
  publishStory,
  pushStory,
  setSharePolicy,
  staffActor,
  submitForReview,
  publishVideo,
  setVideoCaptions,
  setVideoShared,
  SYSTEM_ACTOR,
  videoFileType,
  videoRunPrefix,
} from '@yiduan/core';
import { probeVideo, runFfmpeg, transcodePlan } from '@yiduan/video-tools';
import { setPlatform, setTenant, type Staff, type Tenant, type Trx } from '@yiduan/db';
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
  /** a published story showing the clip; `counties`: the province places it on every county face */
  story?: { section: string; title: string; summary: string; text: string; counties?: boolean };
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
    story: {
      section: 'zhengwu',
      title: '视频｜黄河之滨 中原新貌',
      summary: '省融媒体中心出品的三秒短片，各县融媒体中心门户同步刊发。',
      text: '黄河之滨，中原大地日新月异。本片由省融媒体中心制作，通过全省共享资源库推送至各县门户，无需复制文件。',
      counties: true,
    },
  },
  {
    tenant: 'ruyang',
    title: '汝阳杜鹃花开（竖屏短视频）',
    caption: '汝阳 · 杜鹃花开',
    width: 180,
    height: 320,
    source: 'testsrc2',
    shared: false,
    story: {
      section: 'wenlv',
      title: '竖屏｜汝阳杜鹃花开',
      summary: '汝阳县融媒体中心的竖屏短视频：西泰山杜鹃花进入盛花期。',
      text: '四月的西泰山，漫山杜鹃竞相绽放。县融媒体中心记者用手机竖屏拍下这段短视频。',
    },
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
  staff: Record<string, Staff> = {},
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
      if (clip.story) await publishVideoStory(trx, tenants, staff, clip, video.id);
      made++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return made;
}

/**
 * A published story showing a demo clip, through the tenant's own review chain like any story
 * (its reporter writes, the steps sign, its editor publishes): a video story (the vertical short)
 * or an article with a video block. The province's is then placed on every county face by
 * reference (a mandatory push, fanned out as the worker does): one set of files, served on each face.
 * Skipped without the tenant's demo desk (a seed without staff). Ends in platform scope.
 */
async function publishVideoStory(
  trx: Trx,
  tenants: Record<string, Tenant>,
  staff: Record<string, Staff>,
  clip: DemoClip,
  videoId: string,
): Promise<void> {
  const story = clip.story!;
  const tenantId = tenants[clip.tenant]!.id;
  const who = async (desk: string) => {
    const s = staff[`${clip.tenant}-${desk}`];
    return s ? { access: await accessFor(trx, s, tenantId), actor: staffActor(s) } : null;
  };
  await setTenant(trx, tenantId);
  const writer = await who('reporter');
  const editor = await who('editor');
  if (!writer || !editor) return;
  const section = await trx
    .selectFrom('sections')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('slug', '=', story.section)
    .executeTakeFirst();
  // the list pages show a cover like every demo story: one of the tenant's demo pictures
  const cover = await trx
    .selectFrom('assets')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  const vertical = clip.height > clip.width;
  const created = await createStory(trx, writer.access, writer.actor, {
    kind: vertical ? 'video' : 'article',
    title: story.title,
    summary: story.summary,
    tags: ['短视频'],
    coverAssetId: cover?.id ?? null,
    body: [
      { type: 'video', videoId, caption: clip.caption },
      { type: 'paragraph', text: story.text },
    ],
    sectionId: section?.id ?? null,
  });
  const id = created.story.id;
  const submitted = await submitForReview(trx, writer.access, writer.actor, id);
  for (const role of submitted.review_steps ?? []) {
    const signer = role === 'editor' ? editor : await who(role === 'chief_editor' ? 'chief' : role);
    if (!signer) return;
    await approveStep(trx, signer.access, signer.actor, id, '同意');
  }
  await publishStory(trx, editor.access, editor.actor, id, null);
  if (story.counties) {
    const counties = Object.values(tenants)
      .filter((t) => t.level === 'county')
      .map((t) => t.id);
    // a mandatory push places it at once (an offer would wait in each county's inbox)
    const chief = await who('chief');
    if (!chief) return;
    await setSharePolicy(trx, chief.access, chief.actor, id, 'down');
    const job = await pushStory(trx, chief.access, chief.actor, {
      storyId: id,
      targets: { kind: 'list', tenantIds: counties },
      mandatory: true,
      sectionSlug: story.section,
    });
    await setPlatform(trx);
    for (let i = 0; i < 20; i++) if (!(await fanOutChunk(trx, tenantId, job.id)).more) break;
  }
  await setPlatform(trx);
}
