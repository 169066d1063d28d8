import type { Executor, Story, SyndicationRule } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { enqueue } from '../events/index.js';
import { appendAudit } from '../governance/index.js';
import type { Access } from '../identity/index.js';
import { ancestors, descendants, isUuid } from '../tenancy/index.js';
import { facesChanged, SYNDICATION_TOPICS } from './placements.js';
import { mayShareTo } from './policy.js';

export interface SyndicationRuleInput {
  kind: 'offer_down' | 'push_down' | 'take_up';
  sourceSectionId?: string | null;
  tag?: string | null;
  targetSectionSlug?: string | null;
  targetLevel?: 'city' | 'county' | null;
}

/**
 * Standing rules (常设规则), e.g. "offer every story of my section 政务 to all my
 * counties" or "take every story tagged 乡村振兴 from my descendants into 基层".
 */
export async function createSyndicationRule(ex: Executor, access: Access, actor: Actor, input: SyndicationRuleInput): Promise<SyndicationRule> {
  access.require(['chief_editor', 'tenant_admin']);
  if (!['offer_down', 'push_down', 'take_up'].includes(input.kind)) throw new DomainError('BAD_USER_INPUT', '规则类型不正确');
  const slug = input.targetSectionSlug?.trim() || null;
  if (slug && !/^[a-z][a-z0-9-]{0,39}$/.test(slug)) throw new DomainError('BAD_USER_INPUT', '目标栏目标识格式不正确');
  let sourceSectionId: string | null = null;
  let tag: string | null = null;
  if (input.kind === 'take_up') {
    tag = input.tag?.trim() || null;
    if (!tag || tag.length > 20) throw new DomainError('BAD_USER_INPUT', '请填写 1 到 20 个字的标签', [{ path: 'tag', message: '不符合要求' }]);
  } else {
    if (!input.sourceSectionId || !isUuid(input.sourceSectionId)) throw new DomainError('SECTION_NOT_FOUND');
    const s = await ex.selectFrom('sections').select('id').where('tenant_id', '=', access.tenantId).where('id', '=', input.sourceSectionId).executeTakeFirst();
    if (!s) throw new DomainError('SECTION_NOT_FOUND');
    sourceSectionId = s.id;
  }
  const rule = await ex
    .insertInto('syndication_rules')
    .values({ tenant_id: access.tenantId, kind: input.kind, source_section_id: sourceSectionId, tag, target_section_slug: slug, target_level: input.targetLevel ?? null, created_by: `${actor.kind}:${actor.id}` })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(ex, actor, { tenantId: access.tenantId, action: 'syndication.rule_create', targetKind: 'syndication_rule', targetId: rule.id, detail: { kind: rule.kind } });
  return rule;
}

export async function setSyndicationRuleEnabled(ex: Executor, access: Access, actor: Actor, id: string, enabled: boolean): Promise<SyndicationRule> {
  access.require(['chief_editor', 'tenant_admin']);
  const rule = isUuid(id) ? await ex.updateTable('syndication_rules').set({ enabled }).where('tenant_id', '=', access.tenantId).where('id', '=', id).returningAll().executeTakeFirst() : undefined;
  if (!rule) throw new DomainError('NOT_FOUND', '找不到该规则');
  await appendAudit(ex, actor, { tenantId: access.tenantId, action: enabled ? 'syndication.rule_enable' : 'syndication.rule_disable', targetKind: 'syndication_rule', targetId: id });
  return rule;
}

export async function syndicationRulesOf(ex: Executor, tenantId: string): Promise<SyndicationRule[]> {
  return ex.selectFrom('syndication_rules').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();
}

/**
 * Runs the standing rules when a story is published (worker, platform scope):
 * the origin's down rules become push jobs; ancestors' take-up rules place it.
 */
export async function applyRulesOnPublish(ex: Executor, story: Story): Promise<{ jobs: number; taken: number }> {
  let jobs = 0;
  let taken = 0;
  if (story.section_id) {
    const down = await ex.selectFrom('syndication_rules').selectAll().where('tenant_id', '=', story.tenant_id).where('enabled', '=', true).where('kind', 'in', ['offer_down', 'push_down']).where('source_section_id', '=', story.section_id).execute();
    for (const rule of down) {
      const targets = (await descendants(ex, story.tenant_id)).filter((t) => !rule.target_level || t.level === rule.target_level).map((t) => t.id);
      if (!targets.length) continue;
      const job = await ex
        .insertInto('syndication_jobs')
        .values({ tenant_id: story.tenant_id, story_id: story.id, kind: 'push', mandatory: rule.kind === 'push_down', targets, section_slug: rule.target_section_slug, total: targets.length, created_by: `rule:${rule.id}` })
        .returningAll()
        .executeTakeFirstOrThrow();
      await enqueue(ex, { tenantId: story.tenant_id, topic: SYNDICATION_TOPICS.fanOut, payload: { tenantId: story.tenant_id, jobId: job.id } });
      jobs++;
    }
  }
  const rev = await ex.selectFrom('story_revisions').select('tags').where('tenant_id', '=', story.tenant_id).where('story_id', '=', story.id).where('number', '=', story.published_revision ?? 0).executeTakeFirst();
  const tags = rev?.tags ?? [];
  if (tags.length) {
    const above = (await ancestors(ex, story.tenant_id)).map((t) => t.id);
    const ups = above.length ? await ex.selectFrom('syndication_rules').selectAll().where('tenant_id', 'in', above).where('enabled', '=', true).where('kind', '=', 'take_up').where('tag', 'in', tags).execute() : [];
    const changed: string[] = [];
    for (const rule of ups) {
      if (!(await mayShareTo(ex, story, rule.tenant_id))) continue;
      const section = rule.target_section_slug ? await ex.selectFrom('sections').select('id').where('tenant_id', '=', rule.tenant_id).where('slug', '=', rule.target_section_slug).executeTakeFirst() : undefined;
      const inserted = await ex
        .insertInto('placements')
        .values({ tenant_id: rule.tenant_id, story_id: story.id, origin_tenant_id: story.tenant_id, mode: 'rule', status: 'active', section_id: section?.id ?? null, placed_by: `rule:${rule.id}` })
        .onConflict((oc) => oc.columns(['tenant_id', 'story_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) {
        taken++;
        changed.push(rule.tenant_id);
      }
    }
    await facesChanged(ex, changed, 'rule');
  }
  return { jobs, taken };
}
