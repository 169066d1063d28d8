/**
 * Shared setup for the newsroom tests: a fresh database with the demo tenants,
 * and a cast of staff, units and sections created here (independent of any
 * demo content). County A is ruyang, its sibling B is yichuan (both under luoyang).
 */
import type { Test } from 'tap';
import { sql } from 'kysely';
import {
  withPlatform,
  withTenant,
  type DB,
  type ReviewRole,
  type Section,
  type Staff,
  type StaffRole,
  type Story,
  type Tenant,
  type Trx,
  type Unit,
} from '@yiduan/db';
import { createDemoDatabase, failure, type TestDatabase } from '@yiduan/testkit';

/** The rejection of a promise (null when it resolved). */
export { failure };
import {
  accessFor,
  approveStep,
  createSection,
  createStaff,
  createStory,
  createUnit,
  grantRole,
  isDomainError,
  staffActor,
  submitForReview,
  SYSTEM_ACTOR,
  type Access,
  type Actor,
  type Block,
  type NewStory,
  type StoryWithRevision,
} from '../src/index.js';

export const PASSWORD = 'correct-horse-42';

export interface World {
  tdb: TestDatabase;
  db: DB;
  owner: DB;
  tenants: Record<string, Tenant>;
  /** county A (ruyang) and its sibling B (yichuan), their city (luoyang) and the province */
  A: Tenant;
  B: Tenant;
  city: Tenant;
  province: Tenant;
  /** a county in another city (zhecheng under shangqiu) */
  far: Tenant;
  unitX: Unit;
  unitY: Unit;
  /** section of A using the tenant chain */
  bendi: Section;
  /** section of A overriding the chain with two steps */
  zhengwu: Section;
  sectionB: Section;
  staff: {
    reporter: Staff; // reporter, tenant-wide, A
    unitReporter: Staff; // reporter limited to unit X, A
    editor: Staff; // editor, A
    reviewer: Staff; // reviewer, A
    chief: Staff; // chief_editor, A
    multi: Staff; // editor + reviewer + chief_editor, A
    operator: Staff; // platform operator, no grants
    editorB: Staff; // editor, B
    reviewerB: Staff; // reviewer, B
    chiefB: Staff; // chief_editor, B
  };
}

export async function newStaff(
  db: DB,
  login: string,
  displayName: string,
  opts: { isOperator?: boolean; orgId?: string | null } = {},
): Promise<Staff> {
  return withPlatform(db, (trx) => createStaff(trx, SYSTEM_ACTOR, { login, displayName, password: PASSWORD, ...opts }));
}

export async function grant(
  db: DB,
  tenantId: string,
  who: { staffId?: string; orgId?: string },
  role: StaffRole,
  unitId: string | null = null,
): Promise<void> {
  // platform scope: grantRole looks the staff member up, and staff rows are platform records
  await withPlatform(db, (trx) =>
    grantRole(trx, SYSTEM_ACTOR, { tenantId, role, staffId: who.staffId ?? null, orgId: who.orgId ?? null, unitId }),
  );
}

