import type { Executor, ReviewRole } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';

export const REVIEW_ROLES: readonly ReviewRole[] = ['editor', 'reviewer', 'chief_editor'];
/** 三审三校: the common default when a tenant has set nothing. */
export const DEFAULT_CHAIN: readonly ReviewRole[] = ['editor', 'reviewer', 'chief_editor'];

export function checkSteps(steps: readonly string[]): asserts steps is ReviewRole[] {
  if (steps.length < 1 || steps.length > 3) throw new DomainError('BAD_USER_INPUT', '审校步骤应为 1 到 3 步', [{ path: 'steps', message: '步数不正确' }]);
  for (const s of steps) if (!REVIEW_ROLES.includes(s as ReviewRole)) throw new DomainError('BAD_USER_INPUT', `审校角色 ${s} 不正确`, [{ path: 'steps', message: '角色不正确' }]);
}

export async function tenantChain(ex: Executor, tenantId: string): Promise<ReviewRole[]> {
  const row = await ex.selectFrom('review_chains').select('steps').where('tenant_id', '=', tenantId).executeTakeFirst();
  return row?.steps ?? [...DEFAULT_CHAIN];
}

/** The chain a story goes through: its section's override, else the tenant's, else three steps. */
export async function chainFor(ex: Executor, tenantId: string, sectionId: string | null): Promise<ReviewRole[]> {
  if (sectionId) {
    const s = await ex.selectFrom('sections').select('review_steps').where('tenant_id', '=', tenantId).where('id', '=', sectionId).executeTakeFirst();
    if (s?.review_steps) return s.review_steps;
  }
  return tenantChain(ex, tenantId);
}

export async function setTenantChain(ex: Executor, actor: Actor, tenantId: string, steps: string[]): Promise<ReviewRole[]> {
  checkSteps(steps);
  await ex
    .insertInto('review_chains')
    .values({ tenant_id: tenantId, steps })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ steps, updated_at: new Date() }))
    .execute();
  await appendAudit(ex, actor, { tenantId, action: 'review_chain.set', targetKind: 'tenant', targetId: tenantId, detail: { steps } });
  return steps;
}
