import type { Executor, ReviewAction, ReviewEvent, Story } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { DomainError, statedReason } from '../../errors.js';
import { enqueue } from '../../events/index.js';
import { appendAudit } from '../../governance/index.js';
import { maySign, PUBLISHERS, ROLE_NAMES, type Access } from '../../identity/index.js';
import { hasBlocking, type Finding } from '../../terminology/index.js';
import {
  reactToStoryChange,
  STORY_TOPICS,
  type PublishDuePayload,
  type ReviewChangedPayload,
  type StoryChangedPayload,
  type StoryPublishedPayload,
} from '../events.js';
import type { ReviewRound } from '../model.js';
import {
  eventsOfRevisions,
  insertCorrection,
  insertReviewEvent,
  isDue,
  revisionEvents,
  revisionOf,
  storiesInReview,
  storyRow,
  updateStory,
  type StoryValues,
} from '../repo/index.js';
import { checkerFor, revisionFindings } from '../terminology-rules.js';
import { chainFor } from './review-settings.js';
import { staffId } from './staff-id.js';
import { canEdit, storyFor } from './stories.js';

const changed = (story: Story): StoryChangedPayload => ({ tenantId: story.tenant_id, storyId: story.id });

async function record(
  ex: Executor,
  actor: Actor,
  story: Story,
  action: ReviewAction,
  revision: number,
  step: number | null,
  comment = '',
): Promise<void> {
  await insertReviewEvent(ex, {
    tenant_id: story.tenant_id,
    story_id: story.id,
    revision,
    step,
    action,
    actor_id: staffId(actor),
    actor_name: actor.name,
    comment,
  });
  await appendAudit(ex, actor, {
    tenantId: story.tenant_id,
    action: `story.${action}`,
    targetKind: 'story',
    targetId: story.id,
    revision,
    detail: { ...(step ? { step } : {}), ...(comment ? { comment } : {}) },
  });
}

const update = (ex: Executor, story: Story, values: StoryValues): Promise<Story> => updateStory(ex, story, values);

const queueChanged = (ex: Executor, story: Story) => {
  const payload: ReviewChangedPayload = { tenantId: story.tenant_id, storyId: story.id, status: story.status };
  return enqueue(ex, { tenantId: story.tenant_id, topic: STORY_TOPICS.reviewChanged, payload: { ...payload } });
};

/** Terminology findings of the current revision; `block` findings refuse the transition. */
async function refuseBlocked(ex: Executor, story: Story, revision: number): Promise<Finding[]> {
  const rev = await revisionOf(ex, story.tenant_id, story.id, revision);
  if (!rev) throw new DomainError('STORY_NOT_FOUND');
  const findings = revisionFindings(await checkerFor(ex, story.tenant_id), rev);
  if (hasBlocking(findings)) {
    const blocking = findings.filter((f) => f.severity === 'block');
    throw new DomainError(
      'TERMINOLOGY_BLOCKED',
      `稿件含有禁用表述：${[...new Set(blocking.map((f) => f.match))].slice(0, 5).join('、')}`,
      blocking.map((f) => ({
        path: f.blockIndex >= 0 ? `body[${f.blockIndex}].${f.field.replace(/^body\./, '')}` : f.field,
        message: `「${f.match}」${f.note ? `：${f.note}` : ''}（第 ${f.start + 1} 字起）`,
      })),
    );
  }
  return findings;
}

/** Sends the current revision into the review chain. */
export async function submitForReview(ex: Executor, access: Access, actor: Actor, storyId: string): Promise<Story> {
  const story = await storyFor(ex, access, storyId, { lock: true });
  if (!canEdit(access, actor, story)) throw new DomainError('FORBIDDEN', '您不能提交这篇稿件');
  if (story.status !== 'draft') throw new DomainError('INVALID_TRANSITION', '只有草稿可以提交审校');
  if (story.retracted_at) throw new DomainError('INVALID_TRANSITION', '已撤稿的稿件不能再提交');
  await refuseBlocked(ex, story, story.current_revision);
  const steps = await chainFor(ex, story.tenant_id, story.section_id);
  const updated = await update(ex, story, {
    status: 'in_review',
    review_revision: story.current_revision,
    review_step: 1,
    review_steps: steps,
  });
  await record(ex, actor, updated, 'submit', story.current_revision, null);
  await queueChanged(ex, updated);
  return updated;
}

