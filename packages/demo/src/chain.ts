import { sql } from 'kysely';
import {
  accessFor,
  approveStep,
  correctStory,
  createStory,
  publishStory,
  rejectStep,
  staffActor,
  submitForReview,
  type Access,
  type Actor,
  type Block,
} from '@yiduan/core';
import type { Asset, ReviewRole, Staff, Trx } from '@yiduan/db';
import type { DraftBlock, Scene } from './content/index.js';
import { SCENES } from './images.js';
import type { TenantDesk } from './newsroom.js';
import type { PlannedStory } from './plan.js';
import { rng } from './text.js';

// Runs planned stories through the real review chain, each step signed by
// the account holding that step's role, then dates them back in one update.

interface Desk {
  access: Access;
  actor: Actor;
}

const COMMENTS: Record<ReviewRole, readonly string[]> = {
  editor: ['', '已校对', '文字已校对，同意送审', '标题已微调，同意送审'],
  reviewer: ['', '同意', '数据已核实', '政策表述准确，同意'],
  chief_editor: ['同意签发', '同意', '可发'],
};

/** Desks per login for one tenant: grants are read once per person, as a request would. */
function desks(trx: Trx, tenantId: string, staff: Record<string, Staff>): (login: string) => Promise<Desk> {
  const cache = new Map<string, Promise<Desk>>();
  return (login) => {
    let d = cache.get(login);
    if (!d) {
      const s = staff[login];
      if (!s) throw new Error(`demo account ${login} missing`);
      d = accessFor(trx, s, tenantId).then((access) => ({ access, actor: staffActor(s) }));
      cache.set(login, d);
    }
    return d;
  };
}

/** Pictures become image blocks with the tenant's generated assets, or disappear without storage. */
function body(blocks: DraftBlock[], images: Record<Scene, Asset> | null, scene: Scene): Block[] {
  const other = SCENES[(SCENES.indexOf(scene) + 1) % SCENES.length]!;
  return blocks.flatMap((b): Block[] => {
    if (b.type !== 'picture') return [b];
    return images
      ? [{ type: 'image', assetId: images[other].id, caption: b.caption, alt: b.caption.replace(/（示意图）$/, '') }]
      : [];
  });
}

export interface SeededStory {
  id: string;
  plan: PlannedStory;
}

export async function runStories(
  trx: Trx,
  tenantId: string,
  slug: string,
  plans: readonly PlannedStory[],
  staff: Record<string, Staff>,
  desk: TenantDesk,
  images: Record<Scene, Asset> | null,
): Promise<SeededStory[]> {
  const deskOf = desks(trx, tenantId, staff);
  const done: SeededStory[] = [];
  for (const plan of plans) {
    const writer = await deskOf(plan.writer);
    const editor = await deskOf(plan.editor);
    const signer = async (role: ReviewRole): Promise<Desk> =>
      role === 'editor' ? editor : deskOf(`${slug}-${role === 'chief_editor' ? 'chief' : role}`);
    const r = rng(`sign:${slug}:${plan.key}`);
    const { draft } = plan;
    const { story } = await createStory(trx, writer.access, writer.actor, {
      kind: 'article',
      title: draft.title,
      summary: draft.summary,
      tags: draft.tags,
      authorLine: plan.authorLine,
      coverAssetId: images ? images[plan.template.scene].id : null,
      body: body(draft.body, images, plan.template.scene),
      sectionId: desk.sections[plan.section].id,
      unitId: plan.unit ? desk.units[plan.unit.slug]!.id : null,
    });
    done.push({ id: story.id, plan });
    if (plan.state === 'draft' || plan.state === 'draft-warn') continue;
    const submitted = await submitForReview(trx, writer.access, writer.actor, story.id);
    const steps = submitted.review_steps ?? [];
    for (const [i, role] of steps.entries()) {
      const who = await signer(role);
      if (plan.state === 'rejected' && i === 1) {
        await rejectStep(trx, who.access, who.actor, story.id, plan.note);
        break;
      }
      await approveStep(trx, who.access, who.actor, story.id, r.pick(COMMENTS[role]));
      if (plan.state === 'in_review' && i === 0) break;
    }
    if (plan.state === 'in_review' || plan.state === 'rejected') continue;
    await publishStory(trx, editor.access, editor.actor, story.id, plan.state === 'scheduled' ? plan.at : null);
    if (plan.state === 'corrected') await correctStory(trx, editor.access, editor.actor, story.id, plan.note);
  }
  return done;
}

/**
 * The chain stamps now(); the faces should show a month of news. Stories,
 * revisions and corrections are dated back in the tenant's own transaction.
 * review_events cannot follow: the application role may not update them
 * (append-only by design), so the review history keeps the seeding time.
 */
export async function dateBack(trx: Trx, tenantId: string, stories: readonly SeededStory[]): Promise<void> {
  if (!stories.length) return;
  const values = stories.map(({ id, plan }) => {
    const published = plan.state === 'published' || plan.state === 'corrected' ? plan.at : null;
    return sql`(${id}::uuid, ${plan.createdAt}::timestamptz, ${plan.updatedAt}::timestamptz, ${published}::timestamptz)`;
  });
  await sql`
    UPDATE stories AS s
       SET created_at = v.created_at, updated_at = v.updated_at,
           published_at = CASE WHEN s.published_at IS NULL THEN NULL ELSE v.published_at END,
           first_published_at = CASE WHEN s.first_published_at IS NULL THEN NULL ELSE v.published_at END
      FROM (VALUES ${sql.join(values)}) AS v(id, created_at, updated_at, published_at)
     WHERE s.tenant_id = ${tenantId} AND s.id = v.id`.execute(trx);
  await sql`
    UPDATE story_revisions AS r SET created_at = s.created_at
      FROM stories s WHERE s.tenant_id = r.tenant_id AND s.id = r.story_id AND r.tenant_id = ${tenantId}`.execute(trx);
  // a face orders its feed by when a story entered it: for its own stories, their publication
  await sql`
    UPDATE placements AS p SET placed_at = s.published_at
      FROM stories s WHERE s.tenant_id = p.tenant_id AND s.id = p.story_id AND p.tenant_id = ${tenantId}
       AND p.mode = 'own' AND s.published_at IS NOT NULL`.execute(trx);
  // a correction is the story's last change
  await sql`
    UPDATE story_corrections AS c SET created_at = s.updated_at
      FROM stories s WHERE s.tenant_id = c.tenant_id AND s.id = c.story_id AND c.tenant_id = ${tenantId}`.execute(trx);
}
