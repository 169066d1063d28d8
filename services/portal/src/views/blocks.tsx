import type { Block } from '@yiduan/core';
import type { ImageMap } from '../data/images.js';
import type { VideoMap } from '../data/videos.js';
import { VIDEO_SCRIPT_PATH } from '../routes/video-script.js';
import { mediaPath } from '../site/urls.js';
import { StoredImage } from './image.js';

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

// Links leaving the face: no opener, no referrer leaking the reader's page.
const EXTERNAL = 'noopener noreferrer';

const NO_VIDEOS: VideoMap = new Map();

/** A video of the platform: poster first, nothing loaded until /_v.js attaches HLS near the screen. */
function VideoPlayer({ id, videos, caption }: { id: string; videos: VideoMap; caption?: string }) {
  const v = videos.get(id);
  if (!v) return null;
  const base = `/v/${id}`;
  const vertical = v.height > v.width;
  return (
    <figure class={`figure video-player${vertical ? ' vertical' : ''}`}>
      <video
        controls
        playsInline
        preload="none"
        poster={`${base}/poster.jpg`}
        width={v.width}
        height={v.height}
        data-hls={`${base}/master.m3u8`}
        data-video={id}
        aria-label={v.title || caption || '视频'}
      >
        {v.captions ? (
          <track kind="captions" src={`${base}/captions.vtt`} srcLang="zh" label="中文字幕" default />
        ) : null}
      </video>
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}

function StoryBlock({ block: b, images, videos }: { block: Block; images: ImageMap; videos: VideoMap }) {
  switch (b.type) {
    case 'paragraph':
      return <p>{b.text}</p>;
    case 'heading':
      return b.level === 3 ? <h3>{b.text}</h3> : <h2>{b.text}</h2>;
    case 'image':
      if (!images.has(b.assetId)) return null;
      return (
        <figure class="figure">
          <StoredImage
            assetId={b.assetId}
            images={images}
            alt={b.alt || b.caption || images.get(b.assetId)?.alt || ''}
          />
          {b.caption ? <figcaption>{b.caption}</figcaption> : null}
        </figure>
      );
    case 'quote':
      return (
        <blockquote>
          <p>{b.text}</p>
          {b.cite ? (
            <footer>
              —— <cite>{b.cite}</cite>
            </footer>
          ) : null}
        </blockquote>
      );
    case 'video': {
      if (b.videoId) return <VideoPlayer id={b.videoId} videos={videos} caption={b.caption} />;
      if (!b.url) return null;
      // a poster has no srcset: the largest copy, as wide as the column at high density
      const poster = b.posterAssetId && images.has(b.posterAssetId) ? mediaPath(b.posterAssetId, 1280) : undefined;
      return (
        <figure class="figure video">
          <video controls preload="none" src={b.url} poster={poster}>
            <a href={b.url} rel={EXTERNAL}>
              观看视频
            </a>
          </video>
          <figcaption>
            {b.caption ? `${b.caption} ` : ''}
            <a href={b.url} rel={EXTERNAL}>
              在新页面观看视频
            </a>
          </figcaption>
        </figure>
      );
    }
    case 'embed':
      // a link card, never an iframe: no third-party page runs inside the face
      return (
        <p class="link-card">
          <a href={b.url} rel={`${EXTERNAL} nofollow`}>
            <span class="link-card-title">{b.caption || '查看外部内容'}</span>
            <span class="link-card-host">{hostOf(b.url)}</span>
          </a>
        </p>
      );
    case 'list': {
      const items = b.items.map((item, i) => <li key={i}>{item}</li>);
      return b.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
    }
  }
}

export function StoryBlocks({
  blocks,
  images,
  videos = NO_VIDEOS,
}: {
  blocks: Block[];
  images: ImageMap;
  videos?: VideoMap;
}) {
  const players = blocks.some((b) => b.type === 'video' && b.videoId && videos.has(b.videoId));
  return (
    <>
      {blocks.map((b, i) => (
        <StoryBlock key={i} block={b} images={images} videos={videos} />
      ))}
      {players ? <script src={VIDEO_SCRIPT_PATH} defer /> : null}
    </>
  );
}
