import type { GovFindingKind, GovFixOrderStatus, GovPlatform, GovRoundStatus, GovRoundVerdict } from '@yiduan/db';
import { isCalendarDay } from '../model.js';
import { GovRoundError } from './errors.js';

export type { GovFindingKind, GovFixOrderStatus, GovRoundStatus, GovRoundVerdict } from '@yiduan/db';

/**
 * The checklist of an inspection (国办秘函〔2019〕19号 style). A veto item (单项否决) fails the
 * account whatever else it scores; every other item deducts points from 100 (each finding up to
 * the item's maximum, the default being the usual deduction).
 */
export interface ChecklistItem {
  code: string;
  kind: GovFindingKind;
  name: string;
  /** the usual deduction of one finding (vetoes: 0, the veto itself decides) */
  points: number;
  /** the most one finding of the item may deduct */
  maxPoints: number;
  description: string;
}

export const GOV_CHECKLIST: readonly ChecklistItem[] = [
  {
    code: 'security',
    kind: 'veto',
    name: '安全泄密',
    points: 0,
    maxPoints: 0,
    description: '发生严重表述错误、泄露国家秘密或造成安全事件',
  },
  {
    code: 'no_update',
    kind: 'veto',
    name: '两周未更新',
    points: 0,
    maxPoints: 0,
    description: '检查日前两周内无更新（依据账号的更新记录）',
  },
  {
    code: 'poor_interaction',
    kind: 'veto',
    name: '互动回应差',
    points: 0,
    maxPoints: 0,
    description: '对网民留言长期不回应，或回应敷衍、答非所问，造成不良影响',
  },
  {
    code: 'bought_followers',
    kind: 'veto',
    name: '购买粉丝',
    points: 0,
    maxPoints: 0,
    description: '购买粉丝、刷量或以其他方式虚构数据',
  },
  {
    code: 'wording',
    kind: 'deduction',
    name: '表述不规范',
    points: 5,
    maxPoints: 20,
    description: '错别字、不规范表述或敏感用语',
  },
  {
    code: 'missing_repost',
    kind: 'deduction',
    name: '未转发权威信息',
    points: 5,
    maxPoints: 20,
    description: '未及时转载上级发布的权威信息',
  },
  {
    code: 'operator_mismatch',
    kind: 'deduction',
    name: '运营主体不符',
    points: 10,
    maxPoints: 20,
    description: '认证主体或运营主体与开办单位不一致',
  },
  {
    code: 'unverified',
    kind: 'deduction',
    name: '未认证',
    points: 10,
    maxPoints: 20,
    description: '账号未进行政务机构认证',
  },
  {
    code: 'duplicate',
    kind: 'deduction',
    name: '重复建设',
    points: 10,
    maxPoints: 20,
    description: '同一单位在同一平台重复开设账号',
  },
  {
    code: 'idle',
    kind: 'deduction',
    name: '功能闲置',
    points: 5,
    maxPoints: 20,
    description: '栏目、菜单或服务功能长期闲置、无法使用',
  },
];

export const CHECKLIST_BY_CODE: ReadonlyMap<string, ChecklistItem> = new Map(GOV_CHECKLIST.map((i) => [i.code, i]));

export const VERDICT_NAMES: Record<GovRoundVerdict, string> = {
  excellent: '优秀',
  pass: '合格',
  fail: '不合格',
  veto: '单项否决',
};
export const ROUND_STATUS_NAMES: Record<GovRoundStatus, string> = { open: '进行中', closed: '已结束' };
export const FIX_STATUS_NAMES: Record<GovFixOrderStatus, string> = { open: '整改中', closed: '已销号' };

/** The least share of each county's accounts on each platform a round samples. */
export const MIN_SHARE = 0.1;
/** Fix orders are due 7 to 11 days after they are issued. */
export const FIX_DUE_DAYS = { min: 7, max: 11 } as const;
/** The two-week veto of the checks: the days without an update that fail a sampled account. */
export const NO_UPDATE_VETO_DAYS = 14;

