import type { Cache, CacheGuard } from '@yiduan/cache';

interface Pending {
  guards: readonly CacheGuard[];
  waiters: ((current: boolean) => void)[];
}

/**
 * Coalesces identical guard checks (`getBufferIf` with nothing to read) asked for during one
 * turn of the event loop into one cache call, sent at the end of that turn (setImmediate runs
 * after the poll phase has handled every connection that was ready).
 *
 * Sharing a check is only sound with a check that is sent after the request arrived: a check
 * already on its way may run in Redis before an invalidation that completed before this
 * request came in. So a request only ever joins a check that has not been sent yet.
 */
export class CheckBatcher {
  private pending = new Map<string, Pending>();
  private scheduled = false;

  constructor(private readonly cache: Cache) {}

  /** true when every guard holds, as of a moment after this call */
  check(id: string, guards: readonly CacheGuard[]): Promise<boolean> {
    return new Promise((resolve) => {
      let p = this.pending.get(id);
      if (!p) this.pending.set(id, (p = { guards, waiters: [] }));
      p.waiters.push(resolve);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    for (const p of batch.values()) {
      const settle = (current: boolean): void => {
        for (const w of p.waiters) w(current);
      };
      this.cache.getBufferIf(null, p.guards).then(
        (read) => settle(read.current),
        () => settle(false),
      );
    }
  }
}
