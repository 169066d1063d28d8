/**
 * Stories for portal tests, written through core as a newsroom would: drafted,
 * submitted, signed by three different people (four eyes), published. The
 * people are platform operators, who hold every role on every tenant, so one
 * cast serves all faces.
 */
import {
  accessFor,
  approveStep,
  correctStory,
  createAsset,
  createSection,
  createStaff,
  createStory,
  createUnit,
  publishStory,
  retractStory,
  samplePng,
  staffActor,
  submitForReview,
  SYSTEM_ACTOR,
  unpublishStory,
  type Access,
  type Actor,
  type NewStory,
} from '@yiduan/core';
import {
  withPlatform,
  withTenant,
  type Asset,
  type Section,
  type Staff,
  type Story,
  type Trx,
  type Unit,
} from '@yiduan/db';
import type { Portal } from './helpers.js';

export interface Desk {
  p: Portal;
  writer: Staff;
  signers: [Staff, Staff, Staff];
}

export async function desk(p: Portal): Promise<Desk> {
  // argon2 dominates: hash the cast concurrently
  const [writer, a, b, c] = await Promise.all(
    ['writer', 'signer-a', 'signer-b', 'signer-c'].map((login) =>
      withPlatform(p.tdb.db, (trx) =>
        createStaff(trx, SYSTEM_ACTOR, {
          login: `pt-${login}`,
          displayName: login,
          password: 'Portal-test-42',
          isOperator: true,
        }),
      ),
    ),
  );
  return { p, writer: writer!, signers: [a!, b!, c!] };
}

function as<T>(
  d: Desk,
  who: Staff,
  tenantId: string,
  fn: (trx: Trx, access: Access, actor: Actor) => Promise<T>,
): Promise<T> {
  return withTenant(d.p.tdb.db, tenantId, async (trx) => fn(trx, await accessFor(trx, who, tenantId), staffActor(who)));
}

export function section(d: Desk, tenantId: string, slug: string, name: string): Promise<Section> {
  return withTenant(d.p.tdb.db, tenantId, (trx) => createSection(trx, SYSTEM_ACTOR, tenantId, { slug, name }));
}

export function unit(d: Desk, tenantId: string, slug: string, name: string): Promise<Unit> {
  return withTenant(d.p.tdb.db, tenantId, (trx) =>
    createUnit(trx, SYSTEM_ACTOR, tenantId, { slug, name, kind: 'bureau' }),
  );
}

/** A stored image: a solid PNG of the given size, or the bytes given (`data`). */
export function image(
  d: Desk,
  tenantId: string,
  opts: { width?: number; height?: number; alt?: string; shared?: boolean; data?: Buffer } = {},
): Promise<Asset> {
  const data = opts.data ?? samplePng(opts.width ?? 64, opts.height ?? 48);
  return withTenant(d.p.tdb.db, tenantId, (trx) =>
    createAsset(trx, d.p.storage, SYSTEM_ACTOR, {
      tenantId,
      data,
      filename: 'photo.png',
      alt: opts.alt,
      shared: opts.shared,
    }),
  );
}

export const para = (text: string) => ({ type: 'paragraph' as const, text });

export function draft(d: Desk, tenantId: string, over: Partial<NewStory> = {}): Promise<Story> {
  const input: NewStory = {
    kind: 'article',
    title: '汝阳县举办杜康文化节',
    summary: '文化节持续三天',
    body: [para('9月20日，汝阳县杜康文化节开幕。')],
    ...over,
  };
  return as(d, d.writer, tenantId, async (trx, access, actor) => (await createStory(trx, access, actor, input)).story);
}

/** Drafted, reviewed by three signers and published now. */
export async function publish(d: Desk, tenantId: string, over: Partial<NewStory> = {}): Promise<Story> {
  const story = await draft(d, tenantId, over);
  await as(d, d.writer, tenantId, (trx, access, actor) => submitForReview(trx, access, actor, story.id));
  for (const signer of d.signers)
    await as(d, signer, tenantId, (trx, access, actor) => approveStep(trx, access, actor, story.id));
  return as(d, d.signers[0], tenantId, (trx, access, actor) => publishStory(trx, access, actor, story.id));
}

export function correct(d: Desk, tenantId: string, storyId: string, note: string): Promise<Story> {
  return as(d, d.signers[0], tenantId, (trx, access, actor) => correctStory(trx, access, actor, storyId, note));
}

export function retract(d: Desk, tenantId: string, storyId: string, reason: string): Promise<Story> {
  return as(d, d.signers[2], tenantId, (trx, access, actor) => retractStory(trx, access, actor, storyId, reason));
}

export function unpublish(d: Desk, tenantId: string, storyId: string): Promise<Story> {
  return as(d, d.signers[0], tenantId, (trx, access, actor) => unpublishStory(trx, access, actor, storyId, '测试撤下'));
}

/** Puts a published story on another face, as a push would (syndication is written elsewhere). */
export async function place(
  d: Desk,
  story: Story,
  targetTenantId: string,
  opts: { sectionId?: string; pinned?: boolean; localTitle?: string } = {},
): Promise<void> {
  await d.p.tdb.owner
    .insertInto('placements')
    .values({
      tenant_id: targetTenantId,
      story_id: story.id,
      origin_tenant_id: story.tenant_id,
      mode: 'pushed',
      status: 'active',
      section_id: opts.sectionId ?? null,
      pinned: opts.pinned ?? false,
      local_title: opts.localTitle ?? null,
    })
    .execute();
}

/** What the worker does when a face's content changes. */
export async function invalidate(p: Portal, ...tenantIds: string[]): Promise<void> {
  await p.cache.invalidateTags(tenantIds.map((id) => `tenant:${id}`));
}
