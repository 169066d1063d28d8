import type { HighlightPart, SearchHit, SearchResult } from '@yiduan/core';
import { storyPath } from '../site/urls.js';
import type { FaceView } from './face-view.js';
import { FaceLayout } from './face-layout.js';
import { formatDateTime, isoShanghai } from './format.js';

// preact escapes <style> text: no quotes, ampersands or less-than signs in here
const SEARCH_CSS = [
  '.search-form{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem}',
  '.search-form input{flex:1 1 16rem;min-height:2.75rem;padding:.25rem .75rem;border:1px solid currentColor;font:inherit}',
  '.search-count{margin:0 0 .5rem}',
  // a fixed pair, legible whatever the face colours
  'mark{background:#ffe082;color:#1f2328;padding:0 .05em}',
].join('\n');

export const searchPath = (query: string, page = 1): string =>
  `/search?q=${encodeURIComponent(query)}${page > 1 ? `&page=${page}` : ''}`;

/** Highlighted parts as text nodes and <mark> elements: stored text never becomes markup. */
export function Marked({ parts }: { parts: HighlightPart[] }) {
  return <>{parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : p.text))}</>;
}

function Hit({ hit }: { hit: SearchHit }) {
  return (
    <li class="story-item">
      <div class="story-text">
        <h2 class="story-title">
          <a href={storyPath(hit.storyId)}>
            <Marked parts={hit.titleParts} />
          </a>
        </h2>
        {hit.snippet.length ? (
          <p class="summary">
            <Marked parts={hit.snippet} />
          </p>
        ) : null}
        <p class="story-meta">
          <time dateTime={isoShanghai(hit.publishedAt)}>{formatDateTime(hit.publishedAt)}</time>
          {hit.own ? null : <span class="source">来源：{hit.origin.name}</span>}
        </p>
      </div>
    </li>
  );
}

function Pages({ result }: { result: SearchResult }) {
  if (result.pages <= 1) return null;
  const { page, pages, query } = result;
  return (
    <nav class="pagination" aria-label="分页">
      {page > 1 ? (
        <a href={searchPath(query, page - 1)} rel="prev">
          上一页
        </a>
      ) : null}
      <span aria-current="page">
        第 {page} / {pages} 页
      </span>
      {page < pages ? (
        <a href={searchPath(query, page + 1)} rel="next">
          下一页
        </a>
      ) : null}
    </nav>
  );
}

/** 10,000 rather than 10000: the capped total reads as a round figure */
const count = (n: number): string => n.toLocaleString('en-US');

function Results({ result }: { result: SearchResult }) {
  if (result.total === 0) return <p class="empty">没有找到相关稿件</p>;
  return (
    <>
      <p class="search-count" role="status">
        {result.totalIsCapped ? `找到约 ${count(result.total)}+ 条结果` : `共找到 ${count(result.total)} 条结果`}
      </p>
      {result.listed < result.total ? (
        <p class="notice">结果较多，只列出其中最新的 {count(result.listed)} 条；增加关键词可缩小范围。</p>
      ) : null}
      <ol class="story-list">
        {result.hits.map((h) => (
          <Hit key={h.storyId} hit={h} />
        ))}
      </ol>
      <Pages result={result} />
    </>
  );
}

export interface SearchPageProps {
  face: FaceView;
  /** what the visitor typed (shown back in the form) */
  query: string;
  /** null: nothing to search for yet */
  result: SearchResult | null;
  /** the page asked for lies past the listed matches */
  beyond?: boolean;
}

/** 搜索: the face's stories matching the query, highlighted, ten a page; never indexed by search engines. */
export function SearchPage({ face, query, result, beyond = false }: SearchPageProps) {
  const heading = result && result.query ? `搜索：${result.query}` : '搜索';
  const title = result && result.page > 1 ? `${heading}（第 ${result.page} 页）` : heading;
  return (
    <FaceLayout
      face={face}
      title={title}
      path="/search"
      head={
        <>
          <meta name="robots" content="noindex" />
          <style>{SEARCH_CSS}</style>
        </>
      }
    >
      <h1 class="page-title">搜索</h1>
      <form class="search-form" role="search" action="/search" method="get">
        <label class="sr-only" for="search-q">
          搜索关键词
        </label>
        <input
          id="search-q"
          type="search"
          name="q"
          value={query}
          maxLength={100}
          placeholder="输入关键词，如地名、人名"
        />
        <button class="button" type="submit">
          搜索
        </button>
      </form>
      {result?.truncated ? <p class="notice">搜索词过长，只按前 100 个字搜索。</p> : null}
      {beyond && result ? (
        <p class="notice" role="status">
          没有第 {result.page} 页：搜索结果最多列出 {result.pages} 页
          {result.listed < result.total ? `（最新的 ${count(result.listed)} 条）` : ''}，请返回
          <a href={searchPath(result.query)}>第 1 页</a>或增加关键词缩小范围。
        </p>
      ) : result?.searched ? (
        <Results result={result} />
      ) : (
        <p>请输入要搜索的关键词。</p>
      )}
    </FaceLayout>
  );
}
