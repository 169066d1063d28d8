import type { MostRead } from '@yiduan/core';
import type { HomeBlock, HomeData } from '../data/home.js';
import type { ImageMap } from '../data/images.js';
import { sectionPath, unitPath } from '../site/urls.js';
import type { FaceView } from './face-view.js';
import { FaceLayout } from './face-layout.js';
import { HeadMeta, type PageMeta } from './head-meta.js';
import { DenseList, LeadStories, MostReadBlock } from './home-blocks.js';
import { EmptyState, StoryList } from './story-list.js';

const HEADINGS = {
  headlines: '头条',
  latest: '最新稿件',
  pinned: '置顶',
  units: '政务号',
  messages: '留言 / 投诉建议',
  follow: '关注我们',
} as const;

/** Modules that are services rather than news: they go to the sidebar, under 阅读排行. */
const SIDEBAR = new Set<HomeBlock['module']>(['units', 'messages', 'follow']);

function ModuleBody({ block, images, lead }: { block: HomeBlock; images: ImageMap; lead: boolean }) {
  switch (block.module) {
    case 'headlines':
      return <LeadStories stories={block.stories} images={images} lead={lead} />;
    case 'pinned':
      return <StoryList stories={block.stories} images={images} level={3} />;
    case 'latest':
    case 'section':
      return block.stories.length ? <DenseList stories={block.stories} /> : <EmptyState />;
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

interface Placed {
  block: HomeBlock;
  /** its place in the layout: the heading's id */
  index: number;
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

/** Runs of consecutive section modules side by side (two columns on wide screens); other modules one by one. */
function MainColumn({ placed, images, leadIndex }: { placed: Placed[]; images: ImageMap; leadIndex: number }) {
  const groups: Placed[][] = [];
  for (const p of placed) {
    const last = groups[groups.length - 1];
    if (p.block.module === 'section' && last?.[0]?.block.module === 'section') last.push(p);
    else groups.push([p]);
  }
  return (
    <>
      {groups.map((g) =>
        g.length > 1 ? (
          <div key={g[0]!.index} class="section-grid">
            {g.map((p) => (
              <Module key={p.index} block={p.block} images={images} index={p.index} lead={false} />
            ))}
          </div>
        ) : (
          <Module
            key={g[0]!.index}
            block={g[0]!.block}
            images={images}
            index={g[0]!.index}
            lead={g[0]!.index === leadIndex}
          />
        ),
      )}
    </>
  );
}

/**
 * The home page, as a county portal reader expects it: the top headlines (a lead story large,
 * four smaller beside it), then two columns on wide screens: the news (latest, sections as dense
 * lists) and a sidebar (阅读排行, then the service modules: units, messages, follow). One column
 * on phones, in the same order. The face's layout decides which modules and in what order;
 * modules before the first headlines stay above it.
 */
export function HomePage({
  face,
  data,
  meta,
  mostRead = [],
}: {
  face: FaceView;
  data: HomeData;
  meta: PageMeta;
  mostRead?: MostRead[];
}) {
  const placed = data.blocks.map((block, index) => ({ block, index })).filter((p) => shown(p.block));
  // only the first headlines module leads: one image per page is fetched ahead of the rest
  const leadIndex = placed.find((p) => p.block.module === 'headlines')?.index ?? -1;
  const topEnd = leadIndex >= 0 ? placed.findIndex((p) => p.index === leadIndex) + 1 : 0;
  const top = placed.slice(0, topEnd).filter((p) => !SIDEBAR.has(p.block.module));
  const main = placed.slice(topEnd).filter((p) => !SIDEBAR.has(p.block.module));
  const side = placed.filter((p) => SIDEBAR.has(p.block.module));
  const hasSide = side.length > 0 || mostRead.length > 0;
  return (
    <FaceLayout face={face} path="/" head={<HeadMeta meta={meta} />}>
      <h1 class="sr-only">{face.siteName}</h1>
      {top.length ? (
        <div class="home-top">
          <MainColumn placed={top} images={data.images} leadIndex={leadIndex} />
        </div>
      ) : null}
      <div class={hasSide ? 'home-columns' : undefined}>
        <div class="home-main">
          <MainColumn placed={main} images={data.images} leadIndex={leadIndex} />
        </div>
        {hasSide ? (
          <div class="home-side">
            {mostRead.length ? <MostReadBlock stories={mostRead} /> : null}
            {side.map((p) => (
              <Module key={p.index} block={p.block} images={data.images} index={p.index} lead={false} />
            ))}
          </div>
        ) : null}
      </div>
      {placed.length === 0 ? <EmptyState /> : null}
    </FaceLayout>
  );
}
