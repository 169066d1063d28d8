import { defaultFace } from '@yiduan/core';

/**
 * Inline CSS. preact-render-to-string escapes the text of <style>, so the CSS
 * avoids the characters it would alter (quotes, ampersand, less-than).
 */
const HEX = /^#[0-9a-fA-F]{6}$/;
const THEME_KEYS = ['primary', 'accent', 'background', 'text', 'headerText'] as const;
type ThemeKey = (typeof THEME_KEYS)[number];
type SafeTheme = Record<ThemeKey, string>;

/**
 * Colours are validated on write; re-checked here because this is where they
 * enter CSS. One bad value replaces the whole theme with the platform default,
 * since mixing colours could break the contrast pairs that were validated together.
 */
export function safeTheme(theme: Record<string, unknown>): SafeTheme {
  const valid = THEME_KEYS.every((k) => typeof theme[k] === 'string' && HEX.test(theme[k]));
  return valid ? (Object.fromEntries(THEME_KEYS.map((k) => [k, theme[k]])) as SafeTheme) : defaultFace('').theme;
}

function variables(t: SafeTheme): string {
  return `:root{--primary:${t.primary};--accent:${t.accent};--bg:${t.background};--text:${t.text};--header-text:${t.headerText}}`;
}

const BASE = [
  '*,*::before,*::after{box-sizing:border-box}',
  'html{-webkit-text-size-adjust:100%}',
  'body{margin:0;background:var(--bg);color:var(--text);font:1rem/1.7 system-ui,-apple-system,PingFang SC,Hiragino Sans GB,Microsoft YaHei,sans-serif}',
  'a{color:inherit;text-underline-offset:.2em}',
  // currentColor already meets 4.5:1 against its background (checked on write), so focus stays visible everywhere
  ':focus-visible{outline:3px solid currentColor;outline-offset:2px}',
  '.skip-link{position:absolute;left:.5rem;top:-4rem;z-index:10;padding:.5rem 1rem;background:var(--bg);color:var(--text)}',
  '.skip-link:focus{top:.5rem}',
  '.sr-only{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
  '.wrap{max-width:64rem;margin:0 auto;padding:0 1rem}',
  'main{display:block;padding:1.5rem 0 2.5rem}',
  'main:focus{outline:none}',
  'h1,h2{line-height:1.3}',
];