/** A score below this fails; above `EXCELLENT_ABOVE` is 优秀 (counted for bonus points). */
export const PASS_SCORE = 60;
export const EXCELLENT_ABOVE = 80;

/**
 * The scoring engine: any veto finding fails the account outright (score 0, 单项否决); otherwise
 * 100 minus the deductions (never below 0); below 60 fails, above 80 is excellent.
 */
export function scoreOf(findings: readonly { kind: GovFindingKind; points: number }[]): {
  score: number;
  verdict: GovRoundVerdict;
} {
  if (findings.some((f) => f.kind === 'veto')) return { score: 0, verdict: 'veto' };
  const score = Math.max(0, 100 - findings.reduce((s, f) => s + f.points, 0));
  return { score, verdict: score < PASS_SCORE ? 'fail' : score > EXCELLENT_ABOVE ? 'excellent' : 'pass' };
}

export const passes = (v: GovRoundVerdict): boolean => v === 'pass' || v === 'excellent';

const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
export const fixDaysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

export interface OpenRoundInput {
  title: string;
  /** any text; the same seed over the same registry draws the same accounts (default: random) */
  seed?: string | null;
  /** the share of each county's accounts on each platform, 0.1 to 1 (default 0.1) */
  share?: number | null;
  /** the day of the check, 'YYYY-MM-DD' (default: today, Beijing) */
  checkDay?: string | null;
}

export function checkOpenRound(
  input: OpenRoundInput,
  today: string,
): { title: string; seed: string | null; share: number; checkDay: string } {
  const title = (input.title ?? '').trim();
  if (title.length < 1 || title.length > 100)
    throw new GovRoundError('GOV_ROUND_INVALID', '请填写检查名称（不超过 100 个字符）', 'title');
  const seed = input.seed?.trim() || null;
  if (seed !== null && seed.length > 64)
    throw new GovRoundError('GOV_ROUND_INVALID', '抽样种子不超过 64 个字符', 'seed');
  const share = input.share ?? MIN_SHARE;
  if (!Number.isFinite(share) || share < MIN_SHARE || share > 1)
    throw new GovRoundError('GOV_ROUND_INVALID', '抽查比例应在 10% 到 100% 之间', 'share');
  const checkDay = input.checkDay ?? today;
  if (!isCalendarDay(checkDay)) throw new GovRoundError('GOV_ROUND_INVALID', '检查日期格式应为 YYYY-MM-DD', 'checkDay');
  if (checkDay > today) throw new GovRoundError('GOV_ROUND_INVALID', '检查日期不能晚于今天', 'checkDay');
  return { title, seed, share: Math.round(share * 1000) / 1000, checkDay };
}

export interface FindingInput {
  accountId: string;
  /** a checklist item's code */
  item: string;
  /** a deduction's points (default: the item's usual deduction); ignored for vetoes */
  points?: number | null;
  note?: string | null;
  /** evidence: links to screenshots or pages */
  links?: string[] | null;
  /** evidence: uploaded assets of the round's tenant */
  assetIds?: string[] | null;
  /** wording findings: the pasted text the terminology engine runs over */
  text?: string | null;
}

