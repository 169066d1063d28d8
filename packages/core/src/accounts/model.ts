import type { GovAccountStatus, GovActivitySource, GovOperation, GovPlatform } from '@yiduan/db';
import { GovAccountError } from './errors.js';

export type { GovAccountStatus, GovActivitySource, GovOperation, GovPlatform } from '@yiduan/db';

/** The platforms an account runs on, with the names offices use for them. */
export const PLATFORM_NAMES: Record<GovPlatform, string> = {
  wechat: '微信公众号',
  weibo: '微博',
  douyin: '抖音',
  kuaishou: '快手',
  toutiao: '今日头条',
  bilibili: '哔哩哔哩',
  app: '客户端',
  website: '网站',
  other: '其他',
};
export const PLATFORMS = Object.keys(PLATFORM_NAMES) as GovPlatform[];

export const STATUS_NAMES: Record<GovAccountStatus, string> = {
  active: '正常',
  closing: '关停中',
  closed: '已注销',
  merged: '已合并',
};
export const STATUSES = Object.keys(STATUS_NAMES) as GovAccountStatus[];
/** closed and merged accounts are history: kept in the registry, no longer checked */
export const RETIRED: readonly GovAccountStatus[] = ['closed', 'merged'];

export const OPERATION_NAMES: Record<GovOperation, string> = { self: '自主运营', operator: '代运营' };

/**
 * An account's health from its last update: 正常, 预警 (warn days without an update), 不合格 (fail
 * days: the two-week veto of the checks), 僵尸 (zombie days: three months), 未填报 when no update has
 * been recorded yet. Followers, posts and reads are shown but never scored.
 */
export type GovHealth = 'ok' | 'warn' | 'fail' | 'zombie' | 'unknown';
export const HEALTH_NAMES: Record<GovHealth, string> = {
  ok: '正常',
  warn: '预警',
  fail: '不合格',
  zombie: '僵尸',
  unknown: '未填报',
};
export const HEALTHS = Object.keys(HEALTH_NAMES) as GovHealth[];

export interface GovThresholds {
  warnDays: number;
  failDays: number;
  zombieDays: number;
}
/** 国办秘函〔2019〕19号: no update in the two weeks before a check fails it; provinces call three months a zombie. */
export const GOV_DEFAULT_THRESHOLDS: GovThresholds = { warnDays: 7, failDays: 14, zombieDays: 90 };

/** What one tenant sets (null: not set there, an ancestor's or the default applies). */
export interface GovThresholdSetting {
  tenantId: string;
  warnDays: number | null;
  failDays: number | null;
  zombieDays: number | null;
}

/** Every ancestor's setting applies and the strictest wins, as every ancestor's terminology rules apply. */
export function effectiveThresholds(settings: readonly Omit<GovThresholdSetting, 'tenantId'>[]): GovThresholds {
  const pick = (k: keyof GovThresholds, fallback: number): number => {
    const values = settings.map((s) => s[k]).filter((v): v is number => typeof v === 'number');
    return values.length ? Math.min(...values) : fallback;
  };
  return {
    warnDays: pick('warnDays', GOV_DEFAULT_THRESHOLDS.warnDays),
    failDays: pick('failDays', GOV_DEFAULT_THRESHOLDS.failDays),
    zombieDays: pick('zombieDays', GOV_DEFAULT_THRESHOLDS.zombieDays),
  };
}

export function checkThresholds(t: GovThresholds): void {
  const whole = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!whole(t.warnDays, 365) || !whole(t.failDays, 365) || !whole(t.zombieDays, 730))
    throw new GovAccountError('GOV_THRESHOLDS_INVALID', '天数应为 1 到 365 的整数（僵尸号不超过 730）');
  if (!(t.warnDays < t.failDays && t.failDays < t.zombieDays))
    throw new GovAccountError('GOV_THRESHOLDS_INVALID', '应满足 预警天数 < 不合格天数 < 僵尸天数');
}

