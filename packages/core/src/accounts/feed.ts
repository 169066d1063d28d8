/**
 * What an account's public feed says about its activity: the newest item's date and how many
 * items the feed carries. RSS 2.0 (item/pubDate, dc:date), Atom (entry/updated, published) and
 * JSON Feed 1.x (items[].date_modified, date_published). Pure: the worker fetches, this reads.
 * Only dates are read, never markup, so a tag-level scan is enough; dates in the future are ignored
 * (a clock or a scheduled post must not make a silent account look alive).
 */

export interface FeedActivity {
  kind: 'rss' | 'atom' | 'json';
  /** the newest item's date; null when the feed has items with no usable date, or none */
  latest: Date | null;
  items: number;
}

export class FeedUnreadable extends Error {
  override name = 'FeedUnreadable';
}

const stripCdata = (s: string): string => s.replace(/^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/, '$1').trim();

function tagValues(xml: string, tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const re = new RegExp(`<${tag.replace(':', '\\:')}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag.replace(':', '\\:')}>`, 'gi');
    for (const m of xml.matchAll(re)) out.push(stripCdata(m[1]!));
  }
  return out;
}

function blocks(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'gi'))].map((m) => m[1]!);
}

const parseDate = (s: string): Date | null => {
  const d = new Date(s.trim());
  return Number.isNaN(d.getTime()) ? null : d;
};

function newest(dates: (Date | null)[], now: number): Date | null {
  let best: Date | null = null;
  for (const d of dates) {
    if (!d || d.getTime() > now + 3600_000) continue;
    if (!best || d > best) best = d;
  }
  return best;
}

export function parseFeed(body: string, now: number = Date.now()): FeedActivity {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (text.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new FeedUnreadable('JSON 格式错误');
    }
    const items = (json as { items?: unknown }).items;
    if (!Array.isArray(items)) throw new FeedUnreadable('不是 JSON Feed（缺少 items）');
    const dates = items.map((it: unknown) => {
      const o = (it ?? {}) as { date_modified?: unknown; date_published?: unknown };
      const ds = [o.date_modified, o.date_published].filter((v): v is string => typeof v === 'string').map(parseDate);
      return newest(ds, now);
    });
    return { kind: 'json', latest: newest(dates, now), items: items.length };
  }
  if (!text.startsWith('<')) throw new FeedUnreadable('不是 RSS、Atom 或 JSON Feed');
  if (/<feed[\s>]/i.test(text)) {
    const entries = blocks(text, 'entry');
    const dates = entries.map((e) => newest(tagValues(e, ['updated', 'published']).map(parseDate), now));
    return { kind: 'atom', latest: newest(dates, now), items: entries.length };
  }
  if (/<rss[\s>]|<rdf:RDF[\s>]/i.test(text)) {
    const items = blocks(text, 'item');
    const dates = items.map((e) => newest(tagValues(e, ['pubDate', 'dc:date']).map(parseDate), now));
    return { kind: 'rss', latest: newest(dates, now), items: items.length };
  }
  throw new FeedUnreadable('不是 RSS、Atom 或 JSON Feed');
}
