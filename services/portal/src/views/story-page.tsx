import type { LiveStory } from '../data/story.js';
import { CommentList, FORM_CSS } from '../citizen/views.js';
import { sectionPath, storyPath, tagPath } from '../site/urls.js';
import { hostOf, StoryBlocks } from './blocks.js';
import type { FaceView } from './face-view.js';
import { FaceLayout } from './face-layout.js';
import { formatDate, formatDateTime, isoShanghai } from './format.js';
import { HeadMeta, type PageMeta } from './head-meta.js';
import { StoredImage } from './image.js';
import { safeWebUrl } from './safe-blocks.js';

/** 来源 for a placed story, 转载自 for a detached copy; both link to the original. */
function Attribution({ data }: { data: LiveStory }) {
  const { story } = data;
  if (!story.own) {
    return (
      <span class="source">
        来源：{data.originUrl ? <a href={data.originUrl}>{story.origin.name}</a> : story.origin.name}
      </span>
    );
  }
  if (story.copiedFrom) {
    return (
      <span class="source">
        转载自：{data.copiedFromUrl ? <a href={data.copiedFromUrl}>{story.copiedFrom.name}</a> : story.copiedFrom.name}
      </span>
    );
  }
  return null;
}

function Corrections({ items }: { items: LiveStory['story']['corrections'] }) {
  if (items.length === 0) return null;
  return (
    <aside class="corrections" aria-labelledby="corrections-heading">
      <h2 id="corrections-heading">更正</h2>
      <ul>
        {items.map((c, i) => (
          <li key={i}>
            <time dateTime={isoShanghai(c.createdAt)}>{formatDate(c.createdAt)}</time>：{c.note}
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** A link story shows a card to its target rather than redirecting: attribution and corrections stay visible. */
function LinkCard({ url }: { url: string | null }) {
  const href = safeWebUrl(url);
  if (!href) return null;
  return (
    <p class="link-card">
      <a href={href} rel="noopener noreferrer">
        <span class="link-card-title">阅读原文</span>
        <span class="link-card-host">{hostOf(href)}</span>
      </a>
    </p>
  );
}

export function StoryPage({ face, data, meta }: { face: FaceView; data: LiveStory; meta: PageMeta }) {
  const { story, section, images } = data;
  const cover = story.coverAssetId;
  return (
    <FaceLayout
      face={face}
      title={story.title}
      description={meta.description}
      path={section ? sectionPath(section.slug) : null}
      head={
        <>
          <HeadMeta meta={meta} />
          <style>{FORM_CSS}</style>
        </>
      }
    >
      <nav class="breadcrumb" aria-label="当前位置">
        <ol>
          <li>
            <a href="/">首页</a>
          </li>
          {section ? (
            <li>
              <a href={sectionPath(section.slug)}>{section.name}</a>
            </li>
          ) : null}
        </ol>
      </nav>
      <article class="story">
        <header class="story-header">
          {story.kicker ? <p class="kicker">{story.kicker}</p> : null}
          <h1>{story.title}</h1>
          {story.subtitle ? <p class="subtitle">{story.subtitle}</p> : null}
          <p class="story-meta">
            {story.authorLine ? <span>{story.authorLine}</span> : null}
            <time dateTime={isoShanghai(story.publishedAt)}>{formatDateTime(story.publishedAt)}</time>
            <Attribution data={data} />
          </p>
        </header>
        <Corrections items={story.corrections} />
        {cover && images.has(cover) ? (
          <figure class="figure cover">
            <StoredImage assetId={cover} images={images} alt={images.get(cover)?.alt || story.title} priority />
          </figure>
        ) : null}
        {story.summary ? <p class="lede">{story.summary}</p> : null}
        {story.kind === 'link' ? <LinkCard url={story.linkUrl} /> : null}
        <div class="story-body">
          <StoryBlocks blocks={data.body} images={images} videos={data.videos} />
        </div>
        {story.tags.length ? (
          <p class="tags">
            标签：
            {story.tags.map((t) => (
              <a key={t} class="tag" href={tagPath(t)}>
                {t}
              </a>
            ))}
          </p>
        ) : null}
      </article>
      <CommentList comments={data.comments} storyPath={storyPath(story.storyId)} />
    </FaceLayout>
  );
}
