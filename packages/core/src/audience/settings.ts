import type { Executor } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../governance/index.js';
import type { Access } from '../identity/index.js';

export interface AudienceSettings {
  commentsPremoderated: boolean;
  commentsEnabled: boolean;
  messageDueDays: number;
}

export const DEFAULT_AUDIENCE_SETTINGS: AudienceSettings = { commentsPremoderated: false, commentsEnabled: true, messageDueDays: 5 };

/** Readable in any scope (faces need them to take comments and messages). */
export async function audienceSettings(ex: Executor, tenantId: string): Promise<AudienceSettings> {
  const row = await ex.selectFrom('audience_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  if (!row) return { ...DEFAULT_AUDIENCE_SETTINGS };
  return { commentsPremoderated: row.comments_premoderated, commentsEnabled: row.comments_enabled, messageDueDays: row.message_due_days };
}

export async function setAudienceSettings(ex: Executor, access: Access, actor: Actor, patch: Partial<AudienceSettings>): Promise<AudienceSettings> {
  access.require(['tenant_admin', 'chief_editor']);
  const next = { ...(await audienceSettings(ex, access.tenantId)), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined && v !== null)) } as AudienceSettings;
  if (!Number.isInteger(next.messageDueDays) || next.messageDueDays < 1 || next.messageDueDays > 60) {
    throw new DomainError('BAD_USER_INPUT', '办理时限应为 1 到 60 个工作日', [{ path: 'messageDueDays', message: '办理时限应为 1 到 60 个工作日' }]);
  }
  const values = { comments_premoderated: next.commentsPremoderated, comments_enabled: next.commentsEnabled, message_due_days: next.messageDueDays, updated_at: new Date() };
  await ex
    .insertInto('audience_settings')
    .values({ tenant_id: access.tenantId, ...values })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
    .execute();
  await appendAudit(ex, actor, { tenantId: access.tenantId, action: 'audience.settings', detail: { ...next } });
  return next;
}
