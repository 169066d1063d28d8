import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { feedsDue, FeedUnreadable, parseFeed, recordFeedReading, SYSTEM_ACTOR, type FeedReading } from '@yiduan/core';
import { withPlatform, withTenant, type DB } from '@yiduan/db';
import type { Logger } from '../handlers.js';

/**
 * Reads the public feeds (RSS, Atom, JSON Feed) of registered government accounts and moves their
 * last update forward (docs/accounts.md). Each account is read at most once per `everyMs`, the
 * least recently read first; a feed that cannot be fetched or read keeps a Chinese reason on the
 * account and is tried again next round. The fetch is bounded (time and size): a slow or huge
 * feed cannot hold the worker.
 */
export interface AccountFeedOptions {
  db: DB;
  log: Logger;
  /** how often one account's feed is read (default 6 hours) */
  everyMs?: number;
  /** accounts per round (default 50) */
  batch?: number;
  /** per request (default 10 s) */
  timeoutMs?: number;
  /** largest body read (default 2 MB) */
  maxBytes?: number;
  now?: () => number;
  fetch?: typeof fetch;
  /** read feeds on loopback and private addresses too (tests' fake feed server); default false */
  allowPrivateHosts?: boolean;
}

/** Loopback, private, link-local (cloud metadata) and unspecified addresses: never fetched for a tenant's URL. */
export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 6) {
    const v = ip.toLowerCase();
    if (v.startsWith('::ffff:')) return isPrivateAddress(v.slice(7));
    return v === '::1' || v === '::' || /^f[cd]/.test(v) || /^fe[89ab]/.test(v);
  }
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/**
 * A tenant's feed URL must not reach the platform's own network (databases, metadata services).
 * Checked on the resolved addresses before the request; redirects are not followed, for the same reason.
 */
async function publicHost(url: string): Promise<boolean> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  return addresses.length > 0 && !addresses.some(isPrivateAddress);
}

async function readBody(res: Response, maxBytes: number): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw new FeedUnreadable('订阅内容过大');
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

async function readOne(
  url: string,
  o: Required<Pick<AccountFeedOptions, 'timeoutMs' | 'maxBytes' | 'fetch' | 'allowPrivateHosts'>>,
  now: number,
): Promise<FeedReading> {
  try {
    if (!o.allowPrivateHosts && !(await publicHost(url))) return { ok: false, error: '订阅地址指向内部网络，不予读取' };
    const res = await o.fetch(url, {
      signal: AbortSignal.timeout(o.timeoutMs),
      redirect: 'manual',
      headers: {
        accept:
          'application/rss+xml, application/atom+xml, application/feed+json, application/json, text/xml;q=0.9, */*;q=0.5',
        'user-agent': 'yiduan-account-feeds/1',
      },
    });
    if (res.status >= 300 && res.status < 400)
      return { ok: false, error: `订阅地址已跳转（${res.status}），请填写跳转后的地址` };
    if (!res.ok) return { ok: false, error: `订阅地址返回 ${res.status}` };
    const feed = parseFeed(await readBody(res, o.maxBytes), now);
    return { ok: true, latest: feed.latest, items: feed.items };
  } catch (err) {
    if (err instanceof FeedUnreadable) return { ok: false, error: `无法读取订阅：${err.message}` };
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
      return { ok: false, error: '订阅地址响应超时' };
    return { ok: false, error: '无法连接订阅地址' };
  }
}

/** One round: the accounts due, read one after another (a round is small; feeds are many hosts). */
export async function readAccountFeeds(opts: AccountFeedOptions): Promise<{ read: number; failed: number }> {
  const now = opts.now?.() ?? Date.now();
  const o = {
    timeoutMs: opts.timeoutMs ?? 10_000,
    maxBytes: opts.maxBytes ?? 2 * 1024 * 1024,
    fetch: opts.fetch ?? fetch,
    allowPrivateHosts: opts.allowPrivateHosts ?? false,
  };
  const due = await withPlatform(opts.db, (trx) =>
    feedsDue(trx, new Date(now - (opts.everyMs ?? 6 * 3600_000)), opts.batch ?? 50),
  );
  let failed = 0;
  for (const account of due) {
    const reading = await readOne(account.feed_url, o, now);
    if (!reading.ok) failed++;
    // written in the account's own tenant scope, as a request of that tenant would
    await withTenant(opts.db, account.tenant_id, (trx) =>
      recordFeedReading(trx, SYSTEM_ACTOR, account.tenant_id, account.id, reading, new Date(now)),
    );
  }
  if (due.length) opts.log.info({ read: due.length, failed }, 'account feeds read');
  return { read: due.length, failed };
}

/** Runs a round every `intervalMs` (default 10 minutes) until stopped. */
export function startAccountFeeds(opts: AccountFeedOptions & { intervalMs?: number }): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running
      .then(() => readAccountFeeds(opts))
      .catch((err: unknown) => opts.log.warn({ err }, 'account feeds: round failed; retried next round'));
  };
  const timer = setInterval(tick, opts.intervalMs ?? 600_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
