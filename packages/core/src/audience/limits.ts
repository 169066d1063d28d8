import { createMemoryCache, type Cache } from '@yiduan/cache';
import { DomainError, type ErrorCode } from '../errors.js';

/**
 * Abuse limits, counted in the cache (Redis in production, so they hold across
 * every process). Each rule is a fixed window: at most `limit` events per key.
 */
export interface LimitRule {
  key: string;
  limit: number;
  windowSeconds: number;
}

export const AUDIENCE_LIMITS = {
  codePerDestination: { limit: 1, windowSeconds: 60 },
  codePerDestinationHour: { limit: 5, windowSeconds: 3600 },
  codePerIp: { limit: 20, windowSeconds: 3600 },
  signupPerIp: { limit: 10, windowSeconds: 3600 },
  loginFailuresPerAccount: { limit: 5, windowSeconds: 15 * 60 },
  loginFailuresPerIp: { limit: 30, windowSeconds: 15 * 60 },
  commentsPerCitizen: { limit: 5, windowSeconds: 60 },
  commentsPerCitizenDay: { limit: 100, windowSeconds: 24 * 3600 },
  messagesPerCitizen: { limit: 5, windowSeconds: 3600 },
  messagesPerIp: { limit: 20, windowSeconds: 24 * 3600 },
} as const;

type LimitName = keyof typeof AUDIENCE_LIMITS;

export function rule(name: LimitName, subject: string): LimitRule {
  return { key: `limit:${name}:${subject}`, ...AUDIENCE_LIMITS[name] };
}

/**
 * While the shared counters cannot be reached (Redis down), each process counts on its own:
 * citizens can still sign in, comment and write messages, and every process still holds the
 * limits for what it sees. Failing closed would turn a cache outage into a service outage.
 */
const local = createMemoryCache({ prefix: 'audience-limits:', maxEntries: 100_000 });

async function incr(cache: Cache, r: LimitRule): Promise<number> {
  try {
    return await cache.incrWindow(r.key, r.windowSeconds);
  } catch {
    return local.incrWindow(r.key, r.windowSeconds);
  }
}

/** Counts one event against every rule; throws `code` when any is over its limit. */
export async function spend(cache: Cache, rules: readonly LimitRule[], code: ErrorCode): Promise<void> {
  let over = false;
  for (const r of rules) {
    if ((await incr(cache, r)) > r.limit) over = true;
  }
  if (over) throw new DomainError(code);
}

/** Whether any rule is already at its limit, without counting (for failures counted afterwards). */
export async function exhausted(cache: Cache, rules: readonly LimitRule[]): Promise<boolean> {
  for (const r of rules) {
    const shared = Number((await cache.get(r.key).catch(() => null)) ?? 0);
    const own = Number((await local.get(r.key)) ?? 0);
    if (Math.max(shared, own) >= r.limit) return true;
  }
  return false;
}

/** Counts a failure (e.g. a wrong password) without throwing. */
export async function count(cache: Cache, rules: readonly LimitRule[]): Promise<void> {
  for (const r of rules) await incr(cache, r);
}
