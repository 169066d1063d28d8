import type { Insertable } from 'kysely';
import type { Executor, SyndicationRule, SyndicationRulesTable } from '@yiduan/db';

export async function insertRule(ex: Executor, values: Insertable<SyndicationRulesTable>): Promise<SyndicationRule> {
  return ex.insertInto('syndication_rules').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function setRuleEnabledRow(
  ex: Executor,
  tenantId: string,
  id: string,
  enabled: boolean,
): Promise<SyndicationRule | undefined> {
  return ex
    .updateTable('syndication_rules')
    .set({ enabled })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function syndicationRulesOf(ex: Executor, tenantId: string): Promise<SyndicationRule[]> {
  return ex
    .selectFrom('syndication_rules')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .execute();
}

/** The origin's enabled down rules (offer or push) for a section. */
export async function downRules(ex: Executor, tenantId: string, sectionId: string): Promise<SyndicationRule[]> {
  return ex
    .selectFrom('syndication_rules')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('enabled', '=', true)
    .where('kind', 'in', ['offer_down', 'push_down'])
    .where('source_section_id', '=', sectionId)
    .execute();
}

/** Enabled take-up rules of these tenants for any of these tags. */
export async function takeUpRules(
  ex: Executor,
  tenantIds: readonly string[],
  tags: readonly string[],
): Promise<SyndicationRule[]> {
  if (!tenantIds.length) return [];
  return ex
    .selectFrom('syndication_rules')
    .selectAll()
    .where('tenant_id', 'in', tenantIds)
    .where('enabled', '=', true)
    .where('kind', '=', 'take_up')
    .where('tag', 'in', tags)
    .execute();
}

/** The tags of a story's published revision. */
export async function publishedTags(
  ex: Executor,
  tenantId: string,
  storyId: string,
  revision: number,
): Promise<string[]> {
  const rev = await ex
    .selectFrom('story_revisions')
    .select('tags')
    .where('tenant_id', '=', tenantId)
    .where('story_id', '=', storyId)
    .where('number', '=', revision)
    .executeTakeFirst();
  return rev?.tags ?? [];
}

export async function sectionIdBySlug(ex: Executor, tenantId: string, slug: string): Promise<string | undefined> {
  const s = await ex
    .selectFrom('sections')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  return s?.id;
}
