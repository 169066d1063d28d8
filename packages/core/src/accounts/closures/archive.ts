import { parseCsv } from '../csv.js';
import { GovClosureError } from './errors.js';

/**
 * The content of a closing account, read from its feed (RSS 2.0, Atom, JSON Feed) or from an export
 * file (CSV with the columns 标题, 发布时间, 原文链接, and optionally 摘要, 正文). Pure. Every item
 * needs a title, an http(s) link (the link back) and its original date; one bad item makes the whole
 * file malformed (nothing is imported), since a half-imported archive would leave holes in redirects.
 */

export interface ArchiveItem {
  title: string;
  url: string;
  publishedAt: Date;
  summary: string;
  /** plain-text paragraphs of the body (markup removed) */
  paragraphs: string[];
}

export const ARCHIVE_MAX_ITEMS = 500;

const malformed = (detail: string): never => {
  throw new GovClosureError('GOV_CLOSURE_IMPORT_MALFORMED', detail);
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '';
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

const stripCdata = (s: string): string => s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');

/** Markup to plain paragraphs: block ends and <br> break lines, every other tag goes. */
export function plainParagraphs(html: string): string[] {
  let raw = stripCdata(html);
  // escaped markup (Atom's type="html", RSS descriptions): unescape once, then strip
  if (!/<[a-z/!]/i.test(raw) && /&lt;/i.test(raw)) raw = decodeEntities(raw);
  const text = decodeEntities(
    raw
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
      .replace(/<br\s*\/?>|<\/(p|div|h[1-6]|li|blockquote)>/gi, '\n')
      .replace(/<[^>]*>/g, ''),
  );
  return text
    .split(/\n+/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .slice(0, 200)
    .map((p) => p.slice(0, 10_000));
}

const plain = (s: string): string => plainParagraphs(s).join(' ');

function tag(xml: string, name: string): string | null {
  const m = new RegExp(
    `<${name.replace(':', '\\:')}(?:\\s[^>]*)?>([\\s\\S]*?)</${name.replace(':', '\\:')}>`,
    'i',
  ).exec(xml);
  return m ? m[1]! : null;
}

function blocks(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'gi'))].map((m) => m[1]!);
}

function atomLink(entry: string): string | null {
  for (const m of entry.matchAll(/<link\b([^>]*)\/?>/gi)) {
    const attrs = m[1]!;
    const rel = /\brel\s*=\s*["']([^"']*)["']/i.exec(attrs)?.[1] ?? 'alternate';
    const href = /\bhref\s*=\s*["']([^"']*)["']/i.exec(attrs)?.[1];
    if (href && rel === 'alternate') return decodeEntities(href);
  }
  return null;
}

interface RawItem {
  title: string | null;
  url: string | null;
  date: string | null;
  summary: string | null;
  body: string | null;
}

function check(raw: RawItem, label: string, now: number): ArchiveItem {
  const title = raw.title ? plain(raw.title).slice(0, 120) : '';
  if (!title) malformed(`${label}缺少标题`);
  const url = (raw.url ?? '').trim();
  if (!/^https?:\/\/[^\s<>"]{1,990}$/.test(url)) malformed(`${label}缺少原文链接或链接不是 http(s) 地址`);
  const at = raw.date
    ? new Date(
        raw.date
          .trim()
          .replace(
            /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})/,
            (_m, y: string, mo: string, d: string) => `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`,
          ),
      )
    : null;
  if (!at || Number.isNaN(at.getTime())) malformed(`${label}缺少发布时间或时间无法识别`);
  if (at!.getTime() > now + 3600_000) malformed(`${label}的发布时间晚于现在`);
  const paragraphs = raw.body ? plainParagraphs(raw.body) : [];
  const summary = raw.summary ? plain(raw.summary).slice(0, 500) : '';
  if (!paragraphs.length)
    return { title, url, publishedAt: at!, summary: '', paragraphs: summary ? [summary] : [title] };
  // an RSS description is often the body itself: no summary then, rather than the text twice
  return {
    title,
    url,
    publishedAt: at!,
    summary: summary === paragraphs.join(' ').slice(0, 500) ? '' : summary,
    paragraphs,
  };
}

