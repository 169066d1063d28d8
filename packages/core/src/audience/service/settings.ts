import type { Executor } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { badField } from '../errors.js';
import { appendAudit } from '../../governance/index.js';
import type { Access } from '../../identity/index.js';
import { AUDIENCE_AUDIT } from '../events.js';
import { DEFAULT_AUDIENCE_SETTINGS, type AudienceSettings } from '../model.js';
import { settingsRepo as repo } from '../repo/index.js';

/** Readable in any scope (faces need them to take comments and messages). */
export async function audienceSettings(ex: Executor, tenantId: string): Promise<AudienceSettings> {
  const row = await repo.settingsRow(ex, tenantId);
  if (!row) return { ...DEFAULT_AUDIENCE_SETTINGS };
  return {
    commentsPremoderated: row.comments_premoderated,
    commentsEnabled: row.comments_enabled,
    messageDueDays: row.message_due_days,
  };
}

export async function setAudienceSettings(
  ex: Executor,
  access: Access,
  actor: Actor,
  patch: Partial<AudienceSettings>,
): Promise<AudienceSettings> {
  access.require(['tenant_admin', 'chief_editor']);
  const next = {
    ...(await audienceSettings(ex, access.tenantId)),
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined && v !== null)),
  } as AudienceSettings;
  if (!Number.isInteger(next.messageDueDays) || next.messageDueDays < 1 || next.messageDueDays > 60) {
    throw badField('messageDueDays', '办理时限应为 1 到 60 个工作日');
  }
  await repo.upsertSettings(ex, access.tenantId, {
    comments_premoderated: next.commentsPremoderated,
    comments_enabled: next.commentsEnabled,
    message_due_days: next.messageDueDays,
    updated_at: new Date(),
  });
  await appendAudit(ex, actor, {
    tenantId: access.tenantId,
    action: AUDIENCE_AUDIT.settingsChanged,
    detail: { ...next },
  });
  return next;
}