/** 撤回送审: whoever may edit the story takes it back out of the chain, to draft. */
export async function withdrawFromReview(ex: Executor, access: Access, actor: Actor, storyId: string): Promise<Story> {
  const story = await storyFor(ex, access, storyId, { lock: true });
  if (!canEdit(access, actor, story)) throw new DomainError('FORBIDDEN', '您不能撤回这篇稿件');
  if (story.status !== 'in_review') throw new DomainError('INVALID_TRANSITION', '只有审校中的稿件可以撤回');
  const updated = await update(ex, story, { status: 'draft', review_step: null, review_revision: null });
  await record(ex, actor, updated, 'withdraw', story.current_revision, story.review_step, '撤回送审');
  await queueChanged(ex, updated);
  return updated;
}

/** Events of the revision under review, to enforce four eyes. */
const eventsOf = (ex: Executor, story: Story, revision: number): Promise<ReviewEvent[]> =>
  revisionEvents(ex, story, revision);

/** The submission that opened the current review round, and the approvals since. */
function currentRound(events: ReviewEvent[]): ReviewEvent[] {
  const lastSubmit = events.map((e) => e.action).lastIndexOf('submit');
  return lastSubmit < 0 ? [] : events.slice(lastSubmit);
}

async function requireSigner(
  ex: Executor,
  access: Access,
  actor: Actor,
  story: Story,
): Promise<{ step: number; total: number }> {
  if (
    story.status !== 'in_review' ||
    !story.review_step ||
    !story.review_steps ||
    story.review_revision !== story.current_revision
  ) {
    throw new DomainError('INVALID_TRANSITION', '稿件不在审校中');
  }
  const step = story.review_step;
  const role = story.review_steps[step - 1]!;
  if (!maySign(access, role, story.unit_id))
    throw new DomainError(
      'FORBIDDEN',
      `第 ${step} 审需要${ROLE_NAMES[role]}${role === 'chief_editor' ? '' : '或更高职级'}签发`,
    );
  const round = currentRound(await eventsOf(ex, story, story.review_revision));
  // four eyes: the submitter does not review, and nobody signs two steps of one round
  if (round.some((e) => e.actor_id !== null && e.actor_id === staffId(actor))) throw new DomainError('REVIEW_CONFLICT');
  return { step, total: story.review_steps.length };
}

export async function approveStep(
  ex: Executor,
  access: Access,
  actor: Actor,
  storyId: string,
  comment = '',
): Promise<Story> {
  const story = await storyFor(ex, access, storyId, { lock: true });
  const { step, total } = await requireSigner(ex, access, actor, story);
  if (comment.length > 1000) throw new DomainError('BAD_USER_INPUT', '意见最多 1000 个字符');
  const last = step >= total;
  const updated = await update(ex, story, last ? { status: 'approved', review_step: null } : { review_step: step + 1 });
  await record(ex, actor, updated, 'approve', story.current_revision, step, comment.trim());
  await queueChanged(ex, updated);
  return updated;
}

export async function rejectStep(
  ex: Executor,
  access: Access,
  actor: Actor,
  storyId: string,
  reason: string,
): Promise<Story> {
  const story = await storyFor(ex, access, storyId, { lock: true });
  const { step } = await requireSigner(ex, access, actor, story);
  const why = reason.trim();
  if (!why) throw new DomainError('REASON_REQUIRED', '退回稿件必须填写理由');
  if (why.length > 1000) throw new DomainError('BAD_USER_INPUT', '理由最多 1000 个字符');
  const updated = await update(ex, story, { status: 'draft', review_step: null, review_revision: null });
  await record(ex, actor, updated, 'reject', story.current_revision, step, why);
  await queueChanged(ex, updated);
  return updated;
}

/**
 * Whether the revision passed every step of the chain in its latest round:
 * checked from the recorded events, not from the status column alone, so that
 * publishing an unreviewed revision is impossible whoever asks.
 */
export async function passedReview(ex: Executor, story: Story, revision: number): Promise<boolean> {
  const steps = story.review_steps;
  if (!steps?.length) return false;
  const round = currentRound(await eventsOf(ex, story, revision));
  const approvedSteps = new Set(round.filter((e) => e.action === 'approve').map((e) => e.step));
  return steps.every((_, i) => approvedSteps.has(i + 1));
}

