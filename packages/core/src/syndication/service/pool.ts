import type { Executor } from '@yiduan/db';
import { DomainError } from '../../errors.js';
import type { Access } from '../../identity/index.js';
import type { PoolFilter, PoolStory } from '../model.js';
import { poolRows } from '../repo/index.js';

/**
 * The descendants' pool: their published stories that this tenant may take up
 * (shared upward or across the tree), newest first.
 */
export async function descendantPool(ex: Executor, access: Access, f: PoolFilter = {}): Promise<PoolStory[]> {
  access.require(['editor', 'chief_editor']);
  const limit = Math.min(f.limit ?? 20, 100);
  if (f.query && f.query.length > 100) throw new DomainError('BAD_USER_INPUT', '关键词过长');
  return poolRows(ex, access.tenantId, f, limit);
}
