import type { Executor, Story } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { DomainError } from '../../errors.js';
import { appendAudit } from '../../governance/index.js';
import type { Access } from '../../identity/index.js';
import { decodeCursor, encodeCursor, pageSize, toPage, type Page } from '../../pagination.js';
import { isUuid } from '../../tenancy/index.js';
import { assetIdsOf, videoIdsOf } from '../blocks.js';
import {
  cleanContent,
  STORY_KINDS,
  type CleanContent,
  type NewStory,
  type SaveOptions,
  type StoryContent,
  type StoryFilter,
  type StoryWithRevision,
} from '../model.js';
import {
  insertReviewEvent,
  insertRevision,
  insertStory,
  sectionById,
  storyListRows,
  storyRow,
  unitById,
  updateStory,
  visibleAssetIds,
  visibleVideoIds,
} from '../repo/index.js';
import { staffId } from './staff-id.js';

/** Roles that may write stories. A unit-limited grant writes only that unit's stories. */
const WRITERS = ['reporter', 'editor', 'chief_editor'] as const;
const EDITORS = ['editor', 'chief_editor'] as const;

/** Every referenced image must be the tenant's own or shared in the tree (RLS decides what is visible). */
async function checkAssets(ex: Executor, c: CleanContent): Promise<void> {
  const ids = [...assetIdsOf(c.body), ...(c.coverAssetId ? [c.coverAssetId] : [])];
  const have = ids.length ? await visibleAssetIds(ex, ids) : new Set<string>();
  const missing = ids.filter((id) => !have.has(id));
  if (missing.length)
    throw new DomainError(
      'ASSET_NOT_FOUND',
      '引用的图片不存在或不可使用',
      missing.map((id) => ({ path: 'assetId', message: id })),
    );
  const videoIds = videoIdsOf(c.body);
  if (!videoIds.length) return;
  const videos = await visibleVideoIds(ex, videoIds);
  const gone = videoIds.filter((id) => !videos.has(id));
  if (gone.length)
    throw new DomainError(
      'VIDEO_NOT_FOUND',
      '引用的视频不存在或不可使用',
      gone.map((id) => ({ path: 'videoId', message: id })),
    );
}

async function checkPlacement(
  ex: Executor,
  access: Access,
  sectionId: string | null,
  unitId: string | null,
): Promise<void> {
  if (sectionId && !(isUuid(sectionId) && (await sectionById(ex, access.tenantId, sectionId)))) {
    throw new DomainError('SECTION_NOT_FOUND');
  }
  if (unitId) {
    const unit = await unitById(ex, access.tenantId, unitId);
    if (!unit) throw new DomainError('UNIT_NOT_FOUND');
    if (unit.status !== 'active') throw new DomainError('BAD_USER_INPUT', '该政务号已停用');
  }
}

/** Drafts a new story (revision 1). A unit member must write in their own unit. */
export async function createStory(
  ex: Executor,
  access: Access,
  actor: Actor,
  input: NewStory,
): Promise<StoryWithRevision> {
  if (!STORY_KINDS.includes(input.kind))
    throw new DomainError('BAD_USER_INPUT', '稿件类型不正确', [{ path: 'kind', message: '类型不正确' }]);
  let unitId = input.unitId ?? null;
  const scope = access.unitScope;
  if (scope && !unitId && scope.length === 1) unitId = scope[0]!; // a unit member's story belongs to their unit
  access.require(WRITERS, unitId);
  const content = cleanContent(input.kind, input);
  await checkPlacement(ex, access, input.sectionId ?? null, unitId);
  await checkAssets(ex, content);
  const story = await insertStory(ex, {
    tenant_id: access.tenantId,
    kind: input.kind,
    section_id: input.sectionId ?? null,
    unit_id: unitId,
    created_by: staffId(actor),
  });
  const revision = await insertRevision(ex, access.tenantId, story.id, 1, content, staffId(actor));
  await appendAudit(ex, actor, {
    tenantId: access.tenantId,
    action: 'story.create',
    targetKind: 'story',
    targetId: story.id,
    revision: 1,
  });
  return { story, revision };
}

