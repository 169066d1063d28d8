import { createHmac } from 'node:crypto';
import type { AnalyticsEventKind } from '@yiduan/db';
import { dayOf } from './days.js';

/**
 * One reading event as the beacon accepts it and the buffer carries it. The face (tenant) comes
 * from the Host the page was served on, never from the body; the story from the page's path.
 */
export interface RawEvent {
  /** the face's tenant */
  t: string;
  /** 'view' | 'read' | 'share' */
  k: AnalyticsEventKind;
  /** epoch ms, stamped by the server */
  at: number;
  /** story id when the page was a story page */
  s: string | null;
  /** visitor hash: a daily-salted hash of address and user agent (no cookie), as a decimal string */
  v: string;
  p: string;
  r: string | null;
  c: string | null;
}

/** Crawlers, previews, monitors and scripted clients: never counted. */
const BOT_UA =
  /bot|crawl|spider|slurp|archiver|scrap|fetch|preview|monitor|uptime|pingdom|lighthouse|headless|phantom|selenium|puppeteer|playwright|python|curl|wget|httpclient|okhttp|java\/|go-http|node-fetch|axios|libwww|facebookexternalhit|bytespider|baiduspider|yisouspider|sogou|360spider|petalbot|yandex|bingpreview|mediapartners|feedfetcher|rss/i;

export function isBot(userAgent: string | undefined): boolean {
  if (!userAgent || userAgent.length < 10) return true;
  return BOT_UA.test(userAgent);
}

const KINDS: Record<string, AnalyticsEventKind> = {
  v: 'view',
  view: 'view',
  r: 'read',
  read: 'read',
  s: 'share',
  share: 'share',
};
const STORY_PATH = /^\/a\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?#]|$)/i;
const CHANNEL = /^[a-z][a-z0-9_-]{0,19}$/;
export const MAX_EVENTS_PER_BEACON = 20;

export interface BeaconContext {
  tenantId: string;
  ip: string;
  userAgent: string;
  now: number;
  /** secret for the daily visitor salt */
  secret: string;
}

/**
 * A visitor without a cookie: HMAC(secret, day | address | user agent), 63 bits. The salt
 * changes every day, so a hash cannot follow anyone across days and reveals neither field.
 */
export function visitorHash(secret: string, day: string, ip: string, userAgent: string): string {
  const h = createHmac('sha256', secret).update(`${day}\n${ip}\n${userAgent}`).digest();
  return (h.readBigUInt64BE(0) & 0x7fff_ffff_ffff_ffffn).toString();
}

function str(v: unknown, max: number): string | null {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, max) : null;
}

/** Only the host of a referrer is kept: a full URL may carry someone's query string. */
function referrerHost(v: unknown): string | null {
  const s = str(v, 500);
  if (!s) return null;
  try {
    return new URL(s).hostname.slice(0, 120) || null;
  } catch {
    return null;
  }
}

/**
 * Parses a beacon body (JSON as text/plain or application/json: one event or an array) into
 * events; anything malformed is dropped, never an error the page would see.
 */
export function parseBeacon(body: unknown, ctx: BeaconContext): RawEvent[] {
  let value = body;
  if (typeof value === 'string') {
    if (value.length > 16_384) return [];
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  const items = Array.isArray(value) ? value.slice(0, MAX_EVENTS_PER_BEACON) : [value];
  const visitor = visitorHash(ctx.secret, dayOf(ctx.now), ctx.ip, ctx.userAgent);
  const out: RawEvent[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const rec = item as Record<string, unknown>;
    const kind = typeof rec.k === 'string' ? KINDS[rec.k] : undefined;
    const path = str(rec.p, 300);
    if (!kind || !path || !path.startsWith('/')) continue;
    const story = STORY_PATH.exec(path)?.[1]?.toLowerCase() ?? null;
    // reading completion and shares are about stories only
    if (kind !== 'view' && !story) continue;
    const channel = str(rec.c, 20);
    out.push({
      t: ctx.tenantId,
      k: kind,
      at: ctx.now,
      s: story,
      v: visitor,
      p: path,
      r: kind === 'view' ? referrerHost(rec.r) : null,
      c: kind === 'share' && channel && CHANNEL.test(channel) ? channel : null,
    });
  }
  return out;
}

/** Back from the buffer: anything that is not a well-formed event is skipped by the writer. */
export function decodeEvent(raw: string): RawEvent | null {
  try {
    const e = JSON.parse(raw) as Partial<RawEvent>;
    if (typeof e.t !== 'string' || typeof e.at !== 'number' || typeof e.v !== 'string' || typeof e.p !== 'string')
      return null;
    if (e.k !== 'view' && e.k !== 'read' && e.k !== 'share') return null;
    return {
      t: e.t,
      k: e.k,
      at: e.at,
      s: typeof e.s === 'string' ? e.s : null,
      v: e.v,
      p: e.p,
      r: e.r ?? null,
      c: e.c ?? null,
    };
  } catch {
    return null;
  }
}
