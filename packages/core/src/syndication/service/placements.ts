import type { Executor, Placement, SharePolicy, Story, SyndicationJob } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { DomainError, statedReason } from '../../errors.js';
import { enqueue } from '../../events/index.js';
import { appendAudit } from '../../governance/index.js';
import type { Access } from '../../identity/index.js';
import { revisionTextColumns, storyFor, storyText } from '../../newsroom/index.js';
import { indexStory } from '../../search/index.js';
import { descendants, isUuid } from '../../tenancy/index.js';
import { SYNDICATION_TOPICS, type FacesChangedPayload, type FanOutPayload } from '../events.js';
import {
  FAN_OUT_CHUNK,
  SHARE_POLICIES,
  type PlacementPatch,
  type PlacementView,
  type PullInput,
  type PushInput,
} from '../model.js';
import {
  facePlacementViews,
  insertCopyPublished,
  insertDetachedCopy,
  insertJob,
  insertPlacement,
  insertPlacementsIfAbsent,
  lockJob,
  lockPlacement,
  originStory,
  pendingPlacementViews,
  placementOfStory,
  placementViewsOfStory,
  publishedRevisionOf,
  removePushed,
  sectionIdOf,
  sectionIdsBySlug,
  setStorySharePolicy,
  storyById,
  unpinStaleMandatory,
  updateJob,
  updatePlacementRow,
} from '../repo/index.js';
import { requireShareable } from './policy.js';

/** The audit row of a step on a story, in the tenant that took it. */
function auditStory(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  action: string,
  storyId: string,
  detail?: Record<string, unknown>,
): Promise<void> {
  return appendAudit(ex, actor, { tenantId, action, targetKind: 'story', targetId: storyId, detail });
}

const EDITORS = ['editor', 'chief_editor'] as const;
/** Who placed something, as placements and jobs record it. */
const actorId = (a: Actor): string => `${a.kind}:${a.id}`;

export const fanOutPayload = (tenantId: string, jobId: string): FanOutPayload => ({ tenantId, jobId });

/**
 * Tells the worker which faces' cached pages to drop, after this transaction
 * commits. `by` is the tenant writing the event (required under tenant scope).
 */
export async function facesChanged(
  ex: Executor,
  tenantIds: string[],
  reason: string,
  by: string | null = null,
  storyId?: string,
): Promise<void> {
  const ids = [...new Set(tenantIds)];
  const payload: FacesChangedPayload = { tenantIds: ids, reason, ...(storyId ? { storyId } : {}) };
  if (ids.length) await enqueue(ex, { tenantId: by, topic: SYNDICATION_TOPICS.facesChanged, payload: { ...payload } });
}

/** The origin must be live for a face to change how it carries the story (pin, headline, section, detach, accept). */
async function requireLiveOrigin(ex: Executor, p: Pick<Placement, 'origin_tenant_id' | 'story_id'>): Promise<Story> {
  const story = await originStory(ex, p.origin_tenant_id, p.story_id);
  if (story?.retracted_at) throw new DomainError('INVALID_TRANSITION', '来源稿件已撤稿，不能再调整这条转载');
  if (!story || story.published_revision === null)
    throw new DomainError('INVALID_TRANSITION', '来源稿件已撤下，暂不能调整这条转载');
  return story;
}

async function publishedStory(ex: Executor, storyId: string): Promise<Story> {
  if (!isUuid(storyId)) throw new DomainError('STORY_NOT_FOUND');
  // another tenant's story is readable here only when published (RLS public_read)
  const story = await storyById(ex, storyId);
  if (!story) throw new DomainError('STORY_NOT_FOUND');
  if (story.published_revision === null || story.retracted_at) throw new DomainError('NOT_PUBLISHED');
  return story;
}

/**
 * The face's section chosen by id, or null for "the default": the database fills a
 * placement written without a section (placements_fill: the face's section named like
 * the origin's, else its default section), so every path gets the same answer.
 */