/** A Beijing calendar day 'YYYY-MM-DD' of an instant. */
export function beijingDay(at: Date | number): string {
  return new Date((typeof at === 'number' ? at : at.getTime()) + 8 * 3600_000).toISOString().slice(0, 10);
}

const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/** Whole Beijing days between the last update and the day of the check; null when none was recorded. */
export function silentDays(lastUpdatedAt: Date | null, today: string): number | null {
  if (!lastUpdatedAt) return null;
  return Math.max(0, dayNumber(today) - dayNumber(beijingDay(lastUpdatedAt)));
}

export function healthOf(days: number | null, t: GovThresholds): GovHealth {
  if (days === null) return 'unknown';
  if (days >= t.zombieDays) return 'zombie';
  if (days >= t.failDays) return 'fail';
  if (days >= t.warnDays) return 'warn';
  return 'ok';
}

/** A real calendar day written 'YYYY-MM-DD'. */
export function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * The key that makes an account id or URL the same account: case and surrounding blanks do not
 * count, nor a URL's scheme, "www.", or trailing slash.
 */
export function handleKey(handle: string): string {
  let k = handle.trim().toLowerCase();
  k = k
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/+$/, '');
  return k.replace(/^@/, '');
}

export interface GovAccountInput {
  platform: GovPlatform;
  name: string;
  handle: string;
  unitId?: string | null;
  verifiedSubject?: string;
  sponsor?: string;
  supervisor?: string;
  filingNo?: string;
  operation?: GovOperation;
  operatorOrgId?: string | null;
  contractStart?: string | null;
  contractEnd?: string | null;
  reviewers?: string[];
  note?: string;
  status?: GovAccountStatus;
  /** a public RSS, Atom or JSON feed the worker reads the last update from (null: none) */
  feedUrl?: string | null;
}

export interface ActivityInput {
  lastUpdatedAt?: Date | null;
  followers?: number | null;
  posts?: number | null;
  reads?: number | null;
}

const text = (v: string | undefined, max: number, label: string, path: string): string | undefined => {
  if (v === undefined) return undefined;
  const s = v.trim();
  if (s.length > max) throw new GovAccountError('GOV_ACCOUNT_INVALID', `${label}不能超过 ${max} 个字符`, path);
  return s;
};

/** Validates and trims an account's fields (all present for a new account, some for a change). */
export function checkAccountInput<T extends Partial<GovAccountInput>>(input: T, isNew: boolean): T {
  const out = { ...input };
  if (isNew || input.platform !== undefined) {
    if (!PLATFORMS.includes(input.platform as GovPlatform))
      throw new GovAccountError('GOV_ACCOUNT_INVALID', `未知平台“${String(input.platform ?? '')}”`, 'platform');
  }
  if (isNew || input.name !== undefined) {
    const name = (input.name ?? '').trim();
    if (name.length < 1 || name.length > 100)
      throw new GovAccountError('GOV_ACCOUNT_INVALID', '账号名称应为 1 到 100 个字符', 'name');
    out.name = name;
  }
  if (isNew || input.handle !== undefined) {
    const handle = (input.handle ?? '').trim();
    if (handle.length < 1 || handle.length > 300 || !handleKey(handle))
      throw new GovAccountError('GOV_ACCOUNT_INVALID', '请填写账号ID或网址（不超过 300 个字符）', 'handle');
    out.handle = handle;
  }
  out.verifiedSubject = text(input.verifiedSubject, 100, '认证主体', 'verifiedSubject');
  out.sponsor = text(input.sponsor, 100, '主办单位', 'sponsor');
  out.supervisor = text(input.supervisor, 100, '主管单位', 'supervisor');
  out.filingNo = text(input.filingNo, 64, '备案号', 'filingNo');
  out.note = text(input.note, 500, '备注', 'note');
  if (input.operation !== undefined && !['self', 'operator'].includes(input.operation))
    throw new GovAccountError('GOV_ACCOUNT_INVALID', '运营方式应为自主运营或代运营', 'operation');
  if (input.operation === 'operator' && !input.operatorOrgId)
    throw new GovAccountError('GOV_ACCOUNT_INVALID', '代运营须选择代运营机构', 'operatorOrgId');
  for (const k of ['contractStart', 'contractEnd'] as const) {
    const v = input[k];
    if (v !== undefined && v !== null && !isCalendarDay(v))
      throw new GovAccountError('GOV_ACCOUNT_INVALID', '合同日期格式应为 YYYY-MM-DD', k);
  }
  if (input.contractStart && input.contractEnd && input.contractEnd < input.contractStart)
    throw new GovAccountError('GOV_ACCOUNT_INVALID', '合同结束日期不能早于开始日期', 'contractEnd');
  if (input.reviewers !== undefined) {
    const reviewers = [...new Set(input.reviewers.map((r) => r.trim()).filter(Boolean))];
    if (reviewers.length > 10 || reviewers.some((r) => r.length > 40))
      throw new GovAccountError('GOV_ACCOUNT_INVALID', '审核人最多 10 名，每个姓名不超过 40 个字符', 'reviewers');
    out.reviewers = reviewers;
  }
  if (input.feedUrl !== undefined && input.feedUrl !== null) {
    const url = input.feedUrl.trim();
    let ok = url.length <= 500 && /^https?:\/\//i.test(url);
    try {
      if (ok) new URL(url);
    } catch {
      ok = false;
    }
    if (!ok)
      throw new GovAccountError(
        'GOV_ACCOUNT_INVALID',
        '订阅地址应为 http:// 或 https:// 开头的网址（不超过 500 个字符）',
        'feedUrl',
      );
    out.feedUrl = url || null;
  }
  if (input.status !== undefined && !STATUSES.includes(input.status))
    throw new GovAccountError('GOV_ACCOUNT_INVALID', '账号状态不正确', 'status');
  return out;
}

