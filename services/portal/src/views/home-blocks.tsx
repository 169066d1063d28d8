import type { FaceStory, MostRead } from '@yiduan/core';
import type { ImageMap } from '../data/images.js';
import { storyPath } from '../site/urls.js';
import { excerpt, formatDateTime, formatShortDate, isoShanghai } from './format.js';
import { StoredImage } from './image.js';
import { StoryMeta } from './story-list.js';

/** The lead's picture: 3/5 of the content column on wide screens, the column on phones. */
const LEAD_SIZES = '(min-width: 64rem) 37rem, (min-width: 48rem) 60vw, calc(100vw - 2rem)';
/** A smaller headline's picture: a fifth of the column on wide screens, half of it on phones. */
const SIDE_SIZES = '(min-width: 64rem) 12rem, (min-width: 48rem) 20vw, calc(50vw - 1.5rem)';
/** Headlines beside the lead; more go to a list under them. */
const BESIDE_LEAD = 4;

/**
 * The top of the home page: the first headline large with its summary, up to four smaller
 * beside it (a 2×2 grid), any further ones as a dense list. No script, no carousel: every
 * headline is in view at once, and the block is about as tall as the lead's picture.
 */
export function LeadStories({ stories, images, lead }: { stories: FaceStory[]; images: ImageMap; lead: boolean }) {
  const [first, ...rest] = stories;
  if (!first) return null;
  const beside = rest.slice(0, BESIDE_LEAD);
  const more = rest.slice(BESIDE_LEAD);
  return (
    <>
      <ul class="lead-grid">
        <li class="lead-story">
          <StoredImage
            class="lead-cover"
            assetId={first.coverAssetId}
            images={images}
            alt=""
            sizes={LEAD_SIZES}
            priority={lead}
          />
          <h3 class="lead-title">
            <a href={storyPath(first.storyId)}>{first.title}</a>
          </h3>
          {first.summary ? <p class="summary">{excerpt(first.summary, 90)}</p> : null}
          <StoryMeta story={first} />
        </li>
        {beside.map((s) => (
          <li key={s.placementId} class="lead-more">
            <StoredImage
              class="lead-thumb"
              assetId={s.coverAssetId}
              images={images}
              alt=""
              sizes={SIDE_SIZES}
              eager={lead}
            />
            <h3 class="lead-more-title">
              <a href={storyPath(s.storyId)}>{s.title}</a>
            </h3>
            <StoryMeta story={s} />
          </li>
        ))}
      </ul>
      {more.length ? <DenseList stories={more} /> : null}
    </>
  );
}

/** One line per story: title, where it comes from if not the face's own, and the day. For latest and section blocks. */
export function DenseList({ stories }: { stories: FaceStory[] }) {
  return (
    <ul class="dense-list">
      {stories.map((s) => (
        <li key={s.placementId} class="dense-item">
          <a class="dense-title" href={storyPath(s.storyId)}>
            {s.title}
          </a>
          <span class="dense-meta">
            {s.own ? null : <span class="source">来源：{s.origin.name}</span>}
            <time dateTime={isoShanghai(s.publishedAt)} title={formatDateTime(s.publishedAt)}>
              {formatShortDate(s.publishedAt)}
            </time>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** 阅读排行: the face's most-read stories, numbered. */
export function MostReadBlock({ stories }: { stories: MostRead[] }) {
  return (
    <section class="module module-most-read" aria-labelledby="most-read">
      <div class="module-head">
        <h2 id="most-read">阅读排行</h2>
      </div>
      <ol class="rank-list">
        {stories.map((s) => (
          <li key={s.storyId}>
            <a href={storyPath(s.storyId)}>{s.title}</a>
          </li>
        ))}
      </ol>
    </section>
  );
}