async function sectionOf(ex: Executor, tenantId: string, sectionId: string | null | undefined): Promise<string | null> {
  if (!sectionId) return null;
  const id = isUuid(sectionId) ? await sectionIdOf(ex, tenantId, sectionId) : undefined;
  if (!id) throw new DomainError('SECTION_NOT_FOUND');
  return id;
}

export async function setSharePolicy(
  ex: Executor,
  access: Access,
  actor: Actor,
  storyId: string,
  policy: SharePolicy,
): Promise<Story> {
  if (!SHARE_POLICIES.includes(policy)) throw new DomainError('BAD_USER_INPUT', '共享范围不正确');
  const story = await storyFor(ex, access, storyId, { lock: true });
  access.require(EDITORS, story.unit_id);
  const updated = await setStorySharePolicy(ex, story, policy);
  await auditStory(ex, actor, story.tenant_id, 'story.share_policy', story.id, { policy });
  return updated;
}

/** 上推 / 转载: an ancestor places a descendant's published, shareable story on its own face. */
export async function pullStory(ex: Executor, access: Access, actor: Actor, input: PullInput): Promise<Placement> {
  access.require(EDITORS);
  const story = await publishedStory(ex, input.storyId);
  if (story.tenant_id === access.tenantId) throw new DomainError('ALREADY_PLACED');
  await requireShareable(ex, story, access.tenantId);
  const sectionId = await sectionOf(ex, access.tenantId, input.sectionId);
  const title = input.localTitle?.trim() || null;
  if (title && title.length > 120) throw new DomainError('BAD_USER_INPUT', '本地标题最多 120 个字符');
  const existing = await placementOfStory(ex, access.tenantId, story.id);
  let placement: Placement;
  if (existing && existing.status === 'active') throw new DomainError('ALREADY_PLACED');
  if (existing) {
    // an offer waiting in the inbox, or one declined or removed before: taking it now activates it
    placement = await updatePlacementRow(ex, access.tenantId, existing.id, {
      status: 'active',
      section_id: sectionId,
      pinned: input.pinned ?? false,
      local_title: title,
      placed_by: actorId(actor),
      placed_at: new Date(),
      updated_at: new Date(),
      ...(existing.mode === 'offered' ? {} : { mode: 'pulled' as const }),
    });
  } else {
    placement = await insertPlacement(ex, {
      tenant_id: access.tenantId,
      story_id: story.id,
      origin_tenant_id: story.tenant_id,
      mode: 'pulled',
      status: 'active',
      section_id: sectionId,
      pinned: input.pinned ?? false,
      local_title: title,
      placed_by: actorId(actor),
    });
  }
  await auditStory(ex, actor, access.tenantId, 'syndication.pull', story.id, { origin: story.tenant_id });
  await facesChanged(ex, [access.tenantId], 'pull', access.tenantId, story.id);
  return placement;
}

/**
 * 下发: places an own story on descendants' faces. The placements are written by
 * the worker in chunks (a push may reach 175 faces), with progress on the job.
 */
export async function pushStory(ex: Executor, access: Access, actor: Actor, input: PushInput): Promise<SyndicationJob> {
  access.require(EDITORS);
  const story = await storyFor(ex, access, input.storyId);
  if (story.published_revision === null || story.retracted_at) throw new DomainError('NOT_PUBLISHED');
  const below = await descendants(ex, access.tenantId);
  let targets: string[];
  if (input.targets.kind === 'all') targets = below.map((t) => t.id);
  else if (input.targets.kind === 'level') {
    const level = input.targets.level;
    targets = below.filter((t) => t.level === level).map((t) => t.id);
  } else {
    const allowed = new Set(below.map((t) => t.id));
    const wanted = [...new Set(input.targets.tenantIds)];
    if (wanted.some((id) => !allowed.has(id))) throw new DomainError('TARGET_NOT_DESCENDANT');
    targets = wanted;
  }
  if (!targets.length) throw new DomainError('BAD_USER_INPUT', '没有可下发的目标门户');
  // no share-policy check here: the policy says who may *take* a story; pushing is the origin's own act
  if (input.sectionSlug && !/^[a-z][a-z0-9-]{0,39}$/.test(input.sectionSlug))
    throw new DomainError('BAD_USER_INPUT', '栏目标识格式不正确');
  const job = await insertJob(ex, {
    tenant_id: access.tenantId,
    story_id: story.id,
    kind: 'push',
    mandatory: input.mandatory,
    targets,
    section_slug: input.sectionSlug ?? null,
    total: targets.length,
    created_by: actorId(actor),
  });
  await enqueue(ex, {
    tenantId: access.tenantId,
    topic: SYNDICATION_TOPICS.fanOut,
    payload: { ...fanOutPayload(access.tenantId, job.id) },
  });
  await auditStory(
    ex,
    actor,
    access.tenantId,
    input.mandatory ? 'syndication.push_mandatory' : 'syndication.offer',
    story.id,
    { jobId: job.id, targets: targets.length },
  );
  return job;
}

