import type { GovAccountStatus, GovOperation, GovPlatform } from '@yiduan/db';
import { GovAccountError } from './errors.js';
import {
  HEALTH_NAMES,
  OPERATION_NAMES,
  PLATFORM_NAMES,
  STATUS_NAMES,
  checkAccountInput,
  checkActivity,
  isCalendarDay,
  type ActivityInput,
  type GovAccountInput,
  type GovAccountView,
} from './model.js';

/**
 * The registry as a spreadsheet: the template's columns (Chinese headers), one row read into an
 * account's input with a Chinese reason when it cannot be, and the rows of an export (the template's
 * columns first, so an export can be edited and imported again, then what is computed). Pure.
 */

export const SHEET_COLUMNS = [
  {
    key: 'platform',
    header: '平台',
    required: true,
    hint: '微信公众号、微博、抖音、快手、今日头条、哔哩哔哩、客户端、网站、其他',
  },
  { key: 'name', header: '账号名称', required: true, hint: '' },
  { key: 'handle', header: '账号ID或网址', required: true, hint: '' },
  { key: 'verifiedSubject', header: '认证主体', required: false, hint: '' },
  { key: 'sponsor', header: '主办单位', required: false, hint: '' },
  { key: 'supervisor', header: '主管单位', required: false, hint: '' },
  { key: 'unit', header: '所属政务号', required: false, hint: '本单位已建政务号的名称' },
  { key: 'filingNo', header: '备案号', required: false, hint: '' },
  { key: 'operation', header: '运营方式', required: false, hint: '自主运营或代运营' },
  { key: 'operator', header: '代运营机构', required: false, hint: '平台已登记的代运营机构名称' },
  { key: 'contractStart', header: '合同开始日期', required: false, hint: 'YYYY-MM-DD' },
  { key: 'contractEnd', header: '合同结束日期', required: false, hint: 'YYYY-MM-DD' },
  { key: 'reviewers', header: '审核人', required: false, hint: '多人用顿号分隔' },
  { key: 'status', header: '状态', required: false, hint: '正常、关停中、已注销、已合并' },
  { key: 'lastUpdated', header: '最近更新时间', required: false, hint: 'YYYY-MM-DD 或 YYYY-MM-DD HH:mm（北京时间）' },
  { key: 'followers', header: '粉丝数', required: false, hint: '' },
  { key: 'posts', header: '发文数', required: false, hint: '' },
  { key: 'reads', header: '阅读量', required: false, hint: '' },
  { key: 'note', header: '备注', required: false, hint: '' },
  { key: 'feedUrl', header: '订阅地址', required: false, hint: 'RSS、Atom 或 JSON Feed 的网址（可不填）' },
] as const;

export type SheetKey = (typeof SHEET_COLUMNS)[number]['key'];

/** Columns an export adds after the template's (ignored when the file is imported again). */
export const EXPORT_EXTRA_HEADERS = ['所属单位', '健康状况', '未更新天数', '疑似重复'];

/** Where each template column sits in a file's header row; a file missing a required one is malformed. */
export function headerIndex(header: readonly string[]): Map<SheetKey, number> {
  const at = new Map<SheetKey, number>();
  const names = header.map((h) => h.trim().replace(/^\*/, ''));
  for (const col of SHEET_COLUMNS) {
    const i = names.indexOf(col.header);
    if (i >= 0) at.set(col.key, i);
  }
  const missing = SHEET_COLUMNS.filter((c) => c.required && !at.has(c.key)).map((c) => c.header);
  if (missing.length)
    throw new GovAccountError(
      'GOV_IMPORT_MALFORMED',
      `第 1 行应为表头，缺少列：${missing.join('、')}（请使用下载的模板）`,
    );
  return at;
}

