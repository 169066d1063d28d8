import { sql } from 'kysely';
import type { Executor, Section, Tenant } from '@yiduan/db';
import { isUuid } from '../../tenancy/index.js';

/** A placement of a face's page: what its card shows comes from these. */
export interface PlacementCardKey {
  story_id: string;
  origin_tenant_id: string;
  section_id: string | null;
}

/** The placed story as the public sees it (no row: not visible), its origin tenant, the placement's section. */
export interface PlacementCard {
  story: {
    id: string;
    tenant_id: string;
    published_at: Date | null;
    retracted_at: Date | null;
    title: string | null;
    summary: string | null;
  } | null;
  origin: Tenant | null;
  section: Section | null;
}

// constants: the column lists are never built from input
const TENANT = ['id', 'slug', 'name', 'level', 'parent_id', 'status', 'settings', 'created_at', 'updated_at'] as const;
const SECTION = ['tenant_id', 'id', 'slug', 'name', 'position', 'review_steps', 'created_at'] as const;
const columns = (table: string, prefix: string, names: readonly string[]): string =>
  names.map((c) => `${table}.${c} AS ${prefix}${c}`).join(', ');

function part<T>(row: Record<string, unknown>, prefix: string, names: readonly string[]): T | null {
  if (row[`${prefix}id`] == null) return null;
  const out: Record<string, unknown> = {};
  for (const n of names) out[n] = row[`${prefix}${n}`];
  return out as T;
}

/**
 * A face's page of placement cards in one statement, in order of `keys`: each placed story as
 * placedStoriesByIds reads it in the public scope (the stories.public_read and
 * story_revisions.public_read conditions are written out, so the face's own scope, which may see
 * more of its own stories, reads no more than the public would), its origin tenant and the
 * placement's section (public rows both).
 */
export async function placementCards(ex: Executor, keys: readonly PlacementCardKey[]): Promise<PlacementCard[]> {
  const valid = keys.map((k) =>
    isUuid(k.story_id) && isUuid(k.origin_tenant_id) && (k.section_id === null || isUuid(k.section_id))
      ? k
      : { story_id: null, origin_tenant_id: null, section_id: null },
  );
  if (!valid.length) return [];
  const { rows } = await sql<Record<string, unknown>>`
    SELECT k.i, s.id AS s__id, s.tenant_id AS s__tenant_id, s.published_at AS s__published_at, s.retracted_at AS s__retracted_at,
           r.title AS s__title, r.summary AS s__summary, ${sql.raw(columns('o', 'o__', TENANT))}, ${sql.raw(columns('c', 'c__', SECTION))}
      FROM unnest(${valid.map((k) => k.story_id)}::uuid[], ${valid.map((k) => k.origin_tenant_id)}::uuid[], ${valid.map((k) => k.section_id)}::uuid[])
           WITH ORDINALITY AS k (story_id, origin_id, section_id, i)
      LEFT JOIN stories s ON s.tenant_id = k.origin_id AND s.id = k.story_id
            AND ((s.published_revision IS NOT NULL AND s.retracted_at IS NULL) OR (s.retracted_at IS NOT NULL AND s.first_published_at IS NOT NULL))
      LEFT JOIN story_revisions r ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.published_revision AND s.retracted_at IS NULL
      LEFT JOIN tenants o ON o.id = k.origin_id
      LEFT JOIN sections c ON c.id = k.section_id
     ORDER BY k.i`.execute(ex);
  return rows.map((row) => ({
    story: part<NonNullable<PlacementCard['story']>>(row, 's__', [
      'id',
      'tenant_id',
      'published_at',
      'retracted_at',
      'title',
      'summary',
    ]),
    origin: part<Tenant>(row, 'o__', TENANT),
    section: part<Section>(row, 'c__', SECTION),
  }));
}
