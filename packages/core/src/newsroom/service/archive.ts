import type { Executor, Story } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { DomainError } from '../../errors.js';
import { appendAudit } from '../../governance/index.js';
import type { Access } from '../../identity/index.js';
import { updateStory } from '../repo/index.js';
import { publishStory } from './review.js';

/**
 * Publishes a reviewed story that carries content first published elsewhere (an archive moved in
 * from a closed account) under its original date: the chain and the checks are publishStory's, then
 * the story's publication times are set to the original date (placements follow by trigger), so the
 * face lists and shows it where it belongs in time. The date must be in the past.
 */
export async function publishWithOriginalDate(
  ex: Executor,
  access: Access,
  actor: Actor,
  storyId: string,
  originalAt: Date,
): Promise<Story> {
  if (Number.isNaN(originalAt.getTime()) || originalAt.getTime() > Date.now())
    throw new DomainError('BAD_USER_INPUT', '原发布时间不能晚于现在');
  const published = await publishStory(ex, access, actor, storyId, null);
  const dated = await updateStory(ex, published, { published_at: originalAt, first_published_at: originalAt });
  await appendAudit(ex, actor, {
    tenantId: dated.tenant_id,
    action: 'story.original_date',
    targetKind: 'story',
    targetId: dated.id,
    revision: dated.published_revision ?? undefined,
    detail: { originalAt: originalAt.toISOString() },
  });
  return dated;
}
