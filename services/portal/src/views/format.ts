// China keeps UTC+8 all year (no daylight saving), so a fixed offset is exact
// and avoids depending on the ICU data a Node build happens to carry.
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

const two = (n: number): string => String(n).padStart(2, '0');

/** 2026年11月27日 14:05, Beijing time. */
export function formatDateTime(d: Date): string {
  const s = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  return `${s.getUTCFullYear()}年${s.getUTCMonth() + 1}月${s.getUTCDate()}日 ${two(s.getUTCHours())}:${two(s.getUTCMinutes())}`;
}

/** 2026年11月27日, Beijing time. */
export function formatDate(d: Date): string {
  const s = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  return `${s.getUTCFullYear()}年${s.getUTCMonth() + 1}月${s.getUTCDate()}日`;
}

/** ISO 8601 with the +08:00 offset, for `<time datetime>`, JSON-LD and news sitemaps. */
export function isoShanghai(d: Date): string {
  const s = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  return `${s.getUTCFullYear()}-${two(s.getUTCMonth() + 1)}-${two(s.getUTCDate())}T${two(s.getUTCHours())}:${two(s.getUTCMinutes())}:${two(s.getUTCSeconds())}+08:00`;
}

/** The first characters of a text, for descriptions. */
export function excerpt(text: string, max = 120): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

/** 11-27, Beijing time: the date column of dense lists. */
export function formatShortDate(d: Date): string {
  const s = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  return `${two(s.getUTCMonth() + 1)}-${two(s.getUTCDate())}`;
}
