/**
 * The search form of every face's header. Its look lives in the face stylesheet
 * (`.site-search` in styles.ts), drawn in currentColor so it reads on any header colour.
 */
export function SearchBox() {
  return (
    <form class="site-search" role="search" action="/search" method="get">
      <label class="sr-only" for="site-search-q">
        搜索本站稿件
      </label>
      <input id="site-search-q" type="search" name="q" maxLength={100} placeholder="搜索稿件" />
      <button type="submit">搜索</button>
    </form>
  );
}