export function checkActivity(input: ActivityInput, now: number = Date.now()): void {
  for (const k of ['followers', 'posts', 'reads'] as const) {
    const v = input[k];
    if (v !== undefined && v !== null && (!Number.isSafeInteger(v) || v < 0))
      throw new GovAccountError('GOV_ACCOUNT_INVALID', '粉丝数、发文数、阅读量应为非负整数', k);
  }
  if (input.lastUpdatedAt && input.lastUpdatedAt.getTime() > now + 3600_000)
    throw new GovAccountError('GOV_ACCOUNT_INVALID', '最近更新时间不能晚于现在', 'lastUpdatedAt');
}

/** One account as the registry shows it: stored fields, and what is computed for the day of the check. */
export interface GovAccountView {
  id: string;
  tenantId: string;
  tenantName: string;
  unitId: string | null;
  unitName: string | null;
  platform: GovPlatform;
  name: string;
  handle: string;
  verifiedSubject: string;
  sponsor: string;
  supervisor: string;
  filingNo: string;
  operation: GovOperation;
  operatorOrgId: string | null;
  contractStart: string | null;
  contractEnd: string | null;
  reviewers: string[];
  status: GovAccountStatus;
  note: string;
  lastUpdatedAt: Date | null;
  followers: number | null;
  posts: number | null;
  reads: number | null;
  figuresAt: Date | null;
  activitySource: GovActivitySource | null;
  feedUrl: string | null;
  feedCheckedAt: Date | null;
  /** why the last read of the feed failed (Chinese), null when it worked */
  feedError: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** whole days since the last update, on the day of the check (null: none recorded) */
  silentDays: number | null;
  /** null for closed and merged accounts: they are no longer checked */
  health: GovHealth | null;
  /** another open account of the same unit (or sponsor, without a unit) on the same platform */
  duplicate: boolean;
  thresholds: GovThresholds;
}

export interface GovAccountFilter {
  platform?: GovPlatform | null;
  health?: GovHealth | null;
  status?: GovAccountStatus | null;
  duplicate?: boolean | null;
  /** only this tenant's own accounts (not its subtree's) */
  tenantId?: string | null;
  unitId?: string | null;
  /** matches name, handle, sponsor */
  search?: string | null;
}
