import type { CacheLogger } from './types.js';

/**
 * Logs a warning at most once per interval per topic. When Redis is down every request
 * fails the same way; one line every few seconds (with a count) says as much as thousands.
 */
export function throttledWarner(logger: CacheLogger, intervalMs = 10_000) {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (topic: string, err: unknown, msg: string): void => {
    const now = Date.now();
    const seen = last.get(topic);
    if (seen && now - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    last.set(topic, { at: now, suppressed: 0 });
    const error = err instanceof Error ? err.message : String(err);
    try {
      logger.warn({ err: error, topic, suppressed: seen?.suppressed ?? 0 }, msg);
    } catch {
      // a broken logger must not turn a soft cache failure into a hard one
    }
  };
}

export const consoleLogger: CacheLogger = {
  warn(obj, msg) {
    console.warn(msg ?? 'cache warning', obj);
  },
};