/** Withdraws pushes of an own story from descendants (the only way a mandatory push goes). */
export async function withdrawPush(
  ex: Executor,
  access: Access,
  actor: Actor,
  storyId: string,
  tenantIds?: string[],
): Promise<SyndicationJob> {
  access.require(EDITORS);
  const story = await storyFor(ex, access, storyId);
  const below = new Set((await descendants(ex, access.tenantId)).map((t) => t.id));
  const targets = (tenantIds ?? [...below]).filter((id) => below.has(id));
  const job = await insertJob(ex, {
    tenant_id: access.tenantId,
    story_id: story.id,
    kind: 'withdraw',
    targets,
    total: targets.length,
    created_by: actorId(actor),
  });
  await enqueue(ex, {
    tenantId: access.tenantId,
    topic: SYNDICATION_TOPICS.fanOut,
    payload: { ...fanOutPayload(access.tenantId, job.id) },
  });
  await auditStory(ex, actor, access.tenantId, 'syndication.withdraw', story.id, { jobId: job.id });
  return job;
}

/**
 * The worker's side of a push (platform scope): places the story on the next
 * chunk of targets and returns whether more remain. Safe to repeat: a face that
 * already has the story keeps its placement, and `done` counts what exists.
 */
export async function fanOutChunk(
  ex: Executor,
  jobTenantId: string,
  jobId: string,
  chunk = FAN_OUT_CHUNK,
): Promise<{ job: SyndicationJob; more: boolean; touched: string[] }> {
  const job = await lockJob(ex, jobTenantId, jobId);
  if (!job) throw new Error(`syndication job ${jobId} not found`);
  if (job.status !== 'running') return { job, more: false, touched: [] };
  const story = await originStory(ex, job.tenant_id, job.story_id);
  // a job whose story was retracted meanwhile places nothing more
  const live = story && story.published_revision !== null && !story.retracted_at;
  const targets = job.targets.slice(job.done, job.done + chunk);
  if (job.kind === 'push' && live && targets.length) {
    const sections = job.section_slug
      ? await sectionIdsBySlug(ex, targets, job.section_slug)
      : new Map<string, string>();
    await insertPlacementsIfAbsent(
      ex,
      targets.map((t) => ({
        tenant_id: t,
        story_id: job.story_id,
        origin_tenant_id: job.tenant_id,
        mode: job.mandatory ? ('pushed' as const) : ('offered' as const),
        mandatory: job.mandatory,
        status: job.mandatory ? ('active' as const) : ('pending' as const),
        section_id: sections.get(t) ?? null,
        pinned: job.mandatory,
        placed_by: job.created_by,
        job_id: job.id,
      })),
    );
    // mandatory pushes are pinned while fresh: a new one unpins those older than a week on these faces
    if (job.mandatory) await unpinStaleMandatory(ex, targets);
  } else if (job.kind === 'withdraw' && targets.length) {
    await removePushed(ex, targets, job.story_id);
  }
  const done = Math.min(
    job.targets.length,
    job.done + (live || job.kind === 'withdraw' ? targets.length : job.targets.length),
  );
  const more = done < job.targets.length;
  const updated = await updateJob(ex, job, {
    done,
    ...(more
      ? {}
      : {
          status: live || job.kind === 'withdraw' ? ('finished' as const) : ('failed' as const),
          finished_at: new Date(),
        }),
  });
  if (job.mandatory || job.kind === 'withdraw') await facesChanged(ex, targets, job.kind, null, job.story_id);
  return { job: updated, more, touched: targets };
}

