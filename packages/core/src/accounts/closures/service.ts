import { isForeignKeyViolation, isUniqueViolation, type Executor, type GovClosureStatus } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { enqueue } from '../../events/index.js';
import { appendAudit } from '../../governance/index.js';
import { Access, PUBLISHERS } from '../../identity/index.js';
import {
  createStory,
  publishStory,
  publishWithOriginalDate,
  sectionById,
  submitForReview,
  type Block,
} from '../../newsroom/index.js';
import { domainsOf, isUuid, tenantById } from '../../tenancy/index.js';
import { isGovAccountError } from '../errors.js';
import { ACCOUNT_TOPICS } from '../events.js';
import { beijingDay, PLATFORM_NAMES } from '../model.js';
import * as accounts from '../repo.js';
import { GOV_ACCOUNT_ROLES } from '../service.js';
import { parseArchive } from './archive.js';
import { GovClosureError } from './errors.js';
import {
  accountLabel,
  APPROVED_CLOSURE,
  checkProposal,
  draftNotice,
  filingDueDay,
  filingOverdue,
  OPEN_CLOSURE,
  type ClosureAccountRef,
  type ClosureProposal,
  type GovClosureView,
} from './model.js';
import * as repo from './repo.js';

/** Who may do which step. The parent's managers decide; the owning tenant's managers run the rest. */
export const GOV_CLOSURE_ROLES = {
  read: GOV_ACCOUNT_ROLES.read,
  /** propose, withdraw, draft the notice, import content, 注销, record the filing */
  manage: GOV_ACCOUNT_ROLES.manage,
  /** approve or decline, in the parent tenant */
  decide: GOV_ACCOUNT_ROLES.manage,
  /** publish the reviewed notice and imported content (the newsroom's publishers) */
  publish: PUBLISHERS,
} as const;

const today = (): string => beijingDay(Date.now());
const staffId = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.id : null);

/**
 * The platform itself, drafting in a tenant's newsroom: the notice and the imported stories are the
 * platform's drafts, submitted into the tenant's own review chain, so the tenant's editors sign every
 * step (nobody of the tenant is the submitter) and nothing is public before the chain has passed it.
 */
const PLATFORM_DRAFTER: Actor = { kind: 'system', id: 'platform', name: '平台（关停并转）' };
const platformDesk = (tenantId: string): Access =>
  new Access(
    tenantId,
    { id: '00000000-0000-0000-0000-000000000000', display_name: PLATFORM_DRAFTER.name, is_operator: false },
    new Set(['editor']),
    new Map(),
  );

type ListedRow = Awaited<ReturnType<typeof repo.listClosureRows>>[number];

function toView(r: ListedRow, day: string): GovClosureView {
  const account: ClosureAccountRef = {
    id: r.account_id,
    name: r.account_name,
    platform: r.account_platform,
    handle: r.account_handle,
    status: r.account_status,
  };
  const successorAccount: ClosureAccountRef | null =
    r.successor_account_id && r.successor_name && r.successor_platform && r.successor_status
      ? {
          id: r.successor_account_id,
          name: r.successor_name,
          platform: r.successor_platform,
          handle: r.successor_handle ?? '',
          status: r.successor_status,
        }
      : null;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    account,
    unitName: r.unit_name,
    kind: r.kind,
    successorAccount,
    successorName: successorAccount
      ? accountLabel(successorAccount)
      : `${r.tenant_name}融媒体平台${r.section_name ? `“${r.section_name}”栏目` : ''}`,
    sectionId: r.section_id,
    sectionName: r.section_name,
    reason: r.reason,
    status: r.status,
    proposedByName: r.proposed_by_name,
    proposedAt: r.proposed_at,
    decidedByName: r.decided_by_name,
    deciderTenantName: r.decider_tenant_name,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
    noticeStoryId: r.notice_story_id,
    noticeStoryStatus: null,
    noticeDraftedAt: r.notice_drafted_at,
    noticePublishedAt: r.notice_published_at,
    deregisteredAt: r.deregistered_at,
    deregisteredByName: r.deregistered_by_name,
    filingDue: r.filing_due,
    filedAt: r.filed_at,
    filingRef: r.filing_ref,
    filingOverdue: filingOverdue(r.filing_due, r.filed_at, day),
    importedItems: r.imported_items,
    publishedItems: r.published_items,
    redirects: r.redirects,
    updatedAt: r.updated_at,
  };
}

