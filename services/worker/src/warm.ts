import { facesTouched, type FaceTouched } from '@yiduan/core';
import { withPlatform, type DB } from '@yiduan/db';
import type { Logger } from './handlers.js';

/** Renders one page of a face into the page cache (the portal's `pageWarmer`); `rendered` false: it was cached already. */
export type RenderPage = (host: string, path: string) => Promise<{ status: number; rendered: boolean }>;

export interface PageWarmerOptions {
  db: DB;
  render: RenderPage;
  /** faces are warmed at `<slug>.<baseDomain>`, which always resolves to the tenant (pages are keyed by tenant, not host) */
  baseDomain: string;
  log: Logger;
  /** pages rendered at once (default 8) */
  concurrency?: number;
}

export interface WarmStats {
  /** page requests made */
  pages: number;
  /** of which the portal rendered (the rest were cached already, e.g. a visitor was faster) */
  rendered: number;
  failed: number;
  /** a page already queued and not started when it was asked for again: one render serves both */
  coalesced: number;
  /** time spent with at least one page in flight, ms */
  busyMs: number;
}

/** The pages of a face a change touches, most visited first: home, the story, its section's first page, the feed. */
export function pagesOf(face: FaceTouched, storyId: string | null): string[] {
  const paths = ['/'];
  if (storyId !== null && face.storyLive) paths.push(`/a/${storyId}`);
  if (face.sectionSlug) paths.push(`/s/${face.sectionSlug}`);
  paths.push('/rss.xml');
  return paths;
}

interface Task {
  host: string;
  path: string;
  /** the rank of the page among its face's pages: every face's home goes before any face's story page */
  rank: number;
}

/**
 * Warm pages (docs/faces-cache.md): after the worker has invalidated a face's pages, the
 * pages a change touches are rendered into the cache here, so that no visitor pays for the
 * render. Asked with `touch` (never awaited by the outbox handler: warming is a best effort
 * that must not hold up or fail the invalidation). Coalesces: while a page is queued and not
 * started, asking for it again adds nothing; once it has started, asking again queues it once
 * more, because the render in flight may have read its generation token before the newer
 * invalidation (it then stores under a dead token, where no request looks, and the queued
 * render stores the current page). Renders `concurrency` pages at once.
 */
export class PageWarmer {
  readonly #opts: Required<PageWarmerOptions>;
  /** tenants whose pages are asked for, by story (null: no story, home and feed only), not yet resolved to pages */
  #asked = new Map<string | null, Set<string>>();
  #queue = new Map<string, Task>();
  #inFlight = 0;
  #resolving = false;
  #busySince = 0;
  #idle: (() => void)[] = [];
  #stopped = false;
  readonly stats: WarmStats = { pages: 0, rendered: 0, failed: 0, coalesced: 0, busyMs: 0 };

  constructor(opts: PageWarmerOptions) {
    this.#opts = { concurrency: 8, ...opts };
  }

  /** Warm the pages of these faces that `storyId` (if any) touches. Returns at once. */
  touch(tenantIds: readonly string[], storyId: string | null): void {
    if (this.#stopped || tenantIds.length === 0 || this.#opts.concurrency === 0) return;
    let set = this.#asked.get(storyId);
    if (!set) this.#asked.set(storyId, (set = new Set()));
    for (const id of tenantIds) set.add(id);
    void this.#resolve();
  }

  /** Settles when nothing is asked, queued or in flight (tests, benches, shutdown). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Takes no more work and waits for the pages in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#asked.clear();
    this.#queue.clear();
    await this.idle();
  }

  /** nothing asked, queued or in flight */
  get isIdle(): boolean {
    return this.#isIdle();
  }

  #isIdle(): boolean {
    return this.#asked.size === 0 && this.#queue.size === 0 && this.#inFlight === 0 && !this.#resolving;
  }

  #settle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Turns the faces asked for into page tasks: one query per story, then ranked into the queue. */
  async #resolve(): Promise<void> {
    if (this.#resolving) return;
    this.#resolving = true;
    try {
      while (this.#asked.size > 0 && !this.#stopped) {
        const asked = this.#asked;
        this.#asked = new Map();
        const tasks: Task[] = [];
        for (const [storyId, ids] of asked) {
          try {
            const faces = await withPlatform(this.#opts.db, (trx) => facesTouched(trx, [...ids], storyId));
            for (const face of faces) {
              const host = `${face.slug}.${this.#opts.baseDomain}`;
              pagesOf(face, storyId).forEach((path, rank) => tasks.push({ host, path, rank }));
            }
          } catch (err) {
            // the pages stay cold: the first visitor renders them, as without warming
            this.#opts.log.warn({ err, storyId, faces: ids.size }, 'warm pages: could not resolve the faces');
          }
        }
        tasks.sort((a, b) => a.rank - b.rank);
        for (const task of tasks) {
          const key = `${task.host}\n${task.path}`;
          if (this.#queue.has(key)) this.stats.coalesced++;
          else this.#queue.set(key, task);
        }
        this.#pump();
      }
    } finally {
      this.#resolving = false;
      this.#settle();
    }
  }

  #pump(): void {
    while (this.#inFlight < this.#opts.concurrency && this.#queue.size > 0) {
      const [key, task] = this.#queue.entries().next().value as [string, Task];
      this.#queue.delete(key);
      if (this.#inFlight++ === 0) this.#busySince = performance.now();
      void this.#run(task);
    }
  }

  async #run(task: Task): Promise<void> {
    try {
      const page = await this.#opts.render(task.host, task.path);
      this.stats.pages++;
      if (page.rendered) this.stats.rendered++;
      // 404/410 are never cached: a face without the section, a story withdrawn meanwhile
      if (page.status >= 500) {
        this.stats.failed++;
        this.#opts.log.warn({ host: task.host, path: task.path, status: page.status }, 'warm pages: render failed');
      }
    } catch (err) {
      this.stats.pages++;
      this.stats.failed++;
      this.#opts.log.warn({ err, host: task.host, path: task.path }, 'warm pages: render failed');
    } finally {
      if (--this.#inFlight === 0) this.stats.busyMs += performance.now() - this.#busySince;
      this.#pump();
      this.#settle();
    }
  }
}
