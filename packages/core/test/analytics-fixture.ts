import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DB, Tenant } from '@yiduan/db';
import { createDemoDatabase, type TestDatabase } from '@yiduan/testkit';
import { dayStart, parseBeacon, AnalyticsWriter } from '../src/index.js';
import { createMemoryBuffer, type EventBuffer } from '@yiduan/cache';

interface Teardown {
  teardown(fn: () => Promise<void> | void): void;
}

export const SECRET = 'analytics-test-secret-analytics-test-secret';
/** the fixture's day and "now" (20:00 CST that day) */
export const DAY = '2026-11-20';
export const NOW = dayStart(DAY).getTime() + 20 * 3600_000;
export const at = (day: string, hour: number): Date => new Date(dayStart(day).getTime() + hour * 3600_000);

export interface Fixture {
  tdb: TestDatabase;
  db: DB;
  owner: DB;
  tenants: Record<string, Tenant>;
  buffer: EventBuffer;
  writer: AnalyticsWriter;
  unit(tenant: string, slug: string): Promise<string>;
  story(tenant: string, opts: { unitId?: string | null; publishedAt: Date; faces?: string[] }): Promise<string>;
  /** one beacon from a visitor (ip) on a face */
  beacon(face: string, ip: string, body: unknown, now?: number): Promise<number>;
}

export async function fixture(t: Teardown): Promise<Fixture> {
  const tdb = await createDemoDatabase(t);
  const { tenants } = tdb;
  const buffer = createMemoryBuffer();
  const writer = new AnalyticsWriter({
    db: tdb.db,
    buffer,
    consumer: 'test-writer',
    retentionDays: 400,
    now: () => NOW,
  });
  const owner = tdb.owner;
  return {
    tdb,
    db: tdb.db,
    owner,
    tenants,
    buffer,
    writer,
    async unit(tenant, slug) {
      const id = randomUUID();
      await owner
        .insertInto('units')
        .values({ tenant_id: tenants[tenant]!.id, id, slug, name: `单位${slug}`, kind: 'bureau' })
        .execute();
      return id;
    },
    async story(tenant, { unitId = null, publishedAt, faces = [] }) {
      const id = randomUUID();
      const tid = tenants[tenant]!.id;
      await owner
        .insertInto('stories')
        .values({
          tenant_id: tid,
          id,
          kind: 'article',
          status: 'published',
          unit_id: unitId,
          published_revision: 1,
          first_published_at: publishedAt,
          published_at: publishedAt,
        })
        .execute();
      await owner
        .insertInto('story_revisions')
        .values({ tenant_id: tid, story_id: id, number: 1, title: `稿件 ${id.slice(0, 4)}`, body: '[]' })
        .execute();
      for (const face of [tenant, ...faces]) {
        await owner
          .insertInto('placements')
          .values({
            tenant_id: tenants[face]!.id,
            story_id: id,
            origin_tenant_id: tid,
            mode: face === tenant ? 'own' : 'pulled',
            placed_at: publishedAt,
          })
          .execute();
      }
      return id;
    },
    async beacon(face, ip, body, now = NOW - 3600_000) {
      const events = parseBeacon(body, {
        tenantId: tenants[face]!.id,
        ip,
        userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile',
        now,
        secret: SECRET,
      });
      await buffer.append(events);
      return events.length;
    },
  };
}

export async function count(db: DB, table: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db);
  return r.rows[0]!.n;
}
