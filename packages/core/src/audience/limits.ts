import type { Cache } from '@yiduan/cache';
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

/** Counts one event against every rule; throws `code` when any is over its limit. */
export async function spend(cache: Cache, rules: readonly LimitRule[], code: ErrorCode): Promise<void> {
  let over = false;
  for (const r of rules) {
    if ((await cache.incrWindow(r.key, r.windowSeconds)) > r.limit) over = true;
  }
  if (over) throw new DomainError(code);
}

/** Whether any rule is already at its limit, without counting (for failures counted afterwards). */
export async function exhausted(cache: Cache, rules: readonly LimitRule[]): Promise<boolean> {
  for (const r of rules) {
    if (Number((await cache.get(r.key)) ?? 0) >= r.limit) return true;
  }
  return false;
}

/** Counts a failure (e.g. a wrong password) without throwing. */
export async function count(cache: Cache, rules: readonly LimitRule[]): Promise<void> {
  for (const r of rules) await cache.incrWindow(r.key, r.windowSeconds);
}
