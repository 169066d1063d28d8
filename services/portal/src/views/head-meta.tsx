import { isoShanghai } from './format.js';

/** What a page tells search engines and link previews about itself. All URLs absolute. */
export interface PageMeta {
  canonical: string;
  title: string;
  description: string;
  siteName: string;
  type: 'website' | 'article';
  image?: string | null;
  prev?: string | null;
  next?: string | null;
  feed?: { title: string; href: string } | null;
  article?: { publishedAt: Date; modifiedAt: Date; tags: string[] };
  jsonLd?: Record<string, unknown>;
}

/**
 * JSON inside <script> ends at the first `</script`, whatever the JSON says;
 * escaping `<` (and `>`, `&`, the JS line separators) keeps stored text from
 * ever closing the element. The parsed JSON is unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function HeadMeta({ meta: m }: { meta: PageMeta }) {
  const card = m.image ? 'summary_large_image' : 'summary';
  return (
    <>
      <link rel="canonical" href={m.canonical} />
      {m.prev ? <link rel="prev" href={m.prev} /> : null}
      {m.next ? <link rel="next" href={m.next} /> : null}
      {m.feed ? <link rel="alternate" type="application/rss+xml" title={m.feed.title} href={m.feed.href} /> : null}
      <meta property="og:type" content={m.type} />
      <meta property="og:site_name" content={m.siteName} />
      <meta property="og:locale" content="zh_CN" />
      <meta property="og:title" content={m.title} />
      <meta property="og:description" content={m.description} />
      <meta property="og:url" content={m.canonical} />
      {m.image ? <meta property="og:image" content={m.image} /> : null}
      {m.article ? <meta property="article:published_time" content={isoShanghai(m.article.publishedAt)} /> : null}
      {m.article ? <meta property="article:modified_time" content={isoShanghai(m.article.modifiedAt)} /> : null}
      {m.article?.tags.map((t) => (
        <meta key={t} property="article:tag" content={t} />
      ))}
      <meta name="twitter:card" content={card} />
      <meta name="twitter:title" content={m.title} />
      <meta name="twitter:description" content={m.description} />
      {m.image ? <meta name="twitter:image" content={m.image} /> : null}
      {/* the one place stored text goes into raw markup: serialised by jsonForScript */}
      {m.jsonLd ? (
        <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonForScript(m.jsonLd) }} />
      ) : null}
    </>
  );
}