/** A story visible to this person: whole tenant, or only their units' stories. Locks it when asked. */
export async function storyFor(
  ex: Executor,
  access: Access,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<Story> {
  if (!isUuid(id)) throw new DomainError('STORY_NOT_FOUND');
  const story = await storyRow(ex, access.tenantId, id, opts);
  const scope = access.unitScope;
  if (!story || !access.member || (scope && (!story.unit_id || !scope.includes(story.unit_id))))
    throw new DomainError('STORY_NOT_FOUND');
  return story;
}

/** Whether this person may change the story's content now. */
export function canEdit(access: Access, actor: Actor, story: Story): boolean {
  if (access.hasAny(EDITORS, story.unit_id)) return true;
  return access.has('reporter', story.unit_id) && (story.created_by === actor.id || story.unit_id !== null);
}

/**
 * Saves new content as the next revision. Editing a story that is in review,
 * approved, scheduled or published sends the new revision back to draft: it
 * must pass the chain again, while the published revision stays public.
 */
export async function saveRevision(
  ex: Executor,
  access: Access,
  actor: Actor,
  storyId: string,
  input: StoryContent,
  opts: SaveOptions = {},
): Promise<StoryWithRevision> {
  const story = await storyFor(ex, access, storyId, { lock: true });
  if (!canEdit(access, actor, story)) throw new DomainError('FORBIDDEN', '您不能修改这篇稿件');
  if (story.retracted_at) throw new DomainError('INVALID_TRANSITION', '已撤稿的稿件不能再修改');
  if (opts.baseRevision !== undefined && opts.baseRevision !== story.current_revision)
    throw new DomainError('STALE_REVISION');
  const content = cleanContent(story.kind, input);
  const sectionId = opts.sectionId !== undefined ? opts.sectionId : story.section_id;
  const unitId = opts.unitId !== undefined ? opts.unitId : story.unit_id;
  if (unitId !== story.unit_id) access.require(WRITERS, unitId);
  await checkPlacement(ex, access, sectionId, unitId);
  await checkAssets(ex, content);
  const number = story.current_revision + 1;
  const revision = await insertRevision(ex, access.tenantId, story.id, number, content, staffId(actor));
  const wasInReview = story.status === 'in_review';
  const updated = await updateStory(ex, story, {
    current_revision: number,
    status: 'draft',
    review_revision: null,
    review_step: null,
    review_steps: null,
    scheduled_at: null,
    section_id: sectionId,
    unit_id: unitId,
  });
  if (wasInReview || story.status === 'scheduled') {
    await insertReviewEvent(ex, {
      tenant_id: access.tenantId,
      story_id: story.id,
      revision: story.current_revision,
      action: 'withdraw',
      actor_id: staffId(actor),
      actor_name: actor.name,
      comment: '修改稿件，重新进入审校',
    });
  }
  await appendAudit(ex, actor, {
    tenantId: access.tenantId,
    action: 'story.revise',
    targetKind: 'story',
    targetId: story.id,
    revision: number,
    detail: { previousStatus: story.status },
  });
  return { story: updated, revision };
}

/** The newsroom's story list, newest change first, limited to what this person may see. */
export async function listStories(ex: Executor, access: Access, filter: StoryFilter): Promise<Page<Story>> {
  access.requireMember();
  const limit = pageSize(filter);
  for (const [name, v] of [
    ['sectionId', filter.sectionId],
    ['unitId', filter.unitId],
    ['createdBy', filter.createdBy],
  ] as const) {
    if (v && !isUuid(v))
      throw new DomainError('BAD_USER_INPUT', '筛选条件不正确', [{ path: name, message: '格式不正确' }]);
  }
  const after = decodeCursor(filter.after);
  if (after) {
    const [at, id] = after;
    if (!isUuid(id) || Number.isNaN(Date.parse(at))) throw new DomainError('BAD_USER_INPUT', '分页游标不正确');
  }
  const rows = await storyListRows(ex, access.tenantId, access.unitScope, filter, after, limit);
  return toPage(rows, limit, (s) => encodeCursor(s.cursor_at, s.id));
}
