import type { Executor, SharePolicy, Story } from '@yiduan/db';
import { DomainError } from '../../errors.js';
import { isAncestor } from '../../tenancy/index.js';
import { SHARE_POLICIES } from '../model.js';
import { sameTree, tenantSettings } from '../repo/index.js';

/**
 * Whether a story of its origin may appear on the target's face:
 * up = ancestors may take it, down = descendants may, tree = anyone in the tree.
 */
export async function mayShareTo(
  ex: Executor,
  story: Pick<Story, 'tenant_id' | 'share_policy'>,
  targetTenantId: string,
): Promise<boolean> {
  if (targetTenantId === story.tenant_id) return true;
  switch (story.share_policy) {
    case 'none':
      return false;
    case 'up':
      return isAncestor(ex, targetTenantId, story.tenant_id);
    case 'down':
      return isAncestor(ex, story.tenant_id, targetTenantId);
    case 'tree':
      return sameTree(ex, story.tenant_id, targetTenantId);
  }
}

export async function requireShareable(
  ex: Executor,
  story: Pick<Story, 'tenant_id' | 'share_policy'>,
  targetTenantId: string,
): Promise<void> {
  if (!(await mayShareTo(ex, story, targetTenantId))) throw new DomainError('SHARE_NOT_ALLOWED');
}

/** A tenant's default for new stories (tenants.settings.defaultSharePolicy), else shareable upward. */
export async function defaultSharePolicy(ex: Executor, tenantId: string): Promise<SharePolicy> {
  const v = ((await tenantSettings(ex, tenantId)) as { defaultSharePolicy?: unknown } | undefined)?.defaultSharePolicy;
  return SHARE_POLICIES.includes(v as SharePolicy) ? (v as SharePolicy) : 'up';
}