export interface GovClosureFilter {
  status?: GovClosureStatus[] | null;
  accountId?: string | null;
}

/** The closures of a subtree (the viewer's scope limits them further), newest first. */
export async function listGovAccountClosures(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  filter: GovClosureFilter = {},
  page: { first?: number | null; offset?: number | null } = {},
  day: string = today(),
): Promise<{ total: number; items: GovClosureView[] }> {
  access.require(GOV_CLOSURE_ROLES.read);
  if (filter.accountId && !isUuid(filter.accountId))
    throw new GovClosureError('GOV_CLOSURE_INVALID', '筛选条件中的账号编号不正确');
  const rows = await repo.listClosureRows(ex, {
    rootTenantId,
    status: filter.status,
    accountId: filter.accountId,
    limit: Math.max(1, Math.min(page.first ?? 50, 200)),
    offset: Math.max(0, page.offset ?? 0),
  });
  return { total: rows[0]?.total ?? 0, items: rows.map((r) => toView(r, day)) };
}

export async function govAccountClosureById(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  id: string,
  day: string = today(),
): Promise<GovClosureView> {
  access.require(GOV_CLOSURE_ROLES.read);
  if (!isUuid(id)) throw new GovClosureError('GOV_CLOSURE_NOT_FOUND');
  const [row] = await repo.listClosureRows(ex, { rootTenantId, ids: [id], limit: 1, offset: 0 });
  if (!row) throw new GovClosureError('GOV_CLOSURE_NOT_FOUND');
  return toView(row, day);
}

async function step(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  closureId: string,
  action: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await appendAudit(ex, actor, {
    tenantId,
    action: `gov_account_closure.${action}`,
    targetKind: 'gov_account_closure',
    targetId: closureId,
    detail,
  });
  await enqueue(ex, { tenantId, topic: ACCOUNT_TOPICS.govClosureChanged, payload: { closureId, action } });
}

/** The owning tenant's closure, locked, in one of the given states (else the step is refused). */
async function closureIn(ex: Executor, tenantId: string, id: string, states: readonly GovClosureStatus[]) {
  const c = isUuid(id) ? await repo.closureRow(ex, tenantId, id, { lock: true }) : undefined;
  if (!c) throw new GovClosureError('GOV_CLOSURE_NOT_FOUND');
  if (!states.includes(c.status)) {
    if (c.status === 'proposed' || c.status === 'declined') throw new GovClosureError('GOV_CLOSURE_NOT_APPROVED');
    throw new GovClosureError('GOV_CLOSURE_WRONG_STEP', `当前为“${c.status === 'withdrawn' ? '已撤回' : c.status}”`);
  }
  return c;
}

/** A unit's or the tenant's managers propose closing (关停) or merging (合并) one of the tenant's open accounts. */
export async function proposeGovAccountClosure(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  input: ClosureProposal,
): Promise<GovClosureView> {
  access.require(GOV_CLOSURE_ROLES.manage);
  const p = checkProposal(input);
  const account = await accounts.accountRow(ex, tenantId, p.accountId);
  if (!account) throw new GovClosureError('GOV_CLOSURE_INVALID', '账号不在本单位台账中', 'accountId');
  if (account.status !== 'active') throw new GovClosureError('GOV_CLOSURE_ACCOUNT_NOT_OPEN', undefined, 'accountId');
  if (p.successorAccountId) {
    // row-level security and the tenant condition hide every other tenant's account: only this registry's may be named
    const successor = await accounts.accountRow(ex, tenantId, p.successorAccountId);
    if (!successor || successor.status !== 'active')
      throw new GovClosureError('GOV_CLOSURE_SUCCESSOR_INVALID', undefined, 'successorAccountId');
  }
  if (p.sectionId && !(await sectionById(ex, tenantId, p.sectionId)))
    throw new GovClosureError('GOV_CLOSURE_INVALID', '栏目不存在', 'sectionId');
  if (await repo.openClosureOf(ex, tenantId, p.accountId, OPEN_CLOSURE))
    throw new GovClosureError('GOV_CLOSURE_ALREADY_OPEN', undefined, 'accountId');
  const id = await repo
    .insertClosure(ex, {
      tenant_id: tenantId,
      account_id: p.accountId,
      kind: p.kind,
      successor_account_id: p.successorAccountId ?? null,
      section_id: p.sectionId ?? null,
      reason: p.reason,
      proposed_by: staffId(actor),
      proposed_by_name: actor.name,
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new GovClosureError('GOV_CLOSURE_ALREADY_OPEN', undefined, 'accountId');
      if (isForeignKeyViolation(err))
        throw new GovClosureError('GOV_CLOSURE_SUCCESSOR_INVALID', undefined, 'successorAccountId');
      throw err;
    });
  await step(ex, actor, tenantId, id, 'propose', {
    accountId: p.accountId,
    kind: p.kind,
    successorAccountId: p.successorAccountId,
    reason: p.reason,
  });
  return govAccountClosureById(ex, access, tenantId, id);
}