export function checkFinding(input: FindingInput): {
  item: ChecklistItem;
  points: number;
  note: string;
  links: string[];
  assetIds: string[];
  text: string | null;
} {
  const item = CHECKLIST_BY_CODE.get(input.item);
  if (!item) throw new GovRoundError('GOV_ROUND_ITEM_UNKNOWN', `“${String(input.item).slice(0, 40)}”`, 'item');
  let points = 0;
  if (item.kind === 'deduction') {
    points = input.points ?? item.points;
    if (!Number.isInteger(points) || points < 1 || points > item.maxPoints)
      throw new GovRoundError('GOV_ROUND_INVALID', `“${item.name}”每处扣 1 到 ${item.maxPoints} 分`, 'points');
  }
  const note = (input.note ?? '').trim();
  if (note.length > 1000) throw new GovRoundError('GOV_ROUND_INVALID', '说明不超过 1000 个字符', 'note');
  const links = (input.links ?? []).map((l) => l.trim()).filter(Boolean);
  if (links.length > 10) throw new GovRoundError('GOV_ROUND_INVALID', '证据链接最多 10 个', 'links');
  if (links.some((l) => !/^https?:\/\/\S+$/.test(l) || l.length > 500))
    throw new GovRoundError('GOV_ROUND_INVALID', '证据链接应以 http:// 或 https:// 开头', 'links');
  const assetIds = [...new Set(input.assetIds ?? [])];
  if (assetIds.length > 10) throw new GovRoundError('GOV_ROUND_INVALID', '证据素材最多 10 个', 'assetIds');
  const text = input.text?.trim() || null;
  if (text !== null && text.length > 20_000)
    throw new GovRoundError('GOV_ROUND_INVALID', '粘贴的文字不超过 20000 个字符', 'text');
  return { item, points, note, links, assetIds, text };
}

/** A fix order's due day: a real day, not before today, 7 to 11 days after it is issued. */
export function checkDueDay(dueOn: string, today: string): void {
  if (!isCalendarDay(dueOn)) throw new GovRoundError('GOV_FIX_DUE_INVALID', '日期格式应为 YYYY-MM-DD', 'dueOn');
  if (dueOn < today) throw new GovRoundError('GOV_FIX_DUE_INVALID', '整改期限不能早于今天', 'dueOn');
  const d = fixDaysBetween(today, dueOn);
  if (d < FIX_DUE_DAYS.min || d > FIX_DUE_DAYS.max)
    throw new GovRoundError(
      'GOV_FIX_DUE_INVALID',
      `整改期限应为下达之日起 ${FIX_DUE_DAYS.min} 至 ${FIX_DUE_DAYS.max} 天`,
      'dueOn',
    );
}

export interface GovRoundView {
  id: string;
  tenantId: string;
  tenantName: string;
  title: string;
  seed: string;
  share: number;
  checkDay: string;
  status: GovRoundStatus;
  sampled: number;
  createdAt: Date;
  closedAt: Date | null;
}

export interface GovRoundSampleView {
  roundId: string;
  tenantId: string;
  tenantName: string;
  accountId: string;
  platform: GovPlatform;
  accountName: string;
  silentDays: number | null;
  score: number;
  verdict: GovRoundVerdict;
  findings: number;
}

export interface GovRoundFindingView {
  id: string;
  roundId: string;
  tenantId: string;
  accountId: string;
  item: string;
  itemName: string;
  kind: GovFindingKind;
  points: number;
  note: string;
  links: string[];
  assetIds: string[];
  /** terminology hits in the pasted text of a wording finding */
  wording: WordingHit[];
  recordedByName: string;
  createdAt: Date;
}

export interface WordingHit {
  match: string;
  replacement: string | null;
  severity: 'block' | 'warn';
  note: string;
  start: number;
  end: number;
}

export interface GovFixOrderView {
  id: string;
  tenantId: string;
  tenantName: string;
  roundId: string;
  roundTitle: string;
  roundTenantId: string;
  accountId: string;
  accountName: string;
  platform: GovPlatform;
  items: string[];
  requirement: string;
  issuedOn: string;
  dueOn: string;
  status: GovFixOrderStatus;
  overdue: boolean;
  /** whole days past the due day (0 when not overdue) */
  overdueDays: number;
  rechecks: number;
  recheckNote: string;
  closedAt: Date | null;
}

/** 合格率 of one county (or any tenant) in one round: of its sampled accounts, those that passed. */
export interface GovRoundPassRate {
  roundId: string;
  tenantId: string;
  tenantName: string;
  sampled: number;
  passed: number;
  excellent: number;
  vetoed: number;
  /** passed / sampled, 0 to 1 */
  rate: number;
}