const PLATFORM_ALIASES: Record<string, GovPlatform> = {
  ...Object.fromEntries(Object.entries(PLATFORM_NAMES).map(([k, v]) => [v, k as GovPlatform])),
  ...Object.fromEntries(Object.keys(PLATFORM_NAMES).map((k) => [k, k as GovPlatform])),
  微信: 'wechat',
  公众号: 'wechat',
  微信公众平台: 'wechat',
  新浪微博: 'weibo',
  头条: 'toutiao',
  头条号: 'toutiao',
  b站: 'bilibili',
  app: 'app',
  移动客户端: 'app',
  门户网站: 'website',
  政府网站: 'website',
};
const STATUS_ALIASES: Record<string, GovAccountStatus> = {
  ...Object.fromEntries(Object.entries(STATUS_NAMES).map(([k, v]) => [v, k as GovAccountStatus])),
  ...Object.fromEntries(Object.keys(STATUS_NAMES).map((k) => [k, k as GovAccountStatus])),
  注销: 'closed',
  已关停: 'closed',
  合并: 'merged',
};
const OPERATION_ALIASES: Record<string, GovOperation> = {
  自主运营: 'self',
  自营: 'self',
  self: 'self',
  代运营: 'operator',
  委托运营: 'operator',
  第三方运营: 'operator',
  operator: 'operator',
};

/** A sheet's day: 2026-12-01, 2026/12/1 or 2026.12.1 → '2026-12-01'; null when not a real day. */
export function sheetDay(v: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v.trim());
  if (!m) return null;
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isCalendarDay(day) ? day : null;
}