async function goLive(ex: Executor, actor: Actor, story: Story): Promise<Story> {
  const now = new Date();
  const updated = await update(ex, story, {
    status: 'published',
    published_revision: story.current_revision,
    published_at: now,
    first_published_at: story.first_published_at ?? now,
    scheduled_at: null,
  });
  await record(ex, actor, updated, 'publish', story.current_revision, null);
  // the own placement and the search document, in this transaction (syndication and search react)
  await reactToStoryChange(ex, { kind: 'published', story: updated });
  const payload: StoryPublishedPayload = {
    tenantId: story.tenant_id,
    storyId: story.id,
    revision: story.current_revision,
    firstTime: !story.first_published_at,
  };
  await enqueue(ex, { tenantId: story.tenant_id, topic: STORY_TOPICS.published, payload: { ...payload } });
  return updated;
}

/** Publishes an approved story now, or schedules it (the worker publishes it when due). */
export async function publishStory(
  ex: Executor,
  access: Access,
  actor: Actor,
  storyId: string,
  at?: Date | null,
): Promise<Story> {
  const story = await storyFor(ex, access, storyId, { lock: true });
  access.require(PUBLISHERS, story.unit_id);
  if (story.retracted_at) throw new DomainError('INVALID_TRANSITION', '已撤稿的稿件不能发布');
  if (!['approved', 'scheduled'].includes(story.status) || !(await passedReview(ex, story, story.current_revision)))
    throw new DomainError('REVIEW_NOT_PASSED');
  await refuseBlocked(ex, story, story.current_revision); // rules may have changed since review
  if (at && at.getTime() > Date.now() + 1000) {
    if (at.getTime() > Date.now() + 366 * 86400_000)
      throw new DomainError('BAD_USER_INPUT', '定时发布时间不能超过一年');
    const updated = await update(ex, story, { status: 'scheduled', scheduled_at: at });
    await record(ex, actor, updated, 'schedule', story.current_revision, null, at.toISOString());
    const payload: PublishDuePayload = {
      tenantId: story.tenant_id,
      storyId: story.id,
      revision: story.current_revision,
      at: at.toISOString(),
    };
    await enqueue(ex, {
      tenantId: story.tenant_id,
      topic: STORY_TOPICS.publishDue,
      payload: { ...payload },
      availableAt: at,
    });
    return updated;
  }
  return goLive(ex, actor, story);
}

/**
 * The worker's side of scheduled publishing: publishes only if the story is
 * still scheduled for this very revision and is due. Safe to run twice.
 */
export async function publishIfDue(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  storyId: string,
  revision: number,
): Promise<Story | null> {
  const story = await storyRow(ex, tenantId, storyId, { lock: true });
  if (!story || story.status !== 'scheduled' || story.current_revision !== revision || story.retracted_at) return null;
  // the database's clock decides, as it did when releasing the event
  if (!story.scheduled_at || !(await isDue(ex, story.scheduled_at))) return null;
  if (!(await passedReview(ex, story, revision))) return null;
  try {
    await refuseBlocked(ex, story, revision); // a rule added since scheduling still stops it
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'TERMINOLOGY_BLOCKED') throw err;
    const held = await update(ex, story, { status: 'approved', scheduled_at: null });
    await record(ex, actor, held, 'withdraw', revision, null, `定时发布已取消：${err.message}`);
    await queueChanged(ex, held);
    return null;
  }
  return goLive(ex, actor, story);
}

export async function unpublishStory(
  ex: Executor,
  access: Access,
  actor: Actor,
  storyId: string,
  reason = '',
): Promise<Story> {
  const story = await storyFor(ex, access, storyId, { lock: true });
  access.require(PUBLISHERS, story.unit_id);
  if (story.retracted_at) throw new DomainError('INVALID_TRANSITION', '已撤稿的稿件无需撤下');
  if (story.published_revision === null) throw new DomainError('INVALID_TRANSITION', '稿件尚未发布');
  const status = story.status === 'published' ? 'approved' : story.status;
  const updated = await update(ex, story, { published_revision: null, published_at: null, status });
  await afterPublicChange(ex, actor, updated, 'unpublished', 'unpublish', story.published_revision, reason.trim());
  return updated;
}

