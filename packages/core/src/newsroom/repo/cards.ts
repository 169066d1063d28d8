import { sql } from 'kysely';
import type { Asset, Executor, Section, StoryRevision } from '@yiduan/db';
import { isUuid } from '../../tenancy/index.js';
import { ASSET_COLUMNS } from './stories.js';

/** One story of a listed page and the revision its card shows (null: none, e.g. never published). */
export interface CardKey {
  tenant_id: string;
  storyId: string;
  number: number | null;
  sectionId: string | null;
}

/** What the query asks of the cards: the cover image, the revision's body, the section. */
export interface CardParts {
  cover: boolean;
  body: boolean;
  section: boolean;
}

/** A card: the revision (without `body` unless asked for), its cover and the story's section. */
export interface Card {
  storyId: string;
  number: number | null;
  revision: StoryRevision | null;
  cover: Asset | null;
  section: Section | null;
}

// constants: the column lists are never built from input
const REVISION = [
  'tenant_id',
  'story_id',
  'number',
  'title',
  'subtitle',
  'summary',
  'cover_asset_id',
  'tags',
  'author_line',
  'link_url',
  'created_by',
  'created_at',
] as const;
const SECTION = ['tenant_id', 'id', 'slug', 'name', 'position', 'review_steps', 'created_at'] as const;

const columns = (table: string, prefix: string, names: readonly string[]): string =>
  names.map((c) => `${table}.${c} AS ${prefix}${c}`).join(', ');

function part<T>(row: Record<string, unknown>, prefix: string, names: readonly string[]): T | null {
  if (row[`${prefix}${names.includes('id') ? 'id' : 'story_id'}`] == null) return null;
  const out: Record<string, unknown> = {};
  for (const n of names) out[n] = row[`${prefix}${n}`];
  return out as T;
}

/**
 * A page of story cards in one statement: each story's revision by full primary key, with its
 * cover and the story's section joined in when asked for, read in the caller's (the stories')
 * tenant scope, so a cover is seen only when that scope may see it (own or shared), as in
 * revisionsWithCovers. A feed of cards does not read revision bodies unless it asks for them.
 */
export async function storyCards(ex: Executor, keys: readonly CardKey[], parts: CardParts): Promise<Card[]> {
  const valid = keys.filter(
    (k) => isUuid(k.storyId) && isUuid(k.tenant_id) && (k.sectionId === null || isUuid(k.sectionId)),
  );
  if (!valid.length) return [];
  const revision = parts.body ? [...REVISION, 'body'] : REVISION;
  const select = [
    'k.story_id AS k_story_id, k.number AS k_number',
    columns('r', 'r__', revision),
    ...(parts.cover ? [columns('a', 'a__', ASSET_COLUMNS)] : []),
    ...(parts.section ? [columns('s', 's__', SECTION)] : []),
  ].join(', ');
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${sql.raw(select)}
      FROM unnest(${valid.map((k) => k.tenant_id)}::uuid[], ${valid.map((k) => k.storyId)}::uuid[], ${valid.map((k) => k.number)}::int[], ${valid.map((k) => k.sectionId)}::uuid[])
           AS k (tenant_id, story_id, number, section_id)
      LEFT JOIN story_revisions r ON r.tenant_id = k.tenant_id AND r.story_id = k.story_id AND r.number = k.number
      ${sql.raw(parts.cover ? 'LEFT JOIN assets a ON a.id = r.cover_asset_id' : '')}
      ${sql.raw(parts.section ? 'LEFT JOIN sections s ON s.id = k.section_id' : '')}`.execute(ex);
  return rows.map((row) => ({
    storyId: row.k_story_id as string,
    number: row.k_number as number | null,
    revision: part<StoryRevision>(row, 'r__', revision),
    cover: parts.cover ? part<Asset>(row, 'a__', ASSET_COLUMNS) : null,
    section: parts.section ? part<Section>(row, 's__', SECTION) : null,
  }));
}