const FACE = [
  '.site-header{background:var(--primary);color:var(--header-text);border-bottom:4px solid var(--accent)}',
  '.brand{display:flex;align-items:center;gap:.75rem;padding:.75rem 0;text-decoration:none}',
  '.brand img{height:2.5rem;width:auto}',
  '.site-name{display:block;font-size:1.375rem;font-weight:700}',
  '.tagline{display:block;font-size:.875rem}',
  '.site-nav ul{display:flex;flex-wrap:wrap;gap:0 1.25rem;margin:0;padding:0 0 .25rem;list-style:none}',
  '.site-nav a{display:inline-block;padding:.5rem 0;min-height:2.75rem;text-decoration:none;border-bottom:3px solid transparent}',
  '.site-nav a:hover,.site-nav a[aria-current=page]{border-bottom-color:var(--accent)}',
  // 登录 / 我的, or the signed-in citizen's name (routes/whoami.ts): a long name is cut, not wrapped
  '.account-link{display:inline-block;max-width:14em;padding:.5rem 0;min-height:2.75rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;vertical-align:bottom}',
  // the header's search form: drawn in currentColor, so it reads on any header colour
  '.site-search{display:inline-flex;gap:.25rem;margin-right:1rem;padding:.5rem 0;vertical-align:bottom}',
  '.site-search input{min-height:2.75rem;width:10rem;padding:.25rem .5rem;border:1px solid currentColor;font:inherit}',
  '.site-search button{min-height:2.75rem;padding:.25rem .75rem;border:1px solid currentColor;background:transparent;color:inherit;font:inherit;cursor:pointer}',
  '.module h2{margin:0 0 .75rem;padding-left:.75rem;border-left:4px solid var(--accent);font-size:1.25rem}',
  '.empty{padding:2rem 1rem;border:1px dashed currentColor;text-align:center}',
  '.site-footer{border-top:4px solid var(--primary);padding:1.5rem 0 2rem;font-size:.875rem}',
  '.site-footer p,.site-footer address{margin:.25rem 0;font-style:normal}',
  '.records{display:flex;flex-wrap:wrap;gap:.25rem 1rem}',
  // lists of stories and home modules
  '.module{margin:0 0 2rem}',
  '.module-head{display:flex;align-items:baseline;justify-content:space-between;gap:1rem}',
  '.more{display:inline-block;padding:.5rem 0;min-height:2.75rem}',
  '.story-list,.unit-list{margin:0;padding:0;list-style:none}',
  '.story-item{display:flex;gap:1rem;justify-content:space-between;padding:.75rem 0;border-bottom:1px solid var(--accent)}',
  '.story-title{margin:0;font-size:1.0625rem;line-height:1.5}',
  '.story-title a{text-decoration:none}',
  '.story-title a:hover{text-decoration:underline}',
  '.summary{margin:.25rem 0 0}',
  '.story-meta{display:flex;flex-wrap:wrap;gap:0 1rem;margin:.25rem 0 0;font-size:.875rem}',
  '.thumb{flex:none;width:7.5rem;height:5rem;object-fit:cover}',
  '.cover,.figure img{display:block;width:100%;height:auto}',
  '.unit-list{display:flex;flex-wrap:wrap;gap:.5rem}',
  '.unit-list a{display:inline-block;padding:.5rem .75rem;border:1px solid currentColor;text-decoration:none}',
  // the primary and header text colours are validated together for contrast
  '.button{display:inline-block;margin:0 .5rem;padding:.5rem 1.25rem;min-height:2.75rem;border:0;background:var(--primary);color:var(--header-text);font:inherit;text-decoration:none;cursor:pointer}',
  '.button[disabled]{cursor:not-allowed}',
  '.pagination{display:flex;flex-wrap:wrap;align-items:center;gap:1rem;margin:1.5rem 0}',
  '.pagination a{display:inline-block;padding:.5rem 1rem;border:1px solid currentColor;text-decoration:none}',
  // the home page (views/home-page.tsx, home-blocks.tsx): the lead with four beside it, dense lists, the sidebar
  '.home-top{margin:0 0 .5rem}',
  '.lead-grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1rem;margin:0 0 1rem;padding:0;list-style:none}',
  '.lead-story{grid-column:1/-1}',
  '.lead-cover,.lead-thumb{display:block;width:100%;height:auto;aspect-ratio:16/9;object-fit:cover}',
  '.lead-title{margin:.5rem 0 0;font-size:1.25rem;line-height:1.4}',
  '.lead-more-title{margin:.375rem 0 0;font-size:.9375rem;line-height:1.5;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}',
  '.lead-more .story-meta{font-size:.8125rem}',
  '.lead-title a,.lead-more-title a,.dense-title,.rank-list a{text-decoration:none}',
  '.lead-title a:hover,.lead-more-title a:hover,.dense-title:hover,.rank-list a:hover{text-decoration:underline}',
  '.dense-list,.rank-list{margin:0;padding:0;list-style:none}',
  '.dense-item{display:flex;align-items:baseline;gap:.75rem;padding:.375rem 0;border-bottom:1px solid var(--accent)}',
  '.dense-title{flex:1 1 auto;min-width:0}',
  '.dense-meta{flex:none;display:flex;gap:.5rem;font-size:.8125rem}',
  '.rank-list{counter-reset:rank}',
  '.rank-list li{counter-increment:rank;display:flex;align-items:baseline;gap:.625rem;padding:.375rem 0;border-bottom:1px solid var(--accent)}',
  // the number: text on the page colour, the first three in the header pair (validated together for contrast)
  '.rank-list li::before{content:counter(rank);flex:none;min-width:1.5rem;border:2px solid var(--accent);font-size:.875rem;font-weight:700;line-height:1.375rem;text-align:center}',
  '.rank-list li:nth-child(-n+3)::before{border-color:var(--primary);background:var(--primary);color:var(--header-text)}',
  '.section-grid{display:grid;gap:0 2rem}',
  '@media (min-width:48rem){.lead-grid{grid-template-columns:minmax(0,3fr) repeat(2,minmax(0,1fr))}.lead-story{grid-column:auto;grid-row:span 2}.lead-thumb{aspect-ratio:4/3}.lead-title{font-size:1.5rem}.section-grid{grid-template-columns:repeat(2,minmax(0,1fr))}.dense-title{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}}',
  '@media (min-width:60rem){.home-columns{display:grid;grid-template-columns:minmax(0,1fr) 18rem;gap:2.5rem}}',
  // a story
  '.breadcrumb ol{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem;padding:0;list-style:none;font-size:.875rem}',
  '.breadcrumb li+li{padding-left:.75rem;border-left:1px solid currentColor}',
  '.story h1,.page-title{margin:0 0 .5rem;font-size:1.625rem}',
  '.subtitle{margin:0 0 .5rem;font-size:1.125rem}',
  // 引题 sits above the headline, smaller and in the face's accent
  '.kicker{margin:0 0 .25rem;font-size:.9375rem;color:var(--primary)}',
  '.story-header{margin:0 0 1.25rem;padding:0 0 .75rem;border-bottom:1px solid var(--accent)}',
  '.story-body{font-size:1.0625rem}',
  '.story-body h2{font-size:1.25rem}',
  '.story-body h3{font-size:1.125rem}',
  '.lede{font-weight:600}',
  '.figure{margin:1.25rem 0}',
  '.figure video{display:block;width:100%;height:auto;background:var(--text)}',
  '.video-player.vertical video{max-width:360px;margin:0 auto}',
  'figcaption{margin:.5rem 0 0;font-size:.875rem}',
  'blockquote{margin:1.25rem 0;padding:.25rem 0 .25rem 1rem;border-left:4px solid var(--accent)}',
  '.link-card a{display:block;padding:.75rem 1rem;border:1px solid currentColor;text-decoration:none}',
  '.link-card-title{display:block;font-weight:600}',
  '.link-card-host{display:block;font-size:.875rem}',
  '.corrections,.notice{margin:1rem 0;padding:.75rem 1rem;border:2px solid var(--accent)}',
  '.corrections h2{margin:0;font-size:1.125rem}',
  '.corrections ul{margin:.5rem 0 0;padding-left:1.25rem}',
  '.tags{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:1.5rem 0 0}',
  '.tag{display:inline-block;padding:.25rem .75rem;border:1px solid currentColor;text-decoration:none}',
  '@media (min-width:48rem){.story h1,.page-title{font-size:2rem}.thumb{width:10rem;height:6.5rem}}',
  '@media (min-width:48rem){.header-inner{display:flex;align-items:flex-end;justify-content:space-between;gap:2rem}.site-nav ul{padding:0}.site-name{font-size:1.625rem}}',
];

export function faceCss(theme: Record<string, unknown>): string {
  return [variables(safeTheme(theme)), ...BASE, ...FACE].join('\n');
}

/** The platform's own neutral look, for pages that belong to no face. */
export function platformCss(): string {
  const t: SafeTheme = {
    primary: '#24292f',
    accent: '#57606a',
    background: '#f6f8fa',
    text: '#1f2328',
    headerText: '#ffffff',
  };
  return [
    variables(t),
    ...BASE,
    '.platform{max-width:36rem;margin:15vh auto 0;padding:0 1rem}',
    '.platform h1{font-size:1.5rem}',
    '.reference{font-size:.875rem;color:var(--accent)}',
  ].join('\n');
}
