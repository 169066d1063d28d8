import type { Executor, Story, SyndicationRule } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { DomainError } from '../../errors.js';
import { enqueue } from '../../events/index.js';
import { appendAudit } from '../../governance/index.js';
import type { Access } from '../../identity/index.js';
import { ancestors, descendants, isUuid } from '../../tenancy/index.js';
import { SYNDICATION_TOPICS } from '../events.js';
import type { SyndicationRuleInput } from '../model.js';
import {
  downRules,
  insertJob,
  insertPlacementsIfAbsent,
  insertRule,
  publishedTags,
  sectionIdBySlug,
  sectionIdOf,
  setRuleEnabledRow,
  takeUpRules,
} from '../repo/index.js';
import { facesChanged, fanOutPayload } from './placements.js';
import { mayShareTo } from './policy.js';

/**
 * Standing rules (常设规则), e.g. "offer every story of my section 政务 to all my
 * counties" or "take every story tagged 乡村振兴 from my descendants into 基层".
 */
export async function createSyndicationRule(
  ex: Executor,
  access: Access,
  actor: Actor,
  input: SyndicationRuleInput,
): Promise<SyndicationRule> {
  access.require(['chief_editor', 'tenant_admin']);
  if (!['offer_down', 'push_down', 'take_up'].includes(input.kind))
    throw new DomainError('BAD_USER_INPUT', '规则类型不正确');
  const slug = input.targetSectionSlug?.trim() || null;
  if (slug && !/^[a-z][a-z0-9-]{0,39}$/.test(slug)) throw new DomainError('BAD_USER_INPUT', '目标栏目标识格式不正确');
  let sourceSectionId: string | null = null;
  let tag: string | null = null;
  if (input.kind === 'take_up') {
    tag = input.tag?.trim() || null;
    if (!tag || tag.length > 20)
      throw new DomainError('BAD_USER_INPUT', '请填写 1 到 20 个字的标签', [{ path: 'tag', message: '不符合要求' }]);
  } else {
    if (!input.sourceSectionId || !isUuid(input.sourceSectionId)) throw new DomainError('SECTION_NOT_FOUND');
    const id = await sectionIdOf(ex, access.tenantId, input.sourceSectionId);
    if (!id) throw new DomainError('SECTION_NOT_FOUND');
    sourceSectionId = id;
  }
  const rule = await insertRule(ex, {
    tenant_id: access.tenantId,
    kind: input.kind,
    source_section_id: sourceSectionId,
    tag,
    target_section_slug: slug,
    target_level: input.targetLevel ?? null,
    created_by: `${actor.kind}:${actor.id}`,
  });
  await appendAudit(ex, actor, {
    tenantId: access.tenantId,
    action: 'syndication.rule_create',
    targetKind: 'syndication_rule',
    targetId: rule.id,
    detail: { kind: rule.kind },
  });
  return rule;
}

export async function setSyndicationRuleEnabled(
  ex: Executor,
  access: Access,
  actor: Actor,
  id: string,
  enabled: boolean,
): Promise<SyndicationRule> {
  access.require(['chief_editor', 'tenant_admin']);
  const rule = isUuid(id) ? await setRuleEnabledRow(ex, access.tenantId, id, enabled) : undefined;
  if (!rule) throw new DomainError('NOT_FOUND', '找不到该规则');
  await appendAudit(ex, actor, {
    tenantId: access.tenantId,
    action: enabled ? 'syndication.rule_enable' : 'syndication.rule_disable',
    targetKind: 'syndication_rule',
    targetId: id,
  });
  return rule;
}

/**
 * Runs the standing rules when a story is published (worker, platform scope):
 * the origin's down rules become push jobs; ancestors' take-up rules place it.
 */
export async function applyRulesOnPublish(ex: Executor, story: Story): Promise<{ jobs: number; taken: number }> {
  let jobs = 0;
  let taken = 0;
  if (story.section_id) {
    const down = await downRules(ex, story.tenant_id, story.section_id);
    for (const rule of down) {
      const targets = (await descendants(ex, story.tenant_id))
        .filter((t) => !rule.target_level || t.level === rule.target_level)
        .map((t) => t.id);
      if (!targets.length) continue;
      const job = await insertJob(ex, {
        tenant_id: story.tenant_id,
        story_id: story.id,
        kind: 'push',
        mandatory: rule.kind === 'push_down',
        targets,
        section_slug: rule.target_section_slug,
        total: targets.length,
        created_by: `rule:${rule.id}`,
      });
      await enqueue(ex, {
        tenantId: story.tenant_id,
        topic: SYNDICATION_TOPICS.fanOut,
        payload: { ...fanOutPayload(story.tenant_id, job.id) },
      });
      jobs++;
    }
  }
  const tags = await publishedTags(ex, story.tenant_id, story.id, story.published_revision ?? 0);
  if (tags.length) {
    const above = (await ancestors(ex, story.tenant_id)).map((t) => t.id);
    const ups = await takeUpRules(ex, above, tags);
    const changed: string[] = [];
    for (const rule of ups) {
      if (!(await mayShareTo(ex, story, rule.tenant_id))) continue;
      const section = rule.target_section_slug
        ? await sectionIdBySlug(ex, rule.tenant_id, rule.target_section_slug)
        : undefined;
      const [inserted] = await insertPlacementsIfAbsent(ex, [
        {
          tenant_id: rule.tenant_id,
          story_id: story.id,
          origin_tenant_id: story.tenant_id,
          mode: 'rule',
          status: 'active',
          section_id: section ?? null,
          placed_by: `rule:${rule.id}`,
        },
      ]);
      if (inserted) {
        taken++;
        changed.push(rule.tenant_id);
      }
    }
    await facesChanged(ex, changed, 'rule');
  }
  return { jobs, taken };
}