/**
 * The parent tenant approves or declines a child's proposal, in its own scope (row-level security
 * lets the direct parent change only the decision). A decline needs a reason.
 */
export async function decideGovAccountClosure(
  ex: Executor,
  access: Access,
  actor: Actor,
  parentTenantId: string,
  id: string,
  approve: boolean,
  note = '',
): Promise<GovClosureView> {
  access.require(GOV_CLOSURE_ROLES.decide);
  const tenantId = isUuid(id) ? await repo.closureTenantOf(ex, id) : undefined;
  if (!tenantId) throw new GovClosureError('GOV_CLOSURE_NOT_FOUND');
  const child = await tenantById(ex, tenantId);
  if (!child || child.parent_id !== parentTenantId) throw new GovClosureError('GOV_CLOSURE_NOT_PARENT');
  const text = note.trim();
  if (text.length > 500) throw new GovClosureError('GOV_CLOSURE_INVALID', '审批意见不能超过 500 个字符', 'note');
  if (!approve && !text) throw new GovClosureError('GOV_CLOSURE_INVALID', '不予批准时请填写理由', 'note');
  const c = await repo.closureRow(ex, tenantId, id, { lock: true });
  if (!c) throw new GovClosureError('GOV_CLOSURE_NOT_FOUND');
  if (c.status !== 'proposed') throw new GovClosureError('GOV_CLOSURE_WRONG_STEP', '该申请已审批或已撤回');
  await repo.updateClosure(
    ex,
    tenantId,
    id,
    {
      status: approve ? 'approved' : 'declined',
      decided_by: staffId(actor),
      decided_by_name: actor.name,
      decider_tenant_id: parentTenantId,
      decided_at: new Date(),
      decision_note: text,
    },
    ['proposed'],
  );
  // the parent's own log records its decision; the closure row carries it for the child
  await step(ex, actor, parentTenantId, id, approve ? 'approve' : 'decline', { closureTenantId: tenantId, note: text });
  return govAccountClosureById(ex, access, parentTenantId, id);
}

/** The proposer's tenant withdraws a closure before its notice is out. */
export async function withdrawGovAccountClosure(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  id: string,
): Promise<GovClosureView> {
  access.require(GOV_CLOSURE_ROLES.manage);
  const c = isUuid(id) ? await repo.closureRow(ex, tenantId, id, { lock: true }) : undefined;
  if (!c) throw new GovClosureError('GOV_CLOSURE_NOT_FOUND');
  if (!['proposed', 'approved'].includes(c.status) || c.notice_published_at)
    throw new GovClosureError('GOV_CLOSURE_WRONG_STEP', '停更公告发布后不能撤回');
  await repo.updateClosure(ex, tenantId, id, { status: 'withdrawn' });
  await step(ex, actor, tenantId, id, 'withdraw', {});
  return govAccountClosureById(ex, access, tenantId, id);
}

