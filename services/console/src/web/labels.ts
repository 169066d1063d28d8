// Chinese names of the API's enum values, shown everywhere in the console.
import type {
  PlacementMode,
  PlacementStatus,
  ReviewRole,
  RuleSeverity,
  SharePolicy,
  StaffRole,
  StoryKind,
  StoryStatus,
  TenantLevel,
  UnitKind,
} from './types.js';

export const ROLE: Record<StaffRole | 'PLATFORM_OPERATOR', string> = {
  REPORTER: '记者',
  EDITOR: '编辑',
  REVIEWER: '审核',
  CHIEF_EDITOR: '总编辑',
  TENANT_ADMIN: '管理员',
  PLATFORM_OPERATOR: '平台运营',
};
export const REVIEW_ROLE: Record<ReviewRole, string> = {
  EDITOR: '编辑（初审）',
  REVIEWER: '审核（复审）',
  CHIEF_EDITOR: '总编辑（终审）',
};
export const STATUS: Record<StoryStatus, string> = {
  DRAFT: '草稿',
  IN_REVIEW: '审校中',
  APPROVED: '已通过',
  SCHEDULED: '定时发布',
  PUBLISHED: '已发布',
  UNPUBLISHED: '已撤下',
  RETRACTED: '已撤稿',
};
export const STATUS_COLOR: Record<StoryStatus, string> = {
  DRAFT: 'default',
  IN_REVIEW: 'processing',
  APPROVED: 'cyan',
  SCHEDULED: 'purple',
  PUBLISHED: 'success',
  UNPUBLISHED: 'warning',
  RETRACTED: 'error',
};
export const LEVEL: Record<TenantLevel, string> = { PROVINCE: '省级', CITY: '市级', COUNTY: '县级' };
export const KIND: Record<StoryKind, string> = { ARTICLE: '图文', VIDEO: '视频', GALLERY: '图集', LINK: '外链' };
export const SEVERITY: Record<RuleSeverity, string> = { BLOCK: '禁用', WARN: '提示' };
export const UNIT_KIND: Record<UnitKind, string> = {
  BUREAU: '局委办',
  TOWNSHIP: '乡镇街道',
  INSTITUTION: '事业单位',
  ENTERPRISE: '企业',
  OTHER: '其他',
};
export const MODE: Record<PlacementMode, string> = {
  OWN: '本单位发布',
  PULLED: '上推转载',
  PUSHED: '下发（必须刊发）',
  OFFERED: '推荐',
  RULE: '规则自动',
};
export const PLACEMENT_STATUS: Record<PlacementStatus, string> = {
  ACTIVE: '刊发中',
  PENDING: '待处理',
  DECLINED: '已拒绝',
  REMOVED: '已撤下',
  DETACHED: '已另存',
  RETRACTED: '已撤稿',
  UNPUBLISHED: '原稿已撤下',
};
export const PLACEMENT_STATUS_COLOR: Record<PlacementStatus, string> = {
  ACTIVE: 'green',
  PENDING: 'blue',
  DECLINED: 'default',
  REMOVED: 'default',
  DETACHED: 'cyan',
  RETRACTED: 'red',
  UNPUBLISHED: 'orange',
};
export const SHARE: Record<SharePolicy, string> = {
  NONE: '不共享',
  UP: '可被上级转载',
  DOWN: '可推送下级',
  TREE: '全省共享',
};
export const EVENT_ACTION: Record<string, string> = {
  submit: '提交审校',
  approve: '通过',
  reject: '退回',
  publish: '发布',
  schedule: '定时发布',
  unpublish: '撤下',
  withdraw: '撤回送审',
  retract: '撤稿',
  correct: '更正',
};

export const fmtTime = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
};
