import {
  assetsByIds,
  correctionsOfStories,
  openUnitsOfTenants,
  reviewEventsOfStories,
  revisionsByKeys,
  revisionsWithCovers,
  sectionsByIds,
  sectionsOfTenants,
  staffByIds,
  storyActionsOf,
  storyCards,
  tenantsByIds,
  unitsByIds,
  type StoryActions,
} from '@yiduan/core';
import type { GraphQLResolveInfo } from 'graphql';
import {
  withPlatform,
  type Asset,
  type Section,
  type Story,
  type StoryRevision,
  type Tenant,
  type Trx,
} from '@yiduan/db';
import type { GraphQLContext } from '../context.js';
import { perTenant, selects, type BatchLoaders, type LoaderQuery } from './batch.js';

type Q<T> = { obj: T; params: Record<string, unknown> }[];

/** A story field's rows (by story_id), read in one batch per tenant of the stories asked for. */
function perStory<R extends { story_id: string }>(
  read: (trx: Trx, tenantId: string, storyIds: string[]) => Promise<R[]>,
) {
  return async (queries: Q<Story>, ctx: GraphQLContext): Promise<R[][]> => {
    const rows = await perTenant(
      ctx.db,
      queries.map((q) => q.obj),
      (trx, tenantId, group) =>
        read(
          trx,
          tenantId,
          group.map((s) => s.id),
        ),
    );
    return queries.map((q) => rows.filter((r) => r.story_id === q.obj.id));
  };
}

const key = (storyId: string, n: number): string => `${storyId}#${n}`;

type RevisionKey = { tenant_id: string; storyId: string; number: number };

// revisions loaded together with their cover (by row object: a row is never shared between requests)
const coverOf = new WeakMap<StoryRevision, Asset | null>();

/** Revisions with their cover joined in (one statement); the cover is remembered for Revision.cover. */
async function loadWithCovers(trx: Trx, keys: readonly RevisionKey[]): Promise<StoryRevision[]> {
  return (await revisionsWithCovers(trx, keys)).map(({ revision, cover }) => {
    coverOf.set(revision, cover);
    return revision;
  });
}

type Kind = 'published' | 'current';

/** What a listed page's query already read of each story (prefetchCards), by row object like coverOf. */
const cardOf = new WeakMap<
  Story,
  { published?: StoryRevision | null; current?: StoryRevision | null; section?: Section | null }
>();

/**
 * A listed page's cards in the list's own transaction, one statement (storyCards): the
 * revisions the query asks for (published and/or current; bodies only when it asks for `body`),
 * their covers and the sections. The loaders below then answer from memory, so a feed of cards
 * opens no second transaction. Call it only in the stories' own tenant scope.
 */
export async function prefetchCards(trx: Trx, stories: readonly Story[], info: GraphQLResolveInfo): Promise<void> {
  const kinds = (['published', 'current'] as const).filter((k) => selects(info, `${k}Revision`, true));
  const section = selects(info, 'section', true);
  if (!stories.length || (!kinds.length && !section)) return;
  const numberOf = (s: Story, k: Kind): number | null =>
    k === 'published' ? s.published_revision : s.current_revision;
  const keys = stories.flatMap((s) =>
    (kinds.length ? kinds : ([null] as const)).map((k) => ({
      tenant_id: s.tenant_id,
      storyId: s.id,
      number: k ? numberOf(s, k) : null,
      sectionId: s.section_id,
    })),
  );
  const withCovers = kinds.length > 0 && selects(info, 'cover', true);
  const cards = await storyCards(trx, keys, { cover: withCovers, body: selects(info, 'body', true), section });
  const byKey = new Map(cards.map((c) => [`${c.storyId}#${c.number}`, c]));
  for (const s of stories) {
    const known: NonNullable<ReturnType<typeof cardOf.get>> = {};
    for (const k of kinds) {
      const card = byKey.get(`${s.id}#${numberOf(s, k)}`);
      const revision = card?.revision ?? null;
      if (revision && withCovers) coverOf.set(revision, card!.cover);
      known[k] = revision;
    }
    if (section)
      known.section = s.section_id
        ? (byKey.get(`${s.id}#${kinds.length ? numberOf(s, kinds[0]!) : null}`)?.section ?? null)
        : null;
    cardOf.set(s, known);
  }
}

async function revisions(
  ctx: GraphQLContext,
  queries: LoaderQuery<Story>[],
  kind: Kind,
): Promise<(StoryRevision | null)[]> {
  const numberOf = (s: Story): number | null => (kind === 'published' ? s.published_revision : s.current_revision);
  const known = (s: Story): boolean => cardOf.get(s)?.[kind] !== undefined;
  const stories = queries.map((q) => ({ story: q.obj, number: numberOf(q.obj) }));
  const wanted = stories
    .filter((s) => s.number !== null && !known(s.story))
    .map((s) => ({ tenant_id: s.story.tenant_id, storyId: s.story.id, number: s.number! }));
  // the cover comes in the same statement when the query asks for it (a feed of cards does)
  const places = new Map(queries.map((q) => [q.info.fieldNodes, q.info]));
  const withCovers = [...places.values()].some((info) => selects(info, 'cover'));
  const rows = wanted.length
    ? await perTenant(ctx.db, wanted, (trx, _tenantId, group) =>
        withCovers ? loadWithCovers(trx, group) : revisionsByKeys(trx, group),
      )
    : [];
  const byKey = new Map(rows.map((r) => [key(r.story_id, r.number), r]));
  return stories.map((s) =>
    known(s.story)
      ? cardOf.get(s.story)![kind]!
      : s.number === null
        ? null
        : (byKey.get(key(s.story.id, s.number)) ?? null),
  );
}

