import { sql } from 'kysely';
import type { DB } from './connect.js';

export interface ChainReport {
  rows: number;
  tenants: number;
  /** the first row whose hash does not follow, per broken chain */
  broken: { tenantId: string | null; id: number; reason: 'hash' | 'link' }[];
}

/**
 * Recomputes every tenant's audit chain (owner connection): a row whose
 * content was edited fails its hash; a deleted or reordered row breaks the
 * link to the next one.
 */
export async function verifyAuditChain(owner: DB): Promise<ChainReport> {
  const rows = await sql<{
    tenant_id: string | null;
    id: number;
    prev_hash: string | null;
    hash: string | null;
    expected: string;
  }>`
    SELECT a.tenant_id, a.id, a.prev_hash, a.hash, audit_log_hash(a.prev_hash, a) AS expected
      FROM audit_log a ORDER BY coalesce(a.tenant_id::text, 'platform'), a.id`.execute(owner);
  const broken: ChainReport['broken'] = [];
  const seen = new Set<string>();
  let lastTenant: string | undefined;
  let lastHash: string | null = null;
  let brokenTenant: string | undefined;
  for (const r of rows.rows) {
    const key = r.tenant_id ?? 'platform';
    if (key !== lastTenant) {
      lastTenant = key;
      lastHash = null;
      seen.add(key);
    }
    if (brokenTenant !== key) {
      if (r.hash !== r.expected) {
        broken.push({ tenantId: r.tenant_id, id: r.id, reason: 'hash' });
        brokenTenant = key;
      } else if (r.prev_hash !== lastHash) {
        broken.push({ tenantId: r.tenant_id, id: r.id, reason: 'link' });
        brokenTenant = key;
      }
    }
    lastHash = r.hash;
  }
  return { rows: rows.rows.length, tenants: seen.size, broken };
}
