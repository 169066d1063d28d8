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
  /** 'view' | 'read' | 'share', or the player's 'play' | 'watch' | 'end' */
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
  /** video events: the video id */
  i?: string;
  /** video events: milliseconds watched since the player's previous event */
  w?: number;
  /** video events: the furthest fraction of the video reached so far (0–1) */
  f?: number;
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
/** The face player's events (services/portal video-script.ts): validated strictly, see readBeacon. */
const VIDEO_KINDS: Record<string, AnalyticsEventKind> = { play: 'play', watch: 'watch', end: 'end' };
export const isVideoKind = (k: AnalyticsEventKind): boolean => k === 'play' || k === 'watch' || k === 'end';
/** one beacon never reports more than ten minutes watched (the player sends every 15 s and on pause) */
export const MAX_WATCH_MS = 600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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

/** A beacon as read: its events, or why it was refused (nothing of a refused beacon is kept). */
export type BeaconReading = { ok: true; events: RawEvent[] } | { ok: false; reason: string };

/** A video event's fields, or why they are wrong. */
function videoFields(
  kind: AnalyticsEventKind,
  rec: Record<string, unknown>,
  story: string | null,
): { i: string; w: number; f: number } | string {
  if (!story) return 'a video event belongs to a story page (/a/<id>)';
  const id = rec.i;
  if (typeof id !== 'string' || !UUID.test(id)) return 'i: the video id (a UUID)';
  const w = rec.w ?? (kind === 'play' ? 0 : undefined);
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > MAX_WATCH_MS)
    return `w: milliseconds watched, an integer 0–${MAX_WATCH_MS}`;
  const f = rec.f ?? (kind === 'play' ? 0 : undefined);
  if (typeof f !== 'number' || !Number.isFinite(f) || f < 0 || f > 1) return 'f: the fraction reached, 0–1';
  if (kind === 'end' && f < 0.9) return 'f: an end event reaches at least 0.9';
  return { i: id.toLowerCase(), w, f: Math.round(f * 10_000) / 10_000 };
}

/**
 * Reads a beacon body (JSON as text/plain or application/json: one event or an array). Reading
 * events (view, read, share) keep the page-view contract: anything malformed among them is dropped
 * silently. The video player's events (play, watch, end) are validated strictly: one malformed
 * video event refuses the whole beacon (the endpoint answers 400 and buffers nothing), so a broken
 * or forged player shows at once instead of skewing watch time.
 */
export function readBeacon(body: unknown, ctx: BeaconContext): BeaconReading {
  let value = body;
  if (typeof value === 'string') {
    if (value.length > 16_384) return { ok: true, events: [] };
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: true, events: [] };
    }
  }
  const items = Array.isArray(value) ? value.slice(0, MAX_EVENTS_PER_BEACON) : [value];
  const visitor = visitorHash(ctx.secret, dayOf(ctx.now), ctx.ip, ctx.userAgent);
  const out: RawEvent[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const rec = item as Record<string, unknown>;
    const videoKind = typeof rec.k === 'string' ? VIDEO_KINDS[rec.k] : undefined;
    const kind = videoKind ?? (typeof rec.k === 'string' ? KINDS[rec.k] : undefined);
    const path = str(rec.p, 300);
    if (videoKind && (!path || !path.startsWith('/'))) return { ok: false, reason: 'p: the page path' };
    if (!kind || !path || !path.startsWith('/')) continue;
    const story = STORY_PATH.exec(path)?.[1]?.toLowerCase() ?? null;
    if (videoKind) {
      const v = videoFields(videoKind, rec, story);
      if (typeof v === 'string') return { ok: false, reason: v };
      out.push({ t: ctx.tenantId, k: videoKind, at: ctx.now, s: story, v: visitor, p: path, r: null, c: null, ...v });
      continue;
    }
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
  return { ok: true, events: out };
}

/** The events of a beacon; a refused beacon gives none (see readBeacon). */
export function parseBeacon(body: unknown, ctx: BeaconContext): RawEvent[] {
  const r = readBeacon(body, ctx);
  return r.ok ? r.events : [];
}

/** Back from the buffer: anything that is not a well-formed event is skipped by the writer. */
export function decodeEvent(raw: string): RawEvent | null {
  try {
    const e = JSON.parse(raw) as Partial<RawEvent>;
    if (typeof e.t !== 'string' || typeof e.at !== 'number' || typeof e.v !== 'string' || typeof e.p !== 'string')
      return null;
    if (e.k !== 'view' && e.k !== 'read' && e.k !== 'share' && e.k !== 'play' && e.k !== 'watch' && e.k !== 'end')
      return null;
    if (isVideoKind(e.k)) {
      if (typeof e.i !== 'string' || !UUID.test(e.i) || typeof e.s !== 'string') return null;
      if (typeof e.w !== 'number' || !(e.w >= 0 && e.w <= MAX_WATCH_MS)) return null;
      if (typeof e.f !== 'number' || !(e.f >= 0 && e.f <= 1)) return null;
      return { t: e.t, k: e.k, at: e.at, s: e.s, v: e.v, p: e.p, r: null, c: null, i: e.i, w: Math.round(e.w), f: e.f };
    }
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
