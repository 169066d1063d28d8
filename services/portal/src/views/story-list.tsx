import type { FaceStory } from '@yiduan/core';
import type { ImageMap } from '../data/images.js';
import { storyPath } from '../site/urls.js';
import { excerpt, formatDateTime, isoShanghai } from './format.js';
import { StoredImage, THUMB_SIZES } from './image.js';

/** Time and, for a story placed from another tenant, where it comes from. */
export function StoryMeta({ story }: { story: FaceStory }) {
  return (
    <p class="story-meta">
      <time dateTime={isoShanghai(story.publishedAt)}>{formatDateTime(story.publishedAt)}</time>
      {story.own ? null : <span class="source">来源：{story.origin.name}</span>}
    </p>
  );
}

export interface StoryListProps {
  stories: FaceStory[];
  images: ImageMap;
  /** the titles' heading level under the surrounding heading */
  level: 2 | 3;
}

export function StoryList({ stories, images, level }: StoryListProps) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <ul class="story-list">
      {stories.map((s) => (
        <li key={s.placementId} class="story-item">
          <div class="story-text">
            {s.kicker ? <p class="kicker">{s.kicker}</p> : null}
            <Heading class="story-title">
              <a href={storyPath(s.storyId)}>{s.title}</a>
            </Heading>
            {s.summary ? <p class="summary">{excerpt(s.summary, 80)}</p> : null}
            <StoryMeta story={s} />
          </div>
          <StoredImage class="thumb" assetId={s.coverAssetId} images={images} alt="" sizes={THUMB_SIZES} />
        </li>
      ))}
    </ul>
  );
}

export function EmptyState() {
  return <p class="empty">暂无稿件，敬请关注。</p>;
}