/** After a public story is unpublished, corrected or retracted: its event, the reactions, the outbox message. */
async function afterPublicChange(
  ex: Executor,
  actor: Actor,
  updated: Story,
  kind: 'unpublished' | 'corrected' | 'retracted',
  action: ReviewAction,
  revision: number,
  note: string,
): Promise<void> {
  await record(ex, actor, updated, action, revision, null, note);
  await reactToStoryChange(ex, { kind, story: updated });
  await enqueue(ex, { tenantId: updated.tenant_id, topic: STORY_TOPICS[kind], payload: { ...changed(updated) } });
}

/** 更正: a dated note shown with the published story. */
export async function correctStory(
  ex: Executor,
  access: Access,
  actor: Actor,
  storyId: string,
  note: string,
): Promise<Story> {
  const story = await storyFor(ex, access, storyId, { lock: true });
  access.require(PUBLISHERS, story.unit_id);
  if (story.published_revision === null || story.retracted_at)
    throw new DomainError('INVALID_TRANSITION', '只有已发布的稿件可以更正');
  const text = statedReason(note, '请填写更正说明', '更正说明');
  await insertCorrection(ex, {
    tenant_id: story.tenant_id,
    story_id: story.id,
    revision: story.published_revision,
    note: text,
    created_by: staffId(actor),
  });
  const updated = await update(ex, story, {});
  await afterPublicChange(ex, actor, updated, 'corrected', 'correct', story.published_revision, text);
  return updated;
}

/** 撤稿: the story leaves every face; its public URL answers 410 with the notice. */
export async function retractStory(
  ex: Executor,
  access: Access,
  actor: Actor,
  storyId: string,
  reason: string,
): Promise<Story> {
  const story = await storyFor(ex, access, storyId, { lock: true });
  access.require('chief_editor', story.unit_id);
  if (story.retracted_at) throw new DomainError('INVALID_TRANSITION', '稿件已撤稿');
  if (story.first_published_at === null) throw new DomainError('INVALID_TRANSITION', '未发布过的稿件无需撤稿');
  const why = statedReason(reason, '撤稿必须填写理由');
  const updated = await update(ex, story, {
    retracted_at: new Date(),
    retraction_reason: why,
    scheduled_at: null,
    status: story.status === 'scheduled' ? 'approved' : story.status,
  });
  const revision = story.published_revision ?? story.current_revision;
  await afterPublicChange(ex, actor, updated, 'retracted', 'retract', revision, why);
  return updated;
}

/**
 * Who has acted in each story's current review round (the submitter and every
 * signer), for many stories in one query: the four-eyes rule asks this per story.
 */
export async function roundActorsOf(
  ex: Executor,
  tenantId: string,
  stories: readonly Story[],
): Promise<Map<string, ReviewRound>> {
  const out = new Map<string, ReviewRound>();
  const wanted = stories.filter((s) => s.tenant_id === tenantId && (s.review_revision ?? s.current_revision) > 0);
  if (!wanted.length) return out;
  const rows = await eventsOfRevisions(
    ex,
    tenantId,
    wanted.map((s) => ({ storyId: s.id, revision: s.review_revision ?? s.current_revision })),
  );
  const byStory = new Map<string, ReviewEvent[]>();
  for (const e of rows) byStory.set(e.story_id, [...(byStory.get(e.story_id) ?? []), e]);
  for (const s of wanted) {
    const round = currentRound(byStory.get(s.id) ?? []);
    out.set(s.id, {
      actors: new Set(round.map((e) => e.actor_id).filter((id): id is string => id !== null)),
      approvedSteps: new Set(round.filter((e) => e.action === 'approve' && e.step !== null).map((e) => e.step!)),
    });
  }
  return out;
}

/**
 * What waits for this person: stories whose current step they may sign (its role
 * or a more senior one), that they neither submitted nor signed in this round.
 */
export async function reviewQueue(ex: Executor, access: Access, actor: Actor): Promise<Story[]> {
  access.requireMember();
  const waiting = (await storiesInReview(ex, access.tenantId, access.unitScope)).filter((s) => {
    const role = s.review_steps?.[(s.review_step ?? 1) - 1];
    return role !== undefined && maySign(access, role, s.unit_id);
  });
  const rounds = await roundActorsOf(ex, access.tenantId, waiting);
  const me = staffId(actor);
  return waiting.filter((s) => !(me !== null && rounds.get(s.id)?.actors.has(me)));
}