export async function newsroom(t: Test): Promise<World> {
  // the demo tree only (no demo staff or stories): each test casts its own newsroom
  const tdb = await createDemoDatabase(t);
  const { db, owner, tenants } = tdb;
  const A = tenants.ruyang!;
  const B = tenants.yichuan!;
  const { unitX, unitY, bendi, zhengwu } = await withTenant(db, A.id, async (trx) => ({
    unitX: await createUnit(trx, SYSTEM_ACTOR, A.id, { slug: 'jiaoyu', name: '汝阳县教育局', kind: 'bureau' }),
    unitY: await createUnit(trx, SYSTEM_ACTOR, A.id, { slug: 'chengguan', name: '城关镇', kind: 'township' }),
    bendi: await createSection(trx, SYSTEM_ACTOR, A.id, { slug: 'bendi', name: '本地' }),
    zhengwu: await createSection(trx, SYSTEM_ACTOR, A.id, {
      slug: 'zhengwu',
      name: '政务',
      reviewSteps: ['editor', 'chief_editor'],
    }),
  }));
  const sectionB = await withTenant(db, B.id, (trx) =>
    createSection(trx, SYSTEM_ACTOR, B.id, { slug: 'bendi', name: '本地' }),
  );

  // argon2 hashing dominates setup: hash the cast concurrently
  const [reporter, unitReporter, editor, reviewer, chief, multi, operator, editorB, reviewerB, chiefB] =
    await Promise.all([
      newStaff(db, 'ry-reporter', '汝阳记者'),
      newStaff(db, 'ry-jiaoyu', '教育局通讯员'),
      newStaff(db, 'ry-editor', '汝阳编辑'),
      newStaff(db, 'ry-reviewer', '汝阳审核'),
      newStaff(db, 'ry-chief', '汝阳总编'),
      newStaff(db, 'ry-multi', '汝阳全能'),
      newStaff(db, 'platform-op', '平台运维', { isOperator: true }),
      newStaff(db, 'yc-editor', '伊川编辑'),
      newStaff(db, 'yc-reviewer', '伊川审核'),
      newStaff(db, 'yc-chief', '伊川总编'),
    ]);
  const staff = {
    reporter: reporter!,
    unitReporter: unitReporter!,
    editor: editor!,
    reviewer: reviewer!,
    chief: chief!,
    multi: multi!,
    operator: operator!,
    editorB: editorB!,
    reviewerB: reviewerB!,
    chiefB: chiefB!,
  };
  await grant(db, A.id, { staffId: staff.reporter.id }, 'reporter');
  await grant(db, A.id, { staffId: staff.unitReporter.id }, 'reporter', unitX.id);
  await grant(db, A.id, { staffId: staff.editor.id }, 'editor');
  await grant(db, A.id, { staffId: staff.reviewer.id }, 'reviewer');
  await grant(db, A.id, { staffId: staff.chief.id }, 'chief_editor');
  for (const role of ['editor', 'reviewer', 'chief_editor'] as const)
    await grant(db, A.id, { staffId: staff.multi.id }, role);
  await grant(db, B.id, { staffId: staff.editorB.id }, 'editor');
  await grant(db, B.id, { staffId: staff.reviewerB.id }, 'reviewer');
  await grant(db, B.id, { staffId: staff.chiefB.id }, 'chief_editor');

  return {
    tdb,
    db,
    owner,
    tenants,
    A,
    B,
    city: tenants.luoyang!,
    province: tenants.henan!,
    far: tenants.zhecheng!,
    unitX,
    unitY,
    bendi,
    zhengwu,
    sectionB,
    staff,
  };
}

/** Runs fn in the tenant's scope as this staff member, with their Access. */
export function as<T>(
  w: Pick<World, 'db'>,
  who: Staff,
  tenant: Pick<Tenant, 'id'>,
  fn: (trx: Trx, access: Access, actor: Actor) => Promise<T>,
): Promise<T> {
  return withTenant(w.db, tenant.id, async (trx) => fn(trx, await accessFor(trx, who, tenant.id), staffActor(who)));
}

/** The domain error code a promise fails with; 'OK' when it succeeds; otherwise the raw error text. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await failure(p);
  if (err === null) return 'OK';
  if (isDomainError(err)) return err.code;
  return `NOT A DOMAIN ERROR: ${err instanceof Error ? err.message : String(err)}`;
}

export const para = (text: string): Block => ({ type: 'paragraph', text });

export function storyInput(over: Partial<NewStory> = {}): NewStory {
  return {
    kind: 'article',
    title: '汝阳县举办杜康文化节',
    summary: '文化节持续三天',
    body: [para('9月20日，汝阳县杜康文化节开幕。'), para('活动吸引了数万名游客。')],
    ...over,
  };
}

export function newStory(
  w: World,
  who: Staff,
  tenant: Pick<Tenant, 'id'>,
  over: Partial<NewStory> = {},
): Promise<StoryWithRevision> {
  return as(w, who, tenant, (trx, access, actor) => createStory(trx, access, actor, storyInput(over)));
}

/** Submits as `submitter`, then each signer approves one step. */
export async function review(
  w: World,
  tenant: Pick<Tenant, 'id'>,
  storyId: string,
  submitter: Staff,
  signers: Staff[],
): Promise<Story> {
  let story = await as(w, submitter, tenant, (trx, access, actor) => submitForReview(trx, access, actor, storyId));
  for (const s of signers)
    story = await as(w, s, tenant, (trx, access, actor) => approveStep(trx, access, actor, storyId));
  return story;
}

/** A story row as the owner sees it (no row-level security). */
export const ownerStory = (w: World, id: string): Promise<Story> =>
  w.owner.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

export async function counts(w: World): Promise<{ stories: number; revisions: number; events: number; audit: number }> {
  const r = await sql<{ stories: number; revisions: number; events: number; audit: number }>`
    SELECT (SELECT count(*)::int FROM stories) AS stories, (SELECT count(*)::int FROM story_revisions) AS revisions,
           (SELECT count(*)::int FROM review_events) AS events, (SELECT count(*)::int FROM audit_log) AS audit`.execute(
    w.owner,
  );
  return r.rows[0]!;
}

export type { ReviewRole };
