import { randomBytes } from 'node:crypto';
import type { Executor, Tenant } from '@yiduan/db';
import type { Actor } from '../../actor.js';
import { assetsByIds } from '../../assets/index.js';
import { enqueue } from '../../events/index.js';
import { appendAudit } from '../../governance/index.js';
import type { Access } from '../../identity/index.js';
import { checkerFor } from '../../newsroom/index.js';
import { isUuid } from '../../tenancy/index.js';
import { beijingDay } from '../model.js';
import { GovRoundError } from './errors.js';
import { ROUND_TOPICS } from './events.js';
import {
  CHECKLIST_BY_CODE,
  NO_UPDATE_VETO_DAYS,
  checkDueDay,
  checkFinding,
  checkOpenRound,
  fixDaysBetween,
  scoreOf,
  type FindingInput,
  type GovFixOrderView,
  type GovRoundFindingView,
  type GovRoundPassRate,
  type GovRoundSampleView,
  type GovRoundView,
  type OpenRoundInput,
  type WordingHit,
} from './model.js';
import { draftReport, type GovRoundReport } from './report.js';
import * as repo from './repo.js';

/** Who may do what in the rounds (kept with the registry's roles until identity takes them). */
export const GOV_ROUND_ROLES = {
  /** rounds, samples, findings, fix orders, reports of the viewer's subtree */
  read: ['editor', 'reviewer', 'chief_editor', 'tenant_admin'],
  /** open and close rounds, record findings, issue and recheck fix orders (province or city) */
  inspect: ['tenant_admin', 'chief_editor'],
} as const;

export interface GovRoundCapabilities {
  read: boolean;
  inspect: boolean;
}

export function govRoundCapabilities(access: Access, tenant: Pick<Tenant, 'level'>): GovRoundCapabilities {
  return {
    read: access.hasAny(GOV_ROUND_ROLES.read),
    inspect: access.hasAny(GOV_ROUND_ROLES.inspect) && tenant.level !== 'county',
  };
}

const today = (): string => beijingDay(Date.now());
const staffId = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.id : null);

function roundView(r: repo.RoundRowOut): GovRoundView {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    title: r.title,
    seed: r.seed,
    share: Number(r.share),
    checkDay: r.check_day,
    status: r.status,
    sampled: r.sampled,
    createdAt: r.created_at,
    closedAt: r.closed_at,
  };
}

function sampleView(s: repo.SampleRowOut): GovRoundSampleView {
  return {
    roundId: s.round_id,
    tenantId: s.tenant_id,
    tenantName: s.tenant_name,
    accountId: s.account_id,
    platform: s.platform,
    accountName: s.account_name,
    silentDays: s.silent_days,
    score: s.score,
    verdict: s.verdict,
    findings: s.findings,
  };
}

function findingView(f: repo.FindingRowOut): GovRoundFindingView {
  return {
    id: f.id,
    roundId: f.round_id,
    tenantId: f.tenant_id,
    accountId: f.account_id,
    item: f.item,
    itemName: CHECKLIST_BY_CODE.get(f.item)?.name ?? f.item,
    kind: f.kind,
    points: f.points,
    note: f.note,
    links: f.links,
    assetIds: f.asset_ids,
    wording: Array.isArray(f.wording) ? (f.wording as WordingHit[]) : [],
    recordedByName: f.recorded_by_name,
    createdAt: f.created_at,
  };
}

function orderView(o: repo.FixOrderRowOut, day: string): GovFixOrderView {
  const late = o.status === 'open' && o.due_on < day;
  return {
    id: o.id,
    tenantId: o.tenant_id,
    tenantName: o.tenant_name,
    roundId: o.round_id,
    roundTitle: o.round_title,
    roundTenantId: o.round_tenant_id,
    accountId: o.account_id,
    accountName: o.account_name,
    platform: o.platform,
    items: o.items,
    requirement: o.requirement,
    issuedOn: o.issued_on,
    dueOn: o.due_on,
    status: o.status,
    overdue: late,
    overdueDays: late ? fixDaysBetween(o.due_on, day) : 0,
    rechecks: o.rechecks,
    recheckNote: o.recheck_note,
    closedAt: o.closed_at,
  };
}

async function audit(
  ex: Executor,
  actor: Actor,
  tenantId: string,
  action: string,
  targetKind: string,
  targetId: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await appendAudit(ex, actor, { tenantId, action, targetKind, targetId, detail });
}

// ---------------------------------------------------------------- rounds