/** Child fields of the newsroom types, one query per field and tenant, not per item. */
export const newsroomLoaders: BatchLoaders = {
  Story: {
    /** What the viewer may do, per story: one access check and one review-round query per tenant in the batch. */
    async viewerCan(queries: Q<Story>, ctx: GraphQLContext): Promise<StoryActions[]> {
      const byTenant = new Map<string, Story[]>();
      for (const q of queries) byTenant.set(q.obj.tenant_id, [...(byTenant.get(q.obj.tenant_id) ?? []), q.obj]);
      const answers = new Map<Story, StoryActions>();
      for (const [tenantId, stories] of byTenant) {
        const actions = await ctx.inTenant(tenantId, (trx, access, actor) =>
          storyActionsOf(trx, access, actor, stories),
        );
        stories.forEach((s, i) => answers.set(s, actions[i]!));
      }
      return queries.map((q) => answers.get(q.obj)!);
    },
    async currentRevision(queries: LoaderQuery<Story>[], ctx: GraphQLContext) {
      return revisions(ctx, queries, 'current');
    },
    async publishedRevision(queries: LoaderQuery<Story>[], ctx: GraphQLContext) {
      return revisions(ctx, queries, 'published');
    },
    async section(queries: Q<Story>, ctx: GraphQLContext) {
      const known = (s: Story): boolean => cardOf.get(s)?.section !== undefined;
      const ids = queries
        .filter((q) => !known(q.obj))
        .map((q) => q.obj.section_id)
        .filter((v): v is string => !!v);
      const rows = ids.length ? await sectionsByIds(ctx.db, ids) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return queries.map((q) =>
        known(q.obj) ? cardOf.get(q.obj)!.section! : q.obj.section_id ? (byId.get(q.obj.section_id) ?? null) : null,
      );
    },
    async unit(queries: Q<Story>, ctx: GraphQLContext) {
      const rows = await unitsByIds(
        ctx.db,
        queries.map((q) => q.obj.unit_id).filter((v): v is string => !!v),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return queries.map((q) => (q.obj.unit_id ? (byId.get(q.obj.unit_id) ?? null) : null));
    },
    async createdBy(queries: Q<Story>, ctx: GraphQLContext) {
      const rows = await withPlatform(ctx.db, (trx) =>
        staffByIds(
          trx,
          queries.map((q) => q.obj.created_by).filter((v): v is string => !!v),
        ),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return queries.map((q) => (q.obj.created_by ? (byId.get(q.obj.created_by) ?? null) : null));
    },
    async tenant(queries: Q<Story>, ctx: GraphQLContext) {
      // the tenant the request entered was read with the viewer's access (auth.ts)
      const known = ctx.memo?.tenants;
      const ids = [...new Set(queries.map((q) => q.obj.tenant_id))].filter((id) => !known?.has(id));
      const rows = ids.length ? await tenantsByIds(ctx.db, ids) : [];
      const byId = new Map([...(known ?? []), ...rows.map((r) => [r.id, r] as const)]);
      return queries.map((q) => byId.get(q.obj.tenant_id) ?? null);
    },
    events: perStory(reviewEventsOfStories),
    corrections: perStory(correctionsOfStories),
  },
  Revision: {
    async cover(queries: Q<StoryRevision>, ctx: GraphQLContext) {
      const wanted = queries
        .filter((q) => q.obj.cover_asset_id && !coverOf.has(q.obj))
        .map((q) => ({ tenant_id: q.obj.tenant_id, id: q.obj.cover_asset_id! }));
      const rows = wanted.length
        ? await perTenant(ctx.db, wanted, (trx, _tenantId, group) =>
            assetsByIds(
              trx,
              group.map((g) => g.id),
            ),
          )
        : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return queries.map((q) =>
        coverOf.has(q.obj)
          ? coverOf.get(q.obj)
          : q.obj.cover_asset_id
            ? (byId.get(q.obj.cover_asset_id) ?? null)
            : null,
      );
    },
    async createdBy(queries: Q<StoryRevision>, ctx: GraphQLContext) {
      const rows = await withPlatform(ctx.db, (trx) =>
        staffByIds(
          trx,
          queries.map((q) => q.obj.created_by).filter((v): v is string => !!v),
        ),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return queries.map((q) => (q.obj.created_by ? (byId.get(q.obj.created_by) ?? null) : null));
    },
  },
  Tenant: {
    async sections(queries: Q<Tenant>, ctx: GraphQLContext) {
      const rows = await sectionsOfTenants(
        ctx.db,
        queries.map((q) => q.obj.id),
      );
      return queries.map((q) => rows.filter((r) => r.tenant_id === q.obj.id));
    },
    async units(queries: Q<Tenant>, ctx: GraphQLContext) {
      const rows = await openUnitsOfTenants(
        ctx.db,
        queries.map((q) => q.obj.id),
      );
      return queries.map((q) => rows.filter((r) => r.tenant_id === q.obj.id));
    },
  },
};
