import type { AuditEntry, Executor } from '@yiduan/db';
import type { Actor } from '../actor.js';
import type { AuditQuery, AuditRecord } from './model.js';

/** Appends one audit row in the caller's transaction: the record commits with the change. */
export async function appendAudit(ex: Executor, actor: Actor, rec: AuditRecord): Promise<void> {
  await ex
    .insertInto('audit_log')
    .values({
      tenant_id: rec.tenantId,
      actor_kind: actor.kind,
      actor_id: actor.id,
      actor_name: actor.name,
      action: rec.action,
      target_kind: rec.targetKind ?? null,
      target_id: rec.targetId ?? null,
      revision: rec.revision ?? null,
      detail: JSON.stringify(rec.detail ?? {}),
    })
    .execute();
}

export async function listAudit(ex: Executor, q: AuditQuery): Promise<AuditEntry[]> {
  let query = ex.selectFrom('audit_log').selectAll();
  if (q.tenantId) query = query.where('tenant_id', '=', q.tenantId);
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.targetKind) query = query.where('target_kind', '=', q.targetKind);
  if (q.targetId) query = query.where('target_id', '=', q.targetId);
  if (q.before) query = query.where('id', '<', q.before);
  return query
    .orderBy('id', 'desc')
    .limit(Math.min(q.limit ?? 50, 500))
    .execute();
}