/**
 * A province (or a city for its counties) opens a round in its own scope: the sample is drawn in
 * the same statement (a share of each tenant's open accounts on each platform, reproducible from
 * the seed), and every sampled account silent for two weeks on the day of the check is vetoed
 * from its activity at once. A subtree without open accounts writes nothing.
 */
export async function openGovRound(
  ex: Executor,
  access: Access,
  actor: Actor,
  tenant: Pick<Tenant, 'id' | 'level'>,
  input: OpenRoundInput,
  day: string = today(),
): Promise<GovRoundView> {
  access.require(GOV_ROUND_ROLES.inspect);
  if (tenant.level === 'county') throw new GovRoundError('GOV_ROUND_LEVEL');
  const clean = checkOpenRound(input, day);
  const seed = clean.seed ?? randomBytes(8).toString('hex');
  const id = await repo.insertRound(ex, {
    tenant_id: tenant.id,
    title: clean.title,
    seed,
    share: clean.share,
    check_day: clean.checkDay,
    opened_by: staffId(actor),
  });
  const sampled = await repo.drawSample(ex, {
    roundTenantId: tenant.id,
    roundId: id,
    seed,
    share: clean.share,
    checkDay: clean.checkDay,
  });
  if (sampled === 0) throw new GovRoundError('GOV_ROUND_EMPTY');
  await repo.setSampled(ex, tenant.id, id, sampled);
  const vetoed = await repo.vetoSilentSamples(ex, tenant.id, id, NO_UPDATE_VETO_DAYS, '系统（依据更新记录）');
  await audit(ex, actor, tenant.id, 'gov_round.open', 'gov_round', id, {
    title: clean.title,
    seed,
    share: clean.share,
    checkDay: clean.checkDay,
    sampled,
    vetoed,
  });
  await enqueue(ex, {
    tenantId: tenant.id,
    topic: ROUND_TOPICS.govRoundChanged,
    payload: { roundId: id, action: 'open' },
  });
  return govRoundById(ex, access, tenant.id, id);
}

export async function listGovRounds(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  page: { first?: number | null; offset?: number | null } = {},
): Promise<GovRoundView[]> {
  access.require(GOV_ROUND_ROLES.read);
  const rows = await repo.roundRows(ex, {
    rootTenantId,
    limit: Math.max(1, Math.min(page.first ?? 50, 200)),
    offset: Math.max(0, page.offset ?? 0),
  });
  return rows.map(roundView);
}

export async function govRoundById(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  id: string,
): Promise<GovRoundView> {
  access.require(GOV_ROUND_ROLES.read);
  const [row] = isUuid(id) ? await repo.roundRows(ex, { rootTenantId, ids: [id], limit: 1, offset: 0 }) : [];
  if (!row) throw new GovRoundError('GOV_ROUND_NOT_FOUND');
  return roundView(row);
}

/** The round as its own tenant writes it: found in that tenant, else NOT_FOUND (an ancestor's or a sibling's round is not written here). */
async function ownRound(ex: Executor, roundTenantId: string, id: string): Promise<GovRoundView> {
  const [row] = isUuid(id)
    ? await repo.roundRows(ex, { rootTenantId: roundTenantId, ids: [id], limit: 1, offset: 0 })
    : [];
  if (!row || row.tenant_id !== roundTenantId) throw new GovRoundError('GOV_ROUND_NOT_FOUND');
  return roundView(row);
}

export async function closeGovRound(
  ex: Executor,
  access: Access,
  actor: Actor,
  roundTenantId: string,
  id: string,
): Promise<GovRoundView> {
  access.require(GOV_ROUND_ROLES.inspect);
  const round = await ownRound(ex, roundTenantId, id);
  if (round.status === 'closed') throw new GovRoundError('GOV_ROUND_CLOSED');
  await repo.closeRound(ex, roundTenantId, id);
  await audit(ex, actor, roundTenantId, 'gov_round.close', 'gov_round', id, {});
  await enqueue(ex, {
    tenantId: roundTenantId,
    topic: ROUND_TOPICS.govRoundChanged,
    payload: { roundId: id, action: 'close' },
  });
  return govRoundById(ex, access, roundTenantId, id);
}

type SubtreeFilter = { tenantId?: string | null; accountId?: string | null };

/** What a round's rows in a subtree are read by; null when an id is malformed (nothing can match). */
function subtreeQuery(rootTenantId: string, roundId: string, filter: SubtreeFilter) {
  const malformed = (v: string | null | undefined) => !!v && !isUuid(v);
  if (!isUuid(roundId) || malformed(filter.tenantId) || malformed(filter.accountId)) return null;
  return { roundId, rootTenantId, tenantId: filter.tenantId, accountId: filter.accountId };
}

