import type { GovAccountStatus, GovClosureKind, GovClosureStatus, GovPlatform } from '@yiduan/db';
import { isUuid } from '../../tenancy/index.js';
import { beijingDay, PLATFORM_NAMES } from '../model.js';
import { GovClosureError } from './errors.js';

export const CLOSURE_KIND_NAMES: Record<GovClosureKind, string> = { close: '关停', merge: '合并' };

export const CLOSURE_STATUS_NAMES: Record<GovClosureStatus, string> = {
  proposed: '待上级审批',
  approved: '已批准，待发布停更公告',
  declined: '未获批准',
  withdrawn: '已撤回',
  noticed: '已发布停更公告，待注销',
  deregistered: '已注销，待报备',
  filed: '已报备，完成',
};

/** Closures that still hold their account (a second one cannot be opened); declined and withdrawn are history. */
export const OPEN_CLOSURE: readonly GovClosureStatus[] = ['proposed', 'approved', 'noticed', 'deregistered', 'filed'];
/** Steps after the parent's approval: only these may draft or publish the notice, import content, deregister. */
export const APPROVED_CLOSURE: readonly GovClosureStatus[] = ['approved', 'noticed', 'deregistered', 'filed'];

/** Working days (Monday to Friday, Beijing time) the filing to the national system may take after 注销. */
export const FILING_WORKING_DAYS = 2;

const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
const dayOf = (n: number): string => new Date(n * 86_400_000).toISOString().slice(0, 10);

/**
 * The last day for the filing: the second working day (Mon–Fri) after the Beijing day of 注销.
 * Public holidays and make-up working days are not known to the platform yet.
 */
export function filingDueDay(deregisteredAt: Date | number, workingDays: number = FILING_WORKING_DAYS): string {
  let n = dayNumber(beijingDay(deregisteredAt));
  let left = workingDays;
  while (left > 0) {
    n += 1;
    const weekday = new Date(n * 86_400_000).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return dayOf(n);
}

/** Overdue when the Beijing day is past the due day and nothing was filed. */
export function filingOverdue(due: string | null, filedAt: Date | null, today: string): boolean {
  return due !== null && filedAt === null && today > due;
}

export interface ClosureProposal {
  accountId: string;
  kind: GovClosureKind;
  /** merge only: the kept account of the same tenant; none: merged into the tenant's own face */
  successorAccountId?: string | null;
  /** the column (section) of the face the notice and the imported content go to */
  sectionId?: string | null;
  reason: string;
}

export function checkProposal(p: ClosureProposal): ClosureProposal {
  if (!isUuid(p.accountId)) throw new GovClosureError('GOV_CLOSURE_INVALID', '请选择要关停或合并的账号', 'accountId');
  if (p.kind !== 'close' && p.kind !== 'merge')
    throw new GovClosureError('GOV_CLOSURE_INVALID', '方式应为关停或合并', 'kind');
  const reason = (p.reason ?? '').trim();
  if (!reason) throw new GovClosureError('GOV_CLOSURE_INVALID', '请填写关停或合并的理由', 'reason');
  if (reason.length > 500) throw new GovClosureError('GOV_CLOSURE_INVALID', '理由不能超过 500 个字符', 'reason');
  const successor = p.successorAccountId || null;
  if (successor && p.kind !== 'merge')
    throw new GovClosureError('GOV_CLOSURE_INVALID', '关停不需要选择承接账号；合并请选择“合并”', 'successorAccountId');
  if (successor && !isUuid(successor))
    throw new GovClosureError('GOV_CLOSURE_SUCCESSOR_INVALID', undefined, 'successorAccountId');
  if (successor === p.accountId)
    throw new GovClosureError('GOV_CLOSURE_SUCCESSOR_INVALID', '不能合并到账号自身', 'successorAccountId');
  const section = p.sectionId || null;
  if (section && !isUuid(section)) throw new GovClosureError('GOV_CLOSURE_INVALID', '栏目不存在', 'sectionId');
  return { accountId: p.accountId, kind: p.kind, successorAccountId: successor, sectionId: section, reason };
}

export interface ClosureAccountRef {
  id: string;
  name: string;
  platform: GovPlatform;
  handle: string;
  status: GovAccountStatus;
}

export interface GovClosureView {
  id: string;
  tenantId: string;
  tenantName: string;
  account: ClosureAccountRef;
  unitName: string | null;
  kind: GovClosureKind;
  /** the kept account a merge names; null: the tenant's face */
  successorAccount: ClosureAccountRef | null;
  /** the successor in words, as the notice names it */
  successorName: string;
  sectionId: string | null;
  sectionName: string | null;
  reason: string;
  status: GovClosureStatus;
  proposedByName: string;
  proposedAt: Date;
  decidedByName: string | null;
  deciderTenantName: string | null;
  decidedAt: Date | null;
  decisionNote: string;
  noticeStoryId: string | null;
  noticeStoryStatus: string | null;
  noticeDraftedAt: Date | null;
  noticePublishedAt: Date | null;
  deregisteredAt: Date | null;
  deregisteredByName: string | null;
  filingDue: string | null;
  filedAt: Date | null;
  filingRef: string | null;
  filingOverdue: boolean;
  importedItems: number;
  publishedItems: number;
  redirects: number;
  updatedAt: Date;
}

export const accountLabel = (a: Pick<ClosureAccountRef, 'name' | 'platform'>): string =>
  `「${a.name}」${PLATFORM_NAMES[a.platform]}`;

const chineseDate = (day: string): string => {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

export interface NoticeDraft {
  title: string;
  summary: string;
  paragraphs: string[];
}

/** The stop-update notice (停更公告): what stops, from when, who takes over and where to find it. */
export function draftNotice(input: {
  account: ClosureAccountRef;
  kind: GovClosureKind;
  successorName: string;
  successorUrl: string | null;
  sponsor: string;
  tenantName: string;
  siteName: string;
  day: string;
}): NoticeDraft {
  const { account, kind } = input;
  const what = accountLabel(account);
  const title = `关于${what}停止更新的公告`;
  const takeover = kind === 'merge' ? `${what}并入${input.successorName}` : `${what}关停`;
  const paragraphs = [
    `根据政务新媒体“关停并转”工作要求，经上级主管部门批准，${takeover}，自${chineseDate(input.day)}起停止更新，并将依程序注销。`,
    `此后，${input.sponsor || input.tenantName}的政务信息发布、政策解读和便民服务由${input.successorName}承接${input.successorUrl ? `（${input.successorUrl}）` : ''}，敬请关注。`,
    `原账号发布的内容已经或将陆续迁移至${input.siteName}，原有链接将自动跳转到迁移后的页面。`,
    `感谢广大网民长期以来的关注与支持！`,
    `${input.siteName}\u3000${chineseDate(input.day)}`,
  ];
  return {
    title: title.slice(0, 120),
    summary: `${takeover}，相关服务由${input.successorName}承接。`.slice(0, 300),
    paragraphs,
  };
}