/**
 * Offers waiting in this tenant's inbox. An offer whose origin was since taken down
 * stays listed with that state (the worker removes offers of retracted stories).
 */
export async function inbox(ex: Executor, access: Access): Promise<PlacementView[]> {
  access.requireMember();
  return pendingPlacementViews(ex, access.tenantId);
}

/** 本门户转载: everything this face carries or was offered from others, latest placement first. */
export async function facePlacements(
  ex: Executor,
  access: Access,
  page: { limit?: number; offset?: number } = {},
): Promise<PlacementView[]> {
  access.requireMember();
  return facePlacementViews(
    ex,
    access.tenantId,
    Math.min(Math.max(page.limit ?? 50, 1), 200),
    Math.max(page.offset ?? 0, 0),
  );
}

async function ownPlacement(ex: Executor, access: Access, id: string): Promise<Placement> {
  const p = await lockPlacement(ex, access.tenantId, id);
  if (!p) throw new DomainError('PLACEMENT_NOT_FOUND');
  return p;
}

export async function acceptOffer(
  ex: Executor,
  access: Access,
  actor: Actor,
  placementId: string,
  sectionId?: string | null,
): Promise<Placement> {
  access.require(EDITORS);
  const p = await ownPlacement(ex, access, placementId);
  if (p.status !== 'pending') throw new DomainError('INVALID_TRANSITION', '只有待处理的下发稿件可以采用');
  await requireLiveOrigin(ex, p);
  const section = await sectionOf(ex, access.tenantId, sectionId ?? p.section_id);
  const updated = await updatePlacementRow(ex, access.tenantId, p.id, {
    status: 'active',
    section_id: section,
    placed_at: new Date(),
    updated_at: new Date(),
    placed_by: actorId(actor),
  });
  await auditStory(ex, actor, access.tenantId, 'syndication.accept', p.story_id);
  await facesChanged(ex, [access.tenantId], 'accept', access.tenantId, p.story_id);
  return updated;
}

export async function declineOffer(
  ex: Executor,
  access: Access,
  actor: Actor,
  placementId: string,
  reason: string,
): Promise<Placement> {
  access.require(EDITORS);
  const why = statedReason(reason, '拒绝采用需填写理由');
  const p = await ownPlacement(ex, access, placementId);
  if (p.status !== 'pending') throw new DomainError('INVALID_TRANSITION', '只有待处理的下发稿件可以拒绝');
  const updated = await updatePlacementRow(ex, access.tenantId, p.id, {
    status: 'declined',
    decline_reason: why,
    updated_at: new Date(),
  });
  await auditStory(ex, actor, access.tenantId, 'syndication.decline', p.story_id, { reason: why });
  return updated;
}

/** Takes a placed story off this face. A mandatory push cannot be removed by its recipient. */
export async function removePlacement(
  ex: Executor,
  access: Access,
  actor: Actor,
  placementId: string,
): Promise<Placement> {
  access.require(EDITORS);
  const p = await ownPlacement(ex, access, placementId);
  if (p.mandatory) throw new DomainError('MANDATORY_PLACEMENT');
  if (p.mode === 'own') throw new DomainError('INVALID_TRANSITION', '本单位稿件请使用撤下发布');
  const updated = await updatePlacementRow(ex, access.tenantId, p.id, { status: 'removed', updated_at: new Date() });
  await auditStory(ex, actor, access.tenantId, 'syndication.remove', p.story_id);
  await facesChanged(ex, [access.tenantId], 'remove', access.tenantId, p.story_id);
  return updated;
}