/** A round's samples in a subtree (row-level security: a county sees only its own). */
export async function govRoundSamples(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  roundId: string,
  filter: SubtreeFilter = {},
): Promise<GovRoundSampleView[]> {
  access.require(GOV_ROUND_ROLES.read);
  const query = subtreeQuery(rootTenantId, roundId, filter);
  return query ? (await repo.sampleRows(ex, query)).map(sampleView) : [];
}

export async function govRoundFindings(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  roundId: string,
  filter: SubtreeFilter = {},
): Promise<GovRoundFindingView[]> {
  access.require(GOV_ROUND_ROLES.read);
  const query = subtreeQuery(rootTenantId, roundId, filter);
  return query ? (await repo.findingRows(ex, query)).map(findingView) : [];
}

/** Terminology hits in a pasted text, by the rules that apply to the tenant (its own and its ancestors'). */
export async function checkGovWording(ex: Executor, tenantId: string, text: string): Promise<WordingHit[]> {
  const checker = await checkerFor(ex, tenantId);
  return checker.check([{ field: 'text', blockIndex: -1, text }]).map((f) => ({
    match: f.match,
    replacement: f.replacement,
    severity: f.severity,
    note: f.note,
    start: f.start,
    end: f.end,
  }));
}

async function rescore(ex: Executor, tenantId: string, roundId: string, accountId: string): Promise<void> {
  const { score, verdict } = scoreOf(await repo.sampleFindings(ex, tenantId, roundId, accountId));
  await repo.setScore(ex, tenantId, roundId, accountId, score, verdict);
}

/**
 * An inspector records a finding against one sampled account of an open round (in the round
 * tenant's scope): the checklist item, a deduction's points, a note, evidence (links, assets of the
 * round's tenant), and for wording findings the terminology engine's hits in the pasted text. The
 * sample is rescored in the same transaction.
 */
export async function recordGovRoundFinding(
  ex: Executor,
  access: Access,
  actor: Actor,
  roundTenantId: string,
  roundId: string,
  input: FindingInput,
): Promise<{ finding: GovRoundFindingView; sample: GovRoundSampleView }> {
  access.require(GOV_ROUND_ROLES.inspect);
  const round = await ownRound(ex, roundTenantId, roundId);
  if (round.status === 'closed') throw new GovRoundError('GOV_ROUND_CLOSED');
  const clean = checkFinding(input);
  const [sample] = isUuid(input.accountId)
    ? await repo.sampleRows(ex, { roundId, rootTenantId: roundTenantId, accountId: input.accountId })
    : [];
  if (!sample) throw new GovRoundError('GOV_ROUND_NOT_SAMPLED', undefined, 'accountId');
  if (clean.assetIds.length) {
    const found = await assetsByIds(ex, clean.assetIds);
    if (found.length !== clean.assetIds.length || found.some((a) => a.tenant_id !== roundTenantId))
      throw new GovRoundError('GOV_ROUND_EVIDENCE_NOT_FOUND', undefined, 'assetIds');
  }
  const wording =
    clean.item.code === 'wording' && clean.text ? await checkGovWording(ex, roundTenantId, clean.text) : null;
  const id = await repo.insertFinding(ex, {
    tenant_id: sample.tenant_id,
    account_id: sample.account_id,
    round_tenant_id: roundTenantId,
    round_id: roundId,
    item: clean.item.code,
    kind: clean.item.kind,
    points: clean.points,
    note: clean.note,
    links: clean.links,
    asset_ids: clean.assetIds,
    wording: wording ? JSON.stringify(wording) : null,
    recorded_by: staffId(actor),
    recorded_by_name: actor.name,
  });
  await rescore(ex, sample.tenant_id, roundId, sample.account_id);
  await audit(ex, actor, roundTenantId, 'gov_round.finding', 'gov_round', roundId, {
    findingId: id,
    accountId: sample.account_id,
    item: clean.item.code,
    points: clean.points,
  });
  await enqueue(ex, {
    tenantId: roundTenantId,
    topic: ROUND_TOPICS.govRoundScored,
    payload: { roundId, accountId: sample.account_id },
  });
  const [finding] = await repo.findingRows(ex, { roundId, rootTenantId: roundTenantId, id });
  const [rescored] = await repo.sampleRows(ex, { roundId, rootTenantId: roundTenantId, accountId: sample.account_id });
  return { finding: findingView(finding!), sample: sampleView(rescored!) };
}

