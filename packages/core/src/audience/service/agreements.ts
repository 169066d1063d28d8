import type { AgreementKind, Executor } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { DomainError } from '../../errors.js';
import { badField } from '../errors.js';
import { appendAudit } from '../../governance/index.js';
import type { Access } from '../../identity/index.js';
import { DEFAULT_AGREEMENTS } from '../agreement-texts.js';
import { AUDIENCE_AUDIT } from '../events.js';
import {
  AGREEMENT_BODY_MAX,
  isAgreementKind,
  type AcceptedAgreements,
  type AgreementAdminView,
  type AgreementText,
  type SaveAgreementInput,
} from '../model.js';
import { agreementsRepo as repo } from '../repo/index.js';

const defaultText = (kind: AgreementKind): AgreementText => ({
  kind,
  version: 0,
  ...DEFAULT_AGREEMENTS[kind],
  publishedAt: null,
  isDefault: true,
});

/** The version a citizen reads now: the tenant's newest published one, or the default (any scope; null tenant: the platform's). */
export async function currentAgreement(
  ex: Executor,
  tenantId: string | null,
  kind: AgreementKind,
): Promise<AgreementText> {
  if (!tenantId) return defaultText(kind);
  const row = await repo.newestPublished(ex, tenantId, kind);
  return row
    ? { kind, version: row.version, title: row.title, body: row.body, publishedAt: row.published_at, isDefault: false }
    : defaultText(kind);
}

const EDITORS = ['tenant_admin'] as const;

/** Both agreements of the caller's tenant as its admin edits them: current text, draft, history (tenant scope). */
export async function agreementsForAdmin(ex: Executor, access: Access): Promise<AgreementAdminView[]> {
  access.require(EDITORS);
  const rows = await repo.agreementRows(ex, access.tenantId);
  return (['terms', 'privacy'] as const).map((kind) => {
    const mine = rows.filter((r) => r.kind === kind);
    const draft = mine.find((r) => r.status === 'draft');
    const published = mine.filter((r) => r.status === 'published');
    const top = published[0];
    return {
      kind,
      current: top
        ? {
            kind,
            version: top.version,
            title: top.title,
            body: top.body,
            publishedAt: top.published_at,
            isDefault: false,
          }
        : defaultText(kind),
      draft: draft ? { title: draft.title, body: draft.body, updatedAt: draft.updated_at } : null,
      history: published.map((r) => ({ version: r.version, title: r.title, publishedAt: r.published_at! })),
    };
  });
}

/**
 * Saves the tenant's draft of an agreement, or publishes it as the next version (tenant admin).
 * A published version never changes again: every edit after it is a new version.
 */
export async function saveAgreement(
  ex: Executor,
  access: Access,
  actor: Actor,
  input: SaveAgreementInput,
): Promise<AgreementAdminView> {
  access.require(EDITORS);
  const title = input.title.normalize('NFC').trim();
  const body = input.body.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (!isAgreementKind(input.kind)) throw badField('kind', '协议类型无效');
  if (title.length < 1 || [...title].length > 60) throw badField('title', '标题应为 1 到 60 字');
  if (body.length < 1 || body.length > AGREEMENT_BODY_MAX) {
    throw badField('body', `正文应为 1 到 ${AGREEMENT_BODY_MAX} 字`);
  }
  await repo.lockAgreementKind(ex, access.tenantId, input.kind);
  const now = new Date();
  const draft = await repo.draftVersion(ex, access.tenantId, input.kind);
  const status = input.publish ? ('published' as const) : ('draft' as const);
  let version: number;
  if (draft !== undefined) {
    version = draft;
    await repo.updateAgreement(
      ex,
      { tenantId: access.tenantId, kind: input.kind, version },
      { title, body, status, updated_at: now, published_at: input.publish ? now : null },
    );
  } else {
    version = (await repo.highestVersion(ex, access.tenantId, input.kind)) + 1;
    await repo.insertAgreement(ex, {
      tenant_id: access.tenantId,
      kind: input.kind,
      version,
      title,
      body,
      status,
      created_by: actor.kind === 'staff' ? actor.id : null,
      updated_at: now,
      published_at: input.publish ? now : null,
    });
  }
  const action = input.publish ? AUDIENCE_AUDIT.agreementPublished : AUDIENCE_AUDIT.agreementDrafted;
  await appendAudit(ex, actor, {
    tenantId: access.tenantId,
    action,
    targetKind: 'agreement',
    targetId: `${input.kind}:${version}`,
    detail: { kind: input.kind, version },
  });
  return (await agreementsForAdmin(ex, access)).find((a) => a.kind === input.kind)!;
}

/** Records a citizen's acceptance of both agreements (platform or the citizen's own scope), refusing outdated versions. */
export async function acceptAgreements(ex: Executor, citizenId: string, accepted: AcceptedAgreements): Promise<void> {
  for (const kind of ['terms', 'privacy'] as const) {
    const now = await currentAgreement(ex, accepted.tenantId, kind);
    if (now.version !== accepted[kind]) throw new DomainError('AGREEMENTS_CHANGED');
  }
  await repo.insertAcceptances(
    ex,
    (['terms', 'privacy'] as const).map((kind) => ({
      citizen_id: citizenId,
      tenant_id: accepted.tenantId,
      kind,
      version: accepted[kind],
    })),
  );
}

/** What a citizen has accepted, newest first (their own scope or the platform's). */
export async function myAcceptances(
  ex: Executor,
  citizenId: string,
): Promise<{ tenantId: string | null; kind: AgreementKind; version: number; acceptedAt: Date }[]> {
  const rows = await repo.acceptancesOf(ex, citizenId);
  return rows.map((r) => ({ tenantId: r.tenant_id, kind: r.kind, version: r.version, acceptedAt: r.accepted_at }));
}
