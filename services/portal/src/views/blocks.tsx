import type { Block } from '@yiduan/core';
import type { ImageMap } from '../data/images.js';
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

function StoryBlock({ block: b, images }: { block: Block; images: ImageMap }) {
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

export function StoryBlocks({ blocks, images }: { blocks: Block[]; images: ImageMap }) {
  return (
    <>
      {blocks.map((b, i) => (
        <StoryBlock key={i} block={b} images={images} />
      ))}
    </>
  );
}