/** Removes a finding recorded by mistake (open rounds only); the sample is rescored. */
export async function removeGovRoundFinding(
  ex: Executor,
  access: Access,
  actor: Actor,
  roundTenantId: string,
  roundId: string,
  findingId: string,
): Promise<GovRoundSampleView> {
  access.require(GOV_ROUND_ROLES.inspect);
  const round = await ownRound(ex, roundTenantId, roundId);
  if (round.status === 'closed') throw new GovRoundError('GOV_ROUND_CLOSED');
  const [f] = isUuid(findingId)
    ? await repo.findingRows(ex, { roundId, rootTenantId: roundTenantId, id: findingId })
    : [];
  if (!f) throw new GovRoundError('GOV_ROUND_FINDING_NOT_FOUND');
  await repo.deleteFinding(ex, f.tenant_id, f.id);
  await rescore(ex, f.tenant_id, roundId, f.account_id);
  await audit(ex, actor, roundTenantId, 'gov_round.finding_removed', 'gov_round', roundId, {
    findingId,
    accountId: f.account_id,
    item: f.item,
  });
  await enqueue(ex, {
    tenantId: roundTenantId,
    topic: ROUND_TOPICS.govRoundScored,
    payload: { roundId, accountId: f.account_id },
  });
  const [rescored] = await repo.sampleRows(ex, { roundId, rootTenantId: roundTenantId, accountId: f.account_id });
  return sampleView(rescored!);
}

/** 合格率 per tenant of a round, within the viewer's subtree. */
export async function govRoundPassRates(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  roundId: string,
): Promise<GovRoundPassRate[]> {
  access.require(GOV_ROUND_ROLES.read);
  if (!isUuid(roundId)) return [];
  const rows = await repo.passRates(ex, roundId, rootTenantId);
  return rows.map((r) => ({
    roundId,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    sampled: r.sampled,
    passed: r.passed,
    excellent: r.excellent,
    vetoed: r.vetoed,
    rate: r.sampled ? r.passed / r.sampled : 0,
  }));
}

/** The 通报 of one county (any tenant with samples) in a round, drafted from its samples, findings and fix orders. */
export async function govRoundReport(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  roundId: string,
  tenantId: string,
  day: string = today(),
): Promise<GovRoundReport> {
  access.require(GOV_ROUND_ROLES.read);
  const round = await govRoundById(ex, access, rootTenantId, roundId);
  if (!isUuid(tenantId)) throw new GovRoundError('GOV_ROUND_NOT_FOUND');
  const samples = await govRoundSamples(ex, access, rootTenantId, roundId, { tenantId });
  if (samples.length === 0) throw new GovRoundError('GOV_ROUND_NOT_FOUND', '该单位不在本轮抽查范围内或无权查看');
  const findings = await govRoundFindings(ex, access, rootTenantId, roundId, { tenantId });
  const orders = (await repo.fixOrderRows(ex, { rootTenantId, roundId, tenantId, limit: 1000 })).map((o) =>
    orderView(o, day),
  );
  return draftReport({ round, tenantId, tenantName: samples[0]!.tenantName, samples, findings, orders });
}

// ---------------------------------------------------------------- fix orders

/**
 * Sends a fix order (整改通知) for one sampled account with findings to its owning tenant, due 7 to
 * 11 days from the day it is issued. One open order per account and round.
 */
