/**
 * The search form of every face's header. Styled inline: the face stylesheet
 * belongs to the layout, and the form must look right on any header colour.
 */
export function SearchBox() {
  return (
    <form class="site-search" role="search" action="/search" method="get" style="display:flex;gap:.25rem;padding:.5rem 0">
      <label class="sr-only" for="site-search-q">
        搜索本站稿件
      </label>
      <input id="site-search-q" type="search" name="q" maxLength={100} placeholder="搜索稿件" style="min-height:2.75rem;width:10rem;padding:.25rem .5rem;border:1px solid currentColor;font:inherit" />
      <button type="submit" style="min-height:2.75rem;padding:.25rem .75rem;border:1px solid currentColor;background:transparent;color:inherit;font:inherit;cursor:pointer">
        搜索
      </button>
    </form>
  );
}
