import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createMemoryCache, type Cache } from '@yiduan/cache';
import { loadConfig, type Config } from '@yiduan/config';
import { enqueueReturningId } from '@yiduan/core';
import { withPlatform, type DB, type OutboxEvent } from '@yiduan/db';
import { createDemoDatabase, createTestDatabase, type DemoDatabase, type TestDatabase } from '@yiduan/testkit';
import type { OutboxHandler } from '../src/index.js';

interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

export interface Env<D extends TestDatabase = TestDatabase> {
  tdb: D;
  cache: Cache;
}

/** A fresh migrated database and an isolated memory cache, both closed in teardown. */
export async function setup(t: Teardown): Promise<Env> {
  return withCache(t, await createTestDatabase(t));
}

/** setup on a clone of the demo tree (tenants, domains, faces; no content). */
export async function setupDemo(t: Teardown): Promise<Env<DemoDatabase>> {
  return withCache(t, await createDemoDatabase(t));
}

function withCache<D extends TestDatabase>(t: Teardown, tdb: D): Env<D> {
  // own prefix: memory caches with one prefix share a store within the process
  const cache = createMemoryCache({ prefix: `wt${randomBytes(4).toString('hex')}:` });
  t.teardown(() => cache.close());
  return { tdb, cache };
}

export function testConfig(): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: process.env.DATABASE_URL });
}

export function enqueueEvent(db: DB, topic: string, payload: Record<string, unknown> = {}): Promise<number> {
  return withPlatform(db, (trx) => enqueueReturningId(trx, { tenantId: null, topic, payload }));
}

export async function enqueueMany(db: DB, topic: string, n: number): Promise<number[]> {
  return withPlatform(db, async (trx) => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push(await enqueueReturningId(trx, { tenantId: null, topic, payload: { i } }));
    return ids;
  });
}

/** The row as the owner sees it (no row-level security). */
export function outboxRow(tdb: TestDatabase, id: number): Promise<OutboxEvent> {
  return tdb.owner.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function receiptsOf(tdb: TestDatabase, id: number): Promise<string[]> {
  const rows = await tdb.owner
    .selectFrom('outbox_receipts')
    .select('consumer')
    .where('event_id', '=', id)
    .orderBy('consumer')
    .execute();
  return rows.map((r) => r.consumer);
}

/** Simulates a crash after the handlers committed but before the status counted, or a second delivery. */
export async function resetToPending(tdb: TestDatabase, id: number): Promise<void> {
  await tdb.owner
    .updateTable('outbox')
    .set({ status: 'pending', processed_at: null, available_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** A table handlers write to, so tests can see database side effects (no RLS on it). */
export async function createSideEffects(tdb: TestDatabase): Promise<void> {
  await sql`CREATE TABLE side_effects (event_id bigint NOT NULL, handler text NOT NULL)`.execute(tdb.owner);
  await sql`GRANT SELECT, INSERT ON side_effects TO yiduan_app`.execute(tdb.owner);
}

export async function sideEffects(tdb: TestDatabase, id?: number): Promise<{ event_id: number; handler: string }[]> {
  const r = await sql<{ event_id: number; handler: string }>`
    SELECT event_id, handler FROM side_effects WHERE ${id === undefined ? sql`true` : sql`event_id = ${id}`} ORDER BY handler`.execute(
    tdb.owner,
  );
  return r.rows;
}

export interface Recorder extends OutboxHandler {
  /** event ids in the order the handler ran for them */
  calls: number[];
}

/**
 * A handler that records each call, writes one side_effects row in the transaction when
 * `write` is set, and throws while `fail(event)` says so (after writing, to prove the rollback).
 */
export function recorder(
  name: string,
  topics: string[] | '*',
  opts: { write?: boolean; fail?: (e: OutboxEvent) => boolean } = {},
): Recorder {
  const calls: number[] = [];
  return {
    name,
    topics,
    calls,
    async handle(event, { trx }) {
      calls.push(event.id);
      if (opts.write)
        await sql`INSERT INTO side_effects (event_id, handler) VALUES (${event.id}, ${name})`.execute(trx);
      if (opts.fail?.(event)) throw new Error(`${name} failed on purpose`);
    },
  };
}

/** Polls until `cond` holds; rejects after `timeoutMs` with `what` in the message. */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