export async function issueGovFixOrder(
  ex: Executor,
  access: Access,
  actor: Actor,
  roundTenantId: string,
  roundId: string,
  input: { accountId: string; dueOn: string; requirement?: string | null },
  day: string = today(),
): Promise<GovFixOrderView> {
  access.require(GOV_ROUND_ROLES.inspect);
  await ownRound(ex, roundTenantId, roundId);
  checkDueDay(input.dueOn, day);
  const [sample] = isUuid(input.accountId)
    ? await repo.sampleRows(ex, { roundId, rootTenantId: roundTenantId, accountId: input.accountId })
    : [];
  if (!sample) throw new GovRoundError('GOV_ROUND_NOT_SAMPLED', undefined, 'accountId');
  const found = await repo.sampleFindings(ex, sample.tenant_id, roundId, sample.account_id);
  if (found.length === 0) throw new GovRoundError('GOV_FIX_NOTHING');
  const items = [...new Set(found.map((f) => f.item))];
  const requirement =
    (input.requirement ?? '').trim() ||
    `请针对${items.map((i) => `“${CHECKLIST_BY_CODE.get(i)?.name ?? i}”`).join('、')}问题完成整改，并报送整改情况。`;
  if (requirement.length > 1000)
    throw new GovRoundError('GOV_ROUND_INVALID', '整改要求不超过 1000 个字符', 'requirement');
  const open = await repo.fixOrderRows(ex, {
    rootTenantId: roundTenantId,
    roundId,
    tenantId: sample.tenant_id,
    status: 'open',
    limit: 1000,
  });
  if (open.some((o) => o.account_id === sample.account_id)) throw new GovRoundError('GOV_FIX_OPEN');
  const id = await repo.insertFixOrder(ex, {
    tenant_id: sample.tenant_id,
    account_id: sample.account_id,
    round_tenant_id: roundTenantId,
    round_id: roundId,
    items,
    requirement,
    issued_on: day,
    due_on: input.dueOn,
    issued_by: staffId(actor),
  });
  await audit(ex, actor, roundTenantId, 'gov_fix_order.issue', 'gov_fix_order', id, {
    roundId,
    accountId: sample.account_id,
    tenantId: sample.tenant_id,
    dueOn: input.dueOn,
    items,
  });
  await enqueue(ex, {
    tenantId: roundTenantId,
    topic: ROUND_TOPICS.govFixOrderChanged,
    payload: { orderId: id, tenantId: sample.tenant_id, action: 'issue' },
  });
  const [row] = await repo.fixOrderRows(ex, { rootTenantId: roundTenantId, ids: [id], limit: 1 });
  return orderView(row!, day);
}

/** A re-check: fixed closes the order (销号); not fixed keeps it open with the note. */
export async function recheckGovFixOrder(
  ex: Executor,
  access: Access,
  actor: Actor,
  roundTenantId: string,
  orderId: string,
  fixed: boolean,
  note: string = '',
  day: string = today(),
): Promise<GovFixOrderView> {
  access.require(GOV_ROUND_ROLES.inspect);
  const [row] = isUuid(orderId)
    ? await repo.fixOrderRows(ex, { rootTenantId: roundTenantId, ids: [orderId], limit: 1 })
    : [];
  if (!row || row.round_tenant_id !== roundTenantId) throw new GovRoundError('GOV_FIX_NOT_FOUND');
  if (row.status === 'closed') throw new GovRoundError('GOV_FIX_CLOSED');
  const clean = note.trim();
  if (clean.length > 1000) throw new GovRoundError('GOV_ROUND_INVALID', '复查说明不超过 1000 个字符', 'note');
  await repo.recheckFixOrder(ex, row.tenant_id, orderId, fixed, clean);
  await audit(ex, actor, roundTenantId, 'gov_fix_order.recheck', 'gov_fix_order', orderId, { fixed, note: clean });
  await enqueue(ex, {
    tenantId: roundTenantId,
    topic: ROUND_TOPICS.govFixOrderChanged,
    payload: { orderId, tenantId: row.tenant_id, action: fixed ? 'close' : 'recheck' },
  });
  const [after] = await repo.fixOrderRows(ex, { rootTenantId: roundTenantId, ids: [orderId], limit: 1 });
  return orderView(after!, day);
}

export interface FixOrderFilter {
  roundId?: string | null;
  tenantId?: string | null;
  status?: 'open' | 'closed' | null;
  overdueOnly?: boolean | null;
}

/** Fix orders of a subtree (the owning county sees its own; its ancestors see their subtree's), earliest due first. */
export async function listGovFixOrders(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  filter: FixOrderFilter = {},
  day: string = today(),
): Promise<GovFixOrderView[]> {
  access.require(GOV_ROUND_ROLES.read);
  if ((filter.roundId && !isUuid(filter.roundId)) || (filter.tenantId && !isUuid(filter.tenantId))) return [];
  const rows = await repo.fixOrderRows(ex, {
    rootTenantId,
    roundId: filter.roundId,
    tenantId: filter.tenantId,
    status: filter.status,
    overdueBefore: filter.overdueOnly ? day : null,
    limit: 500,
  });
  return rows.map((o) => orderView(o, day));
}

/**
 * Overdue fix orders climb the tree like overdue messages: a tenant's list holds every open order
 * past its due day anywhere in its subtree, so a county's late fix shows on its city's and its
 * province's lists until a re-check closes it.
 */
export async function overdueGovFixOrders(
  ex: Executor,
  access: Access,
  rootTenantId: string,
  day: string = today(),
): Promise<GovFixOrderView[]> {
  return listGovFixOrders(ex, access, rootTenantId, { overdueOnly: true }, day);
}
