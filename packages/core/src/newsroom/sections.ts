import { isUniqueViolation, type Executor, type ReviewRole, type Section } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';
import { enqueue } from '../events/index.js';
import { isUuid } from '../tenancy/index.js';
import { checkSteps } from './review-settings.js';

const SLUG = /^[a-z][a-z0-9-]{0,39}$/;

export interface SectionInput {
  slug: string;
  name: string;
  position?: number;
  /** overrides the tenant's review chain for stories of this section */
  reviewSteps?: ReviewRole[] | null;
}

function check(input: Partial<SectionInput>): void {
  if (input.slug !== undefined && !SLUG.test(input.slug)) throw new DomainError('BAD_USER_INPUT', '栏目标识格式不正确', [{ path: 'slug', message: '格式不正确' }]);
  if (input.name !== undefined && (input.name.trim().length < 1 || input.name.length > 20)) throw new DomainError('BAD_USER_INPUT', '栏目名称长度应为 1 到 20 个字符', [{ path: 'name', message: '长度不正确' }]);
  if (input.position !== undefined && (!Number.isInteger(input.position) || Math.abs(input.position) > 10_000)) throw new DomainError('BAD_USER_INPUT', '排序值不正确');
  if (input.reviewSteps) checkSteps(input.reviewSteps);
}

export async function createSection(ex: Executor, actor: Actor, tenantId: string, input: SectionInput): Promise<Section> {
  check(input);
  try {
    const position = input.position ?? Number((await ex.selectFrom('sections').select((eb) => eb.fn.coalesce(eb.fn.max('position'), eb.lit(0)).as('p')).where('tenant_id', '=', tenantId).executeTakeFirst())?.p ?? 0) + 10;
    const s = await ex
      .insertInto('sections')
      .values({ tenant_id: tenantId, slug: input.slug, name: input.name.trim(), position, review_steps: input.reviewSteps ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(ex, actor, { tenantId, action: 'section.create', targetKind: 'section', targetId: s.id, detail: { slug: s.slug } });
    await enqueue(ex, { tenantId, topic: 'face.changed', payload: { tenantId } });
    return s;
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('SLUG_TAKEN', '该栏目标识已被使用');
    throw err;
  }
}

export async function updateSection(ex: Executor, actor: Actor, tenantId: string, id: string, patch: Partial<Omit<SectionInput, 'slug'>>): Promise<Section> {
  check(patch);
  if (!isUuid(id)) throw new DomainError('SECTION_NOT_FOUND');
  const s = await ex
    .updateTable('sections')
    .set({
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
      ...(patch.reviewSteps !== undefined ? { review_steps: patch.reviewSteps } : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!s) throw new DomainError('SECTION_NOT_FOUND');
  await appendAudit(ex, actor, { tenantId, action: 'section.update', targetKind: 'section', targetId: id, detail: { fields: Object.keys(patch) } });
  await enqueue(ex, { tenantId, topic: 'face.changed', payload: { tenantId } });
  return s;
}

export async function sectionsOf(ex: Executor, tenantId: string): Promise<Section[]> {
  return ex.selectFrom('sections').selectAll().where('tenant_id', '=', tenantId).orderBy('position').orderBy('slug').execute();
}

export async function sectionById(ex: Executor, tenantId: string, id: string): Promise<Section | undefined> {
  if (!isUuid(id)) return undefined;
  return ex.selectFrom('sections').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function sectionsByIds(ex: Executor, ids: readonly string[]): Promise<Section[]> {
  const valid = ids.filter(isUuid);
  return valid.length ? ex.selectFrom('sections').selectAll().where('id', 'in', valid).execute() : [];
}