/** A sheet's instant in Beijing time: a day (its start) or a day with HH:mm[:ss]. */
export function sheetInstant(v: string): Date | null {
  const m = /^(\S+?)(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v.trim());
  if (!m) return null;
  const day = sheetDay(m[1]!);
  if (!day) return null;
  const [h, min, s] = [Number(m[2] ?? 0), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return null;
  return new Date(
    `${day}T${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}:${String(s).padStart(2, '0')}+08:00`,
  );
}

/** A count as offices write it: 12345, 12,345, 1.2万. */
export function sheetCount(v: string): number | null {
  const s = v.trim().replace(/[,，\s]/g, '');
  const m = /^(\d+(?:\.\d+)?)(万|亿)?$/.exec(s);
  if (!m) return null;
  const n = Number(m[1]) * (m[2] === '万' ? 10_000 : m[2] === '亿' ? 100_000_000 : 1);
  return Number.isSafeInteger(Math.round(n)) ? Math.round(n) : null;
}

export interface SheetLookups {
  /** the tenant's units by name */
  units: ReadonlyMap<string, string>;
  /** the platform's operator organisations by name */
  organisations: ReadonlyMap<string, string>;
  now: number;
}

export interface SheetAccount {
  input: GovAccountInput;
  activity: ActivityInput;
  hasActivity: boolean;
}

const bad = (msg: string): never => {
  throw new GovAccountError('GOV_ACCOUNT_INVALID', msg);
};

/** One data row into an account, or a GovAccountError whose message is the row's reason. */
export function readSheetRow(
  fields: readonly string[],
  at: ReadonlyMap<SheetKey, number>,
  look: SheetLookups,
): SheetAccount {
  const cell = (k: SheetKey): string => {
    const i = at.get(k);
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };
  const platformText = cell('platform');
  if (!platformText) bad('平台不能为空');
  const platform = PLATFORM_ALIASES[platformText.toLowerCase()] ?? PLATFORM_ALIASES[platformText];
  if (!platform) bad(`未知平台“${platformText}”，应为：${Object.values(PLATFORM_NAMES).join('、')}`);
  const unitName = cell('unit');
  const unitId = unitName ? (look.units.get(unitName) ?? bad(`本单位没有名为“${unitName}”的政务号`)) : null;
  const operatorName = cell('operator');
  const operationText = cell('operation');
  let operation: GovOperation = operatorName ? 'operator' : 'self';
  if (operationText)
    operation = OPERATION_ALIASES[operationText.toLowerCase()] ?? bad(`运营方式“${operationText}”应为自主运营或代运营`);
  if (operation === 'operator' && !operatorName) bad('代运营须填写代运营机构');
  if (operation === 'self' && operatorName) bad('自主运营的账号不应填写代运营机构');
  const operatorOrgId = operatorName
    ? (look.organisations.get(operatorName) ?? bad(`平台未登记代运营机构“${operatorName}”`))
    : null;
  const day = (k: 'contractStart' | 'contractEnd', label: string): string | null => {
    const v = cell(k);
    if (!v) return null;
    return sheetDay(v) ?? bad(`${label}“${v}”不是有效日期（YYYY-MM-DD）`);
  };
  const statusText = cell('status');
  const status = statusText
    ? (STATUS_ALIASES[statusText.toLowerCase()] ??
      bad(`状态“${statusText}”应为：${Object.values(STATUS_NAMES).join('、')}`))
    : 'active';
  const input = checkAccountInput<GovAccountInput>(
    {
      platform: platform!,
      name: cell('name'),
      handle: cell('handle'),
      unitId,
      verifiedSubject: cell('verifiedSubject'),
      sponsor: cell('sponsor'),
      supervisor: cell('supervisor'),
      filingNo: cell('filingNo'),
      operation,
      operatorOrgId,
      contractStart: day('contractStart', '合同开始日期'),
      contractEnd: day('contractEnd', '合同结束日期'),
      reviewers: cell('reviewers') ? cell('reviewers').split(/[、,，;；\s]+/) : [],
      note: cell('note'),
      status,
      feedUrl: cell('feedUrl') || null,
    },
    true,
  );
  const activity: ActivityInput = {};
  const updated = cell('lastUpdated');
  if (updated)
    activity.lastUpdatedAt =
      sheetInstant(updated) ?? bad(`最近更新时间“${updated}”无法识别（YYYY-MM-DD 或 YYYY-MM-DD HH:mm）`);
  for (const [k, label] of [
    ['followers', '粉丝数'],
    ['posts', '发文数'],
    ['reads', '阅读量'],
  ] as const) {
    const v = cell(k);
    if (v) activity[k] = sheetCount(v) ?? bad(`${label}“${v}”应为非负整数`);
  }
  checkActivity(activity, look.now);
  return { input, activity, hasActivity: Object.keys(activity).length > 0 };
}

/** The export's header row: the template's columns, then what is computed. */
export function exportHeader(): string[] {
  return [...SHEET_COLUMNS.map((c) => c.header), ...EXPORT_EXTRA_HEADERS];
}

/** One account as an export row, in exportHeader()'s order. */
export function exportRow(a: GovAccountView, operatorName: string | null): unknown[] {
  const beijing = (d: Date | null) =>
    d ? new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';
  return [
    PLATFORM_NAMES[a.platform],
    a.name,
    a.handle,
    a.verifiedSubject,
    a.sponsor,
    a.supervisor,
    a.unitName ?? '',
    a.filingNo,
    OPERATION_NAMES[a.operation],
    operatorName ?? '',
    a.contractStart ?? '',
    a.contractEnd ?? '',
    a.reviewers.join('、'),
    STATUS_NAMES[a.status],
    beijing(a.lastUpdatedAt),
    a.followers ?? '',
    a.posts ?? '',
    a.reads ?? '',
    a.note,
    a.feedUrl ?? '',
    a.tenantName,
    a.health ? HEALTH_NAMES[a.health] : '',
    a.silentDays ?? '',
    a.duplicate ? '是' : '',
  ];
}

/** The template: the header row and one example row (to be replaced). */
export function templateRows(): { header: string[]; example: string[] } {
  return {
    header: SHEET_COLUMNS.map((c) => (c.required ? `${c.header}` : c.header)),
    example: [
      '微信公众号',
      '示例县教育发布',
      'shilixian_jyfb',
      '示例县教育局',
      '示例县教育局',
      '示例县人民政府',
      '',
      '',
      '自主运营',
      '',
      '',
      '',
      '张三、李四',
      '正常',
      '2026-12-01 09:30',
      '12000',
      '860',
      '350000',
      '示例行，导入前请删除',
      '',
    ],
  };
}
