import { pagedPath } from '../site/urls.js';

export interface PageLinks {
  prev: string | null;
  next: string | null;
}

export function pageLinks(path: string, page: number, pages: number): PageLinks {
  return { prev: page > 1 ? pagedPath(path, page - 1) : null, next: page < pages ? pagedPath(path, page + 1) : null };
}

export function Pagination({ path, page, pages }: { path: string; page: number; pages: number }) {
  if (pages <= 1) return null;
  const { prev, next } = pageLinks(path, page, pages);
  return (
    <nav class="pagination" aria-label="分页">
      {prev ? (
        <a href={prev} rel="prev">
          上一页
        </a>
      ) : null}
      <span aria-current="page">
        第 {page} / {pages} 页
      </span>
      {next ? (
        <a href={next} rel="next">
          下一页
        </a>
      ) : null}
    </nav>
  );
}