/** A face may override headline, section and position of what it carries. */
export async function updatePlacement(
  ex: Executor,
  access: Access,
  actor: Actor,
  placementId: string,
  patch: PlacementPatch,
): Promise<Placement> {
  access.require(EDITORS);
  const p = await ownPlacement(ex, access, placementId);
  await requireLiveOrigin(ex, p);
  const title = patch.localTitle === undefined ? undefined : patch.localTitle?.trim() || null;
  if (title && title.length > 120) throw new DomainError('BAD_USER_INPUT', '本地标题最多 120 个字符');
  const updated = await updatePlacementRow(ex, access.tenantId, p.id, {
    ...(patch.sectionId !== undefined ? { section_id: await sectionOf(ex, access.tenantId, patch.sectionId) } : {}),
    ...(patch.pinned !== undefined ? { pinned: patch.pinned } : {}),
    ...(patch.position !== undefined ? { position: patch.position } : {}),
    ...(title !== undefined ? { local_title: title } : {}),
    updated_at: new Date(),
  });
  await auditStory(ex, actor, access.tenantId, 'syndication.update', p.story_id, { fields: Object.keys(patch) });
  await facesChanged(ex, [access.tenantId], 'update', access.tenantId, p.story_id);
  return updated;
}

/**
 * Detaches a placed story into this tenant's own copy, on purpose: the copy no
 * longer follows the origin (corrections, retraction) but still names it.
 */
export async function detachPlacement(ex: Executor, access: Access, actor: Actor, placementId: string): Promise<Story> {
  access.require(['chief_editor']);
  const p = await ownPlacement(ex, access, placementId);
  if (p.mode === 'own' || p.status !== 'active')
    throw new DomainError('INVALID_TRANSITION', '只有正在刊发的转载稿件可以转为本地副本');
  const origin = await requireLiveOrigin(ex, p);
  const rev = await publishedRevisionOf(ex, origin);
  const now = new Date();
  const copy = await insertDetachedCopy(
    ex,
    {
      tenant_id: access.tenantId,
      kind: origin.kind,
      status: 'published',
      section_id: p.section_id,
      current_revision: 1,
      published_revision: 1,
      first_published_at: origin.first_published_at ?? now,
      published_at: origin.published_at ?? now,
      share_policy: 'none',
      origin_tenant_id: origin.tenant_id,
      origin_story_id: origin.id,
      created_by: actor.kind === 'staff' ? actor.id : null,
    },
    {
      number: 1,
      ...revisionTextColumns(storyText(rev)),
      title: p.local_title ?? rev.title,
      // images stay the origin's: usable here only if shared; otherwise the copy shows text only
      cover_asset_id: null,
      tags: rev.tags,
      link_url: rev.link_url,
      body: JSON.stringify((rev.body as { type: string }[]).filter((b) => b.type !== 'image')),
      created_by: actor.kind === 'staff' ? actor.id : null,
    },
  );
  await updatePlacementRow(ex, access.tenantId, p.id, {
    status: 'detached',
    detached_story_id: copy.id,
    updated_at: now,
  });
  await insertPlacement(ex, {
    tenant_id: access.tenantId,
    story_id: copy.id,
    origin_tenant_id: access.tenantId,
    mode: 'own',
    status: 'active',
    section_id: p.section_id,
    pinned: p.pinned,
    placed_at: p.placed_at,
    placed_by: actorId(actor),
  });
  await insertCopyPublished(
    ex,
    copy,
    { id: actor.kind === 'staff' ? actor.id : null, name: actor.name },
    `由转载稿件转为本地副本（来源稿件 ${origin.id}）`,
  );
  await indexStory(ex, access.tenantId, copy.id);
  await auditStory(ex, actor, access.tenantId, 'syndication.detach', copy.id, {
    originStoryId: origin.id,
    originTenantId: origin.tenant_id,
  });
  await facesChanged(ex, [access.tenantId], 'detach', access.tenantId);
  return copy;
}

/** 稿件去向: every face carrying an own story, with how it got there and its state there. */
export async function whereIsMyStory(
  ex: Executor,
  access: Access,
  storyId: string,
): Promise<(PlacementView & { tenant_name: string; tenant_slug: string })[]> {
  const story = await storyFor(ex, access, storyId);
  return placementViewsOfStory(ex, story.tenant_id, story.id);
}
