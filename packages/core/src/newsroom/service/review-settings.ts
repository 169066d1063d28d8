import type { Executor, ReviewRole } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { appendAudit } from '../../governance/index.js';
import { checkSteps, DEFAULT_CHAIN } from '../model.js';
import { sectionChain, tenantChainRow, upsertTenantChain } from '../repo/index.js';

export async function tenantChain(ex: Executor, tenantId: string): Promise<ReviewRole[]> {
  return (await tenantChainRow(ex, tenantId)) ?? [...DEFAULT_CHAIN];
}

/** The chain a story goes through: its section's override, else the tenant's, else three steps. */
export async function chainFor(ex: Executor, tenantId: string, sectionId: string | null): Promise<ReviewRole[]> {
  if (sectionId) {
    const steps = await sectionChain(ex, tenantId, sectionId);
    if (steps) return steps;
  }
  return tenantChain(ex, tenantId);
}

export async function setTenantChain(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  steps: string[],
): Promise<ReviewRole[]> {
  checkSteps(steps);
  await upsertTenantChain(ex, tenantId, steps);
  await appendAudit(ex, actor, {
    tenantId,
    action: 'review_chain.set',
    targetKind: 'tenant',
    targetId: tenantId,
    detail: { steps },
  });
  return steps;
}
