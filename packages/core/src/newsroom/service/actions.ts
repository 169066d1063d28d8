import type { Executor, Story } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import type { Access } from '../../identity/index.js';
import { maySign, PUBLISHERS } from '../../identity/index.js';
import type { ReviewRound, StoryActions } from '../model.js';
import { roundActorsOf } from './review.js';
import { canEdit } from './stories.js';

// Each flag of StoryActions follows the rule its use case enforces (role and unit,
// state, four eyes); the use case still checks on the call.

export function storyActions(access: Access, actor: Actor, story: Story, round: ReviewRound | undefined): StoryActions {
  const retracted = story.retracted_at !== null;
  const editable = !retracted && canEdit(access, actor, story);
  const publisher = access.hasAny(PUBLISHERS, story.unit_id);
  const inReview =
    story.status === 'in_review' &&
    story.review_step !== null &&
    !!story.review_steps &&
    story.review_revision === story.current_revision;
  const stepRole = inReview ? story.review_steps![story.review_step! - 1] : undefined;
  const me = actor.kind === 'staff' ? actor.id : null;
  // four eyes: nobody who submitted this round or signed a step of it signs again
  const signer =
    !retracted &&
    stepRole !== undefined &&
    maySign(access, stepRole, story.unit_id) &&
    !(me !== null && round?.actors.has(me));
  const passed = !!story.review_steps?.length && story.review_steps.every((_, i) => round?.approvedSteps.has(i + 1));
  const releasable = !retracted && publisher && ['approved', 'scheduled'].includes(story.status) && passed;
  return {
    edit: editable,
    submit: editable && story.status === 'draft',
    withdraw: editable && story.status === 'in_review',
    approve: signer,
    reject: signer,
    publish: releasable,
    schedule: releasable,
    unpublish: !retracted && publisher && story.published_revision !== null,
    retract: !retracted && story.first_published_at !== null && access.has('chief_editor', story.unit_id),
    correct: !retracted && publisher && story.published_revision !== null,
  };
}

/** viewerCan for many stories of one tenant: one query for the review rounds of them all. */
export async function storyActionsOf(
  ex: Executor,
  access: Access,
  actor: Actor,
  stories: readonly Story[],
): Promise<StoryActions[]> {
  const rounds = await roundActorsOf(
    ex,
    access.tenantId,
    stories.filter((s) => s.tenant_id === access.tenantId && ['in_review', 'approved', 'scheduled'].includes(s.status)),
  );
  const none: StoryActions = {
    edit: false,
    submit: false,
    withdraw: false,
    approve: false,
    reject: false,
    publish: false,
    schedule: false,
    unpublish: false,
    retract: false,
    correct: false,
  };
  return stories.map((s) =>
    s.tenant_id === access.tenantId && access.member ? storyActions(access, actor, s, rounds.get(s.id)) : none,
  );
}