function fromCsv(text: string, now: number): ArchiveItem[] {
  const rows = parseCsv(text);
  if (rows.length < 2) malformed('文件没有数据行');
  const header = rows[0]!.fields.map((h) => h.trim());
  const at = (names: string[]) => header.findIndex((h) => names.includes(h));
  const cols = {
    title: at(['标题', 'title']),
    date: at(['发布时间', 'date', 'published']),
    url: at(['原文链接', 'url', 'link']),
    summary: at(['摘要', 'summary']),
    body: at(['正文', 'content']),
  };
  if (cols.title < 0 || cols.date < 0 || cols.url < 0) malformed('表头应包含“标题”“发布时间”“原文链接”三列');
  return rows.slice(1).map((r) => {
    const f = (i: number) => (i >= 0 ? (r.fields[i] ?? '') : '');
    // a spreadsheet's time without a zone is Beijing time
    const date = f(cols.date).trim();
    const zoned =
      /[zZ]|[+-]\d{2}:?\d{2}$/.test(date) || !/\d{1,2}:\d{2}/.test(date) ? date : `${date.replace(' ', 'T')}+08:00`;
    return check(
      {
        title: f(cols.title),
        url: f(cols.url),
        date: /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/.test(date) ? `${date}T00:00:00+08:00` : zoned,
        summary: f(cols.summary),
        body: f(cols.body).replace(/\n/g, '<br>'),
      },
      `第 ${r.row} 行`,
      now,
    );
  });
}

function fromJson(text: string, now: number): ArchiveItem[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return malformed('JSON 格式错误');
  }
  const items = (json as { items?: unknown }).items;
  if (!Array.isArray(items)) malformed('不是 JSON Feed（缺少 items）');
  return (items as unknown[]).map((it, i) => {
    const o = (it ?? {}) as Record<string, unknown>;
    const s = (k: string): string | null => (typeof o[k] === 'string' ? (o[k] as string) : null);
    return check(
      {
        title: s('title'),
        url: s('url') ?? s('external_url'),
        date: s('date_published') ?? s('date_modified'),
        summary: s('summary'),
        body: s('content_html') ?? s('content_text')?.replace(/\n/g, '<br>') ?? null,
      },
      `第 ${i + 1} 条`,
      now,
    );
  });
}

/** Reads an archive file; throws GOV_CLOSURE_IMPORT_MALFORMED with the first problem. */
export function parseArchive(body: string, now: number = Date.now()): ArchiveItem[] {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (!text) malformed('文件是空的');
  let items: ArchiveItem[];
  if (text.startsWith('{')) items = fromJson(text, now);
  else if (text.startsWith('<')) {
    if (/<feed[\s>]/i.test(text)) {
      items = blocks(text, 'entry').map((e, i) =>
        check(
          {
            title: tag(e, 'title'),
            url: atomLink(e),
            date: tag(e, 'published') ?? tag(e, 'updated'),
            summary: tag(e, 'summary'),
            body: tag(e, 'content'),
          },
          `第 ${i + 1} 条`,
          now,
        ),
      );
    } else if (/<rss[\s>]|<rdf:RDF[\s>]/i.test(text)) {
      items = blocks(text, 'item').map((e, i) =>
        check(
          {
            title: tag(e, 'title'),
            url: tag(e, 'link') ? decodeEntities(stripCdata(tag(e, 'link')!).trim()) : null,
            date: tag(e, 'pubDate') ?? tag(e, 'dc:date'),
            summary: tag(e, 'description'),
            body: tag(e, 'content:encoded') ?? tag(e, 'description'),
          },
          `第 ${i + 1} 条`,
          now,
        ),
      );
    } else return malformed('不是 RSS、Atom、JSON Feed 或导出的 CSV 文件');
  } else items = fromCsv(text, now);
  if (items.length === 0) malformed('文件中没有可导入的内容');
  if (items.length > ARCHIVE_MAX_ITEMS) malformed(`一次最多导入 ${ARCHIVE_MAX_ITEMS} 条，请分批导入`);
  const seen = new Set<string>();
  for (const [i, it] of items.entries()) {
    if (seen.has(it.url)) malformed(`第 ${i + 1} 条与前面的内容原文链接重复`);
    seen.add(it.url);
  }
  return items;
}