/** The face's address, for the notice: the primary host of the tenant. */
async function faceUrl(ex: Executor, tenantId: string): Promise<string | null> {
  const domains = await domainsOf(ex, tenantId);
  const host = (domains.find((d) => d.is_primary) ?? domains[0])?.host;
  return host ? `https://${host}/` : null;
}

const paragraphs = (texts: readonly string[]): Block[] => texts.map((text) => ({ type: 'paragraph', text }));

/**
 * After approval the platform drafts the stop-update notice (停更公告) naming the successor, as a
 * story of the tenant in the closure's column, and submits it into the tenant's review chain.
 */
export async function draftGovAccountClosureNotice(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  id: string,
): Promise<GovClosureView> {
  access.require(GOV_CLOSURE_ROLES.manage);
  const c = await closureIn(ex, tenantId, id, ['approved']);
  if (c.notice_story_id) throw new GovClosureError('GOV_CLOSURE_WRONG_STEP', '停更公告已生成，请在审校中处理');
  const view = await govAccountClosureById(ex, access, tenantId, id);
  const account = await accounts.accountRow(ex, tenantId, c.account_id);
  const tenant = await tenantById(ex, tenantId);
  if (!account || !tenant) throw new GovClosureError('GOV_CLOSURE_NOT_FOUND');
  const siteName = `${tenant.name}融媒体平台`;
  const notice = draftNotice({
    account: view.account,
    kind: c.kind,
    successorName: view.successorName,
    successorUrl: view.successorAccount
      ? /^https?:\/\//.test(view.successorAccount.handle)
        ? view.successorAccount.handle
        : null
      : await faceUrl(ex, tenantId),
    sponsor: account.sponsor,
    tenantName: tenant.name,
    siteName,
    day: today(),
  });
  const desk = platformDesk(tenantId);
  const { story } = await createStory(ex, desk, PLATFORM_DRAFTER, {
    kind: 'article',
    title: notice.title,
    summary: notice.summary,
    authorLine: siteName,
    body: paragraphs(notice.paragraphs),
    sectionId: c.section_id,
    unitId: null,
    tags: ['停更公告'],
  });
  await submitForReview(ex, desk, PLATFORM_DRAFTER, story.id);
  await repo.updateClosure(ex, tenantId, id, { notice_story_id: story.id, notice_drafted_at: new Date() });
  await step(ex, actor, tenantId, id, 'notice_draft', { storyId: story.id, title: notice.title });
  return { ...(await govAccountClosureById(ex, access, tenantId, id)), noticeStoryStatus: 'in_review' };
}

/**
 * Publishes the notice once the tenant's chain has passed it (the newsroom refuses otherwise); the
 * account is then 关停中 (closing): still on the watch list until 注销 is recorded.
 */
export async function publishGovAccountClosureNotice(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  id: string,
): Promise<GovClosureView> {
  access.require(GOV_CLOSURE_ROLES.publish);
  const c = await closureIn(ex, tenantId, id, ['approved']);
  if (!c.notice_story_id) throw new GovClosureError('GOV_CLOSURE_WRONG_STEP', '请先生成停更公告');
  const story = await publishStory(ex, access, actor, c.notice_story_id, null);
  await repo.updateClosure(
    ex,
    tenantId,
    id,
    { status: 'noticed', notice_published_at: story.published_at ?? new Date() },
    ['approved'],
  );
  await accounts.updateAccount(ex, tenantId, c.account_id, { status: 'closing' });
  await appendAudit(ex, actor, {
    tenantId,
    action: 'gov_account.retire',
    targetKind: 'gov_account',
    targetId: c.account_id,
    detail: { from: 'active', to: 'closing', closureId: id },
  });
  await enqueue(ex, {
    tenantId,
    topic: ACCOUNT_TOPICS.govAccountChanged,
    payload: { accountId: c.account_id, action: 'retire' },
  });
  await step(ex, actor, tenantId, id, 'notice_publish', { storyId: story.id });
  return govAccountClosureById(ex, access, tenantId, id);
}

export interface ClosureImportReport {
  items: number;
  imported: number;
  /** already imported by an earlier file (same original link) */
  skipped: number;
  /** items whose original address is on one of this face's hosts: redirected once published */
  redirectable: number;
  storyIds: string[];
}

