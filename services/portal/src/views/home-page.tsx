import type { HomeBlock, HomeData } from '../data/home.js';
import type { ImageMap } from '../data/images.js';
import { sectionPath, unitPath } from '../site/urls.js';
import type { FaceView } from './face-view.js';
import { FaceLayout } from './face-layout.js';
import { HeadMeta, type PageMeta } from './head-meta.js';
import { EmptyState, Headlines, StoryList } from './story-list.js';

const HEADINGS = { headlines: '头条', latest: '最新稿件', pinned: '置顶', units: '政务号', messages: '留言 / 投诉建议', follow: '关注我们' } as const;

function ModuleBody({ block, images, lead }: { block: HomeBlock; images: ImageMap; lead: boolean }) {
  switch (block.module) {
    case 'headlines':
      return <Headlines stories={block.stories} images={images} lead={lead} />;
    case 'latest':
    case 'pinned':
    case 'section':
      return block.stories.length ? <StoryList stories={block.stories} images={images} level={3} /> : <EmptyState />;
    case 'units':
      return (
        <ul class="unit-list">
          {block.units.map((u) => (
            <li key={u.slug}>
              <a href={unitPath(u.slug)}>{u.name}</a>
            </li>
          ))}
        </ul>
      );
    case 'messages':
      return (
        <p>
          有意见建议或需要反映的问题？
          <a class="button" href="/messages">
            我要留言
          </a>
        </p>
      );
    case 'follow':
      // a link, not a form: the page is cached for everyone, the follow page is per visitor
      return (
        <p>
          关注后可接收本站新闻推送，一个账号通用全省各融媒体门户。
          <a class="button" href="/follow" rel="nofollow">
            关注
          </a>
        </p>
      );
  }
}

/** Modules with nothing to show are left out, except the lists whose emptiness is news in itself. */
function shown(block: HomeBlock): boolean {
  if (block.module === 'headlines' || block.module === 'pinned') return block.stories.length > 0;
  if (block.module === 'units') return block.units.length > 0;
  return true;
}

function Module({ block, images, index, lead }: { block: HomeBlock; images: ImageMap; index: number; lead: boolean }) {
  const id = `module-${index}`;
  const heading = block.module === 'section' ? block.section.name : HEADINGS[block.module];
  return (
    <section class={`module module-${block.module}`} aria-labelledby={id}>
      <div class="module-head">
        <h2 id={id}>{heading}</h2>
        {block.module === 'section' ? (
          <a class="more" href={sectionPath(block.section.slug)} aria-label={`更多${block.section.name}稿件`}>
            更多
          </a>
        ) : null}
      </div>
      <ModuleBody block={block} images={images} lead={lead} />
    </section>
  );
}

/** The home page: the face's layout modules in order. */
export function HomePage({ face, data, meta }: { face: FaceView; data: HomeData; meta: PageMeta }) {
  const blocks = data.blocks.filter(shown);
  // only the first headlines module leads: one image per page is fetched ahead of the rest
  const lead = blocks.findIndex((b) => b.module === 'headlines');
  return (
    <FaceLayout face={face} path="/" head={<HeadMeta meta={meta} />}>
      <h1 class="sr-only">{face.siteName}</h1>
      {blocks.map((b, i) => (
        <Module key={i} block={b} images={data.images} index={i} lead={i === lead} />
      ))}
      {blocks.length === 0 ? <EmptyState /> : null}
    </FaceLayout>
  );
}
