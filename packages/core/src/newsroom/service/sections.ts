import { isUniqueViolation, type Executor, type Section } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { DomainError } from '../../errors.js';
import { enqueue } from '../../events/index.js';
import { TENANCY_TOPICS } from '../../tenancy/index.js';
import { appendAudit } from '../../governance/index.js';
import { isUuid } from '../../tenancy/index.js';
import { checkSection, type SectionInput } from '../model.js';
import { insertSection, nextSectionPosition, updateSectionRow } from '../repo/index.js';

export async function createSection(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  input: SectionInput,
): Promise<Section> {
  checkSection(input);
  try {
    const position = input.position ?? (await nextSectionPosition(ex, tenantId));
    const s = await insertSection(ex, {
      tenant_id: tenantId,
      slug: input.slug,
      name: input.name.trim(),
      position,
      review_steps: input.reviewSteps ?? null,
    });
    await appendAudit(ex, actor, {
      tenantId,
      action: 'section.create',
      targetKind: 'section',
      targetId: s.id,
      detail: { slug: s.slug },
    });
    await enqueue(ex, { tenantId, topic: TENANCY_TOPICS.faceChanged, payload: { tenantId } });
    return s;
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('SLUG_TAKEN', '该栏目标识已被使用');
    throw err;
  }
}

export async function updateSection(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  id: string,
  patch: Partial<Omit<SectionInput, 'slug'>>,
): Promise<Section> {
  checkSection(patch);
  if (!isUuid(id)) throw new DomainError('SECTION_NOT_FOUND');
  const s = await updateSectionRow(ex, tenantId, id, {
    ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
    ...(patch.position !== undefined ? { position: patch.position } : {}),
    ...(patch.reviewSteps !== undefined ? { review_steps: patch.reviewSteps } : {}),
  });
  if (!s) throw new DomainError('SECTION_NOT_FOUND');
  await appendAudit(ex, actor, {
    tenantId,
    action: 'section.update',
    targetKind: 'section',
    targetId: id,
    detail: { fields: Object.keys(patch) },
  });
  await enqueue(ex, { tenantId, topic: TENANCY_TOPICS.faceChanged, payload: { tenantId } });
  return s;
}