/** The old path of a URL when the platform served it (its host is one of the tenant's face hosts). */
function servedPath(url: string, hosts: ReadonlySet<string>): string | null {
  try {
    const u = new URL(url);
    return hosts.has(u.hostname.toLowerCase()) ? `${u.pathname}${u.search}` : null;
  } catch {
    return null;
  }
}

/**
 * Imports the closing account's content (a feed or an export file) into the closure's column: each
 * item becomes a link story (its original link shown as the link back) drafted by the platform and
 * submitted into the tenant's review chain; its original date is kept for publication. A malformed
 * file writes nothing. Allowed once the parent has approved.
 */
export async function importGovAccountClosureContent(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  id: string,
  file: string,
  now: number = Date.now(),
): Promise<ClosureImportReport> {
  access.require(GOV_CLOSURE_ROLES.manage);
  const c = await closureIn(ex, tenantId, id, APPROVED_CLOSURE);
  if (file.length > 5 * 1024 * 1024)
    throw new GovClosureError('GOV_CLOSURE_IMPORT_MALFORMED', '文件过大（不超过 5 MB）');
  let items;
  try {
    items = parseArchive(file, now);
  } catch (err) {
    if (isGovAccountError(err))
      throw new GovClosureError('GOV_CLOSURE_IMPORT_MALFORMED', err.message.replace(/^[^：]*：/, ''));
    throw err;
  }
  const account = await accounts.accountRow(ex, tenantId, c.account_id);
  if (!account) throw new GovClosureError('GOV_CLOSURE_NOT_FOUND');
  const done = await repo.importedUrls(ex, tenantId, id);
  const hosts = new Set((await domainsOf(ex, tenantId)).map((d) => d.host.toLowerCase()));
  const fresh = items.filter((it) => !done.has(it.url));
  const desk = platformDesk(tenantId);
  const source = `${account.name}（${PLATFORM_NAMES[account.platform]}）`;
  const rows: Parameters<typeof repo.insertItems>[1] = [];
  for (const it of fresh) {
    const when = `${beijingDay(it.publishedAt)} ${it.publishedAt.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false })}`;
    const { story } = await createStory(ex, desk, PLATFORM_DRAFTER, {
      kind: 'link',
      linkUrl: it.url,
      title: it.title,
      summary: it.summary,
      authorLine: `原发：${source}`,
      body: paragraphs([...it.paragraphs, `本文原发布于${source}，发布时间：${when}（北京时间）。原文链接：${it.url}`]),
      sectionId: c.section_id,
      unitId: null,
      tags: ['账号迁移'],
    });
    await submitForReview(ex, desk, PLATFORM_DRAFTER, story.id);
    rows.push({
      tenant_id: tenantId,
      closure_id: id,
      story_id: story.id,
      original_url: it.url,
      original_at: it.publishedAt,
      title: it.title,
    });
  }
  await repo.insertItems(ex, rows);
  const report: ClosureImportReport = {
    items: items.length,
    imported: rows.length,
    skipped: items.length - rows.length,
    redirectable: fresh.filter((it) => servedPath(it.url, hosts)).length,
    storyIds: rows.map((r) => r.story_id),
  };
  await step(ex, actor, tenantId, id, 'import', {
    items: report.items,
    imported: report.imported,
    skipped: report.skipped,
    storyIds: report.storyIds,
  });
  return report;
}

/**
 * Publishes the imported stories the chain has passed, each under its original date, and from then
 * on redirects their old addresses on this face to them. Stories still in review stay for later.
 */
export async function publishGovAccountClosureContent(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  id: string,
): Promise<{ published: number; waiting: number; redirects: number }> {
  access.require(GOV_CLOSURE_ROLES.publish);
  await closureIn(ex, tenantId, id, APPROVED_CLOSURE);
  const pending = await repo.unpublishedItems(ex, tenantId, id);
  const hosts = new Set((await domainsOf(ex, tenantId)).map((d) => d.host.toLowerCase()));
  let published = 0;
  const redirects: { tenant_id: string; path: string; story_id: string; closure_id: string }[] = [];
  for (const item of pending) {
    try {
      await publishWithOriginalDate(ex, access, actor, item.story_id, item.original_at);
    } catch (err) {
      // not reviewed yet (or blocked by a terminology rule): it waits, the others go on
      if (
        err instanceof Error &&
        'code' in err &&
        ['REVIEW_NOT_PASSED', 'TERMINOLOGY_BLOCKED', 'INVALID_TRANSITION'].includes(
          String((err as { code: unknown }).code),
        )
      )
        continue;
      throw err;
    }
    await repo.markItemPublished(ex, tenantId, item.id);
    published += 1;
    const path = servedPath(item.original_url, hosts);
    if (path) redirects.push({ tenant_id: tenantId, path, story_id: item.story_id, closure_id: id });
  }
  const taken = await repo.takenPaths(
    ex,
    tenantId,
    redirects.map((r) => r.path),
  );
  const fresh = redirects.filter((r) => !taken.has(r.path));
  await repo.insertRedirects(ex, fresh);
  if (published)
    await step(ex, actor, tenantId, id, 'content_publish', { published, redirects: fresh.map((r) => r.path) });
  return { published, waiting: pending.length - published, redirects: fresh.length };
}

/**
 * Records 注销 (the account removed on its platform) after the notice is out: the account becomes
 * closed or merged, leaves the watch list, and the filing falls due in two working days.
 */
export async function deregisterGovAccount(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  id: string,
  at: Date = new Date(),
): Promise<GovClosureView> {
  access.require(GOV_CLOSURE_ROLES.manage);
  const c = await closureIn(ex, tenantId, id, ['noticed']);
  if (Number.isNaN(at.getTime()) || at.getTime() > Date.now() + 60_000)
    throw new GovClosureError('GOV_CLOSURE_INVALID', '注销时间不能晚于现在', 'at');
  if (c.notice_published_at && at < c.notice_published_at)
    throw new GovClosureError('GOV_CLOSURE_INVALID', '注销时间不能早于停更公告发布时间', 'at');
  const due = filingDueDay(at);
  await repo.updateClosure(
    ex,
    tenantId,
    id,
    { status: 'deregistered', deregistered_at: at, deregistered_by_name: actor.name, filing_due: due },
    ['noticed'],
  );
  const to = c.kind === 'merge' ? 'merged' : 'closed';
  await accounts.updateAccount(ex, tenantId, c.account_id, { status: to });
  await appendAudit(ex, actor, {
    tenantId,
    action: 'gov_account.retire',
    targetKind: 'gov_account',
    targetId: c.account_id,
    detail: { from: 'closing', to, closureId: id },
  });
  await enqueue(ex, {
    tenantId,
    topic: ACCOUNT_TOPICS.govAccountChanged,
    payload: { accountId: c.account_id, action: 'retire' },
  });
  await step(ex, actor, tenantId, id, 'deregister', { at: at.toISOString(), filingDue: due });
  return govAccountClosureById(ex, access, tenantId, id);
}

/** Records the filing to the national reporting system (全国政务新媒体信息报送系统) with its reference. */
export async function recordGovAccountClosureFiling(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenantId: string,
  id: string,
  reference: string,
): Promise<GovClosureView> {
  access.require(GOV_CLOSURE_ROLES.manage);
  await closureIn(ex, tenantId, id, ['deregistered']);
  const ref = reference.trim();
  if (!ref) throw new GovClosureError('GOV_CLOSURE_INVALID', '请填写报备回执编号', 'reference');
  if (ref.length > 100)
    throw new GovClosureError('GOV_CLOSURE_INVALID', '报备回执编号不能超过 100 个字符', 'reference');
  const at = new Date();
  await repo.updateClosure(ex, tenantId, id, { status: 'filed', filed_at: at, filing_ref: ref }, ['deregistered']);
  await step(ex, actor, tenantId, id, 'file', { reference: ref });
  return govAccountClosureById(ex, access, tenantId, id);
}

/** The story an old address of a face now lives at (read in public scope by the portal). */
export async function closureRedirect(ex: Executor, tenantId: string, path: string): Promise<string | null> {
  if (!path.startsWith('/') || path.length > 1000) return null;
  return (await repo.redirectOf(ex, tenantId, path)) ?? null;
}
