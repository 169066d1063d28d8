import type {
  AgreementKind,
  Citizen,
  CitizenMessage,
  CitizenMessageEvent,
  CommentRow,
  ConsentPurpose,
  MessageCategory,
  MessageStatus,
} from '@yiduan/db';
import { DomainError } from '../errors.js';
import type { FaceComment } from '../syndication/model.js';

/** What the audience context owns: citizens, their sessions, memberships, comments, messages and agreements. */

/** How a citizen is reached and signs in: a mainland mobile number or an e-mail address. */
export type Identifier = { kind: 'phone'; value: string } | { kind: 'email'; value: string };

const PHONE = /^1[3-9]\d{9}$/;
// deliberately plain (lower-cased ASCII addresses): the real check is that the code sent there arrives
const EMAIL = /^[a-z0-9._%+-]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/;

/** Normalises what a citizen typed: spaces, dashes and a +86 prefix are dropped, e-mail lower-cased. */
export function parseIdentifier(raw: string): Identifier {
  const text = raw.normalize('NFKC').trim();
  if (text.includes('@')) {
    const email = text.toLowerCase();
    if (email.length <= 254 && EMAIL.test(email)) return { kind: 'email', value: email };
  } else {
    const digits = text.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
    if (PHONE.test(digits)) return { kind: 'phone', value: digits };
  }
  throw new DomainError('BAD_USER_INPUT', '请输入正确的手机号或邮箱', [
    { path: 'identifier', message: '请输入正确的手机号或邮箱' },
  ]);
}

/** 138****5678 / z***@example.cn: what staff and logs may see of an identifier. */
export function maskIdentifier(id: Identifier): string {
  if (id.kind === 'phone') return `${id.value.slice(0, 3)}****${id.value.slice(7)}`;
  const [name = '', domain = ''] = id.value.split('@');
  return `${name.slice(0, 1)}***@${domain}`;
}

export function identifierOf(row: { phone: string | null; email: string | null }): Identifier | null {
  if (row.phone) return { kind: 'phone', value: row.phone };
  if (row.email) return { kind: 'email', value: row.email };
  return null;
}

// ---------------------------------------------------------------- citizens and sessions

/** A nickname's problem, in Chinese, or null when it may be used. */
export function displayNameProblem(name: string): string | null {
  const n = name.trim();
  if (n.length === 0) return '请填写昵称';
  if ([...n].length > 20) return '昵称最多 20 个字';
  if (/[<>\p{Cc}]/u.test(n)) return '昵称含有不允许的字符';
  return null;
}

/** The name an account keeps after it was deleted (its comments stay under it). */
export const DELETED_NAME = '已注销用户';

export const CODE_TTL_MS = 10 * 60 * 1000;
/** Wrong guesses allowed against one code before it is spent. */
export const CODE_MAX_ATTEMPTS = 5;

export const CENTRAL_SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
export const FACE_SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
export const AUTH_CODE_TTL_MS = 60 * 1000;
export const CALLBACK_PATH = '/auth/callback';

export interface SessionMeta {
  ip?: string;
  userAgent?: string;
}

export interface CitizenSession {
  sessionId: string;
  /** the central session a face session belongs to (itself for a central session) */
  centralId: string;
  citizen: Citizen;
  expiresAt: Date;
}

export interface AuthorizeRequest {
  clientHost: string;
  redirectUri: string;
  codeChallenge: string;
  codeChallengeMethod: string;
}

// ---------------------------------------------------------------- settings

export interface AudienceSettings {
  commentsPremoderated: boolean;
  commentsEnabled: boolean;
  messageDueDays: number;
}

export const DEFAULT_AUDIENCE_SETTINGS: AudienceSettings = {
  commentsPremoderated: false,
  commentsEnabled: true,
  messageDueDays: 5,
};

// ---------------------------------------------------------------- memberships

export const CONSENT_PURPOSES: readonly ConsentPurpose[] = ['news', 'contact', 'share_parent'];
export const CONSENT_LABELS: Record<ConsentPurpose, string> = {
  news: '接收新闻推送',
  contact: '允许本单位联系我',
  share_parent: '允许与上级平台共享',
};

export type Consents = Record<ConsentPurpose, boolean>;
export interface ConsentState {
  purpose: ConsentPurpose;
  granted: boolean;
  at: Date;
}

export interface MembershipView {
  id: string;
  tenantId: string;
  tenantName: string;
  unitId: string | null;
  unitName: string | null;
  createdAt: Date;
  endedAt: Date | null;
  consents: ConsentState[];
}

export interface MemberRow {
  id: string;
  citizenId: string;
  displayName: string;
  unitId: string | null;
  createdAt: Date;
  endedAt: Date | null;
  consents: ConsentState[];
  /** phone or e-mail, only while the member's "contact" consent stands */
  contact: string | null;
}

export interface MemberQuery {
  unitId?: string | null;
  includeEnded?: boolean;
  limit?: number;
  offset?: number;
}

export interface AudienceCounts {
  members: number;
  gained: number;
  lost: number;
  comments: number;
  messages: number;
  overdue: number;
}

// ---------------------------------------------------------------- comments

export const COMMENT_MAX = 500;

/** An approved comment as a face shows it; the story page reads them with the story (syndication's storyPageOnFace). */
export type PublicComment = FaceComment;

export interface QueueItem extends CommentRow {
  reports: number;
  storyTitle: string | null;
}

export const MODERATOR_ROLES = ['editor', 'chief_editor', 'tenant_admin'] as const;

export type ModerationDecision = 'approve' | 'reject' | 'hide';

// ---------------------------------------------------------------- messages

export const MESSAGE_CATEGORIES: Record<MessageCategory, string> = {
  consultation: '咨询',
  complaint: '投诉',
  suggestion: '建议',
  help: '求助',
};
export const MESSAGE_STATUS_LABELS: Record<MessageStatus, string> = {
  received: '已受理',
  assigned: '办理中',
  replied: '已答复',
  closed: '已办结',
};

const DAY_MS = 24 * 3600 * 1000;
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/**
 * The due time of a message: the end of the n-th working day (Monday to Friday,
 * Beijing time) after the day it arrived. Public holidays and make-up working
 * days follow the State Council's yearly notice; they are not modelled yet.
 */
export function dueDate(received: Date, workingDays: number): Date {
  // midnight of the arrival day in Beijing time, as UTC milliseconds
  const local = received.getTime() + SHANGHAI_OFFSET_MS;
  let day = Math.floor(local / DAY_MS);
  let left = workingDays;
  while (left > 0) {
    day += 1;
    const weekday = new Date(day * DAY_MS).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  // 23:59:59.999 Beijing time of that day
  return new Date((day + 1) * DAY_MS - SHANGHAI_OFFSET_MS - 1);
}

export interface SendMessageInput {
  tenantId: string;
  unitId?: string | null;
  citizenId: string;
  category: MessageCategory;
  title: string;
  body: string;
  photos?: string[];
  contactName?: string | null;
  contactPhone?: string | null;
  allowPublic: boolean;
  ip: string;
}

/** Throws BAD_USER_INPUT naming every field of a message that cannot be taken as it is. */
export function checkMessageInput(input: SendMessageInput): void {
  const problems: { path: string; message: string }[] = [];
  if (!(input.category in MESSAGE_CATEGORIES)) problems.push({ path: 'category', message: '请选择留言类型' });
  const title = input.title.trim();
  if (!title || [...title].length > 60) problems.push({ path: 'title', message: '标题应为 1 到 60 字' });
  const body = input.body.trim();
  if (!body || [...body].length > 3000) problems.push({ path: 'body', message: '内容应为 1 到 3000 字' });
  if (input.contactPhone && !PHONE.test(input.contactPhone.replace(/[\s-]/g, '')))
    problems.push({ path: 'contactPhone', message: '请填写正确的手机号' });
  if (input.contactName && [...input.contactName.trim()].length > 20)
    problems.push({ path: 'contactName', message: '联系人最多 20 字' });
  if ((input.photos ?? []).length > 6) problems.push({ path: 'photos', message: '最多 6 张图片' });
  if (problems.length) throw new DomainError('BAD_USER_INPUT', problems[0]!.message, problems);
}

export interface MessageQuery {
  status?: MessageStatus | null;
  unitId?: string | null;
  overdueOnly?: boolean;
  limit?: number;
  offset?: number;
}

export interface OverdueMessage {
  tenantId: string;
  id: string;
  serial: string;
  unitId: string | null;
  category: MessageCategory;
  status: MessageStatus;
  createdAt: Date;
  dueAt: Date;
}

export interface PublicReply {
  id: string;
  serial: string;
  category: MessageCategory;
  title: string;
  body: string;
  unitId: string | null;
  reply: string;
  createdAt: Date;
  repliedAt: Date;
  rating: number | null;
}

/** One of a citizen's own messages as their account page shows it. */
export interface MyMessageDetail {
  m: CitizenMessage & { tenant_name: string };
  events: CitizenMessageEvent[];
  unitName: string | null;
}

// ---------------------------------------------------------------- agreements

export const AGREEMENT_KINDS: Record<AgreementKind, string> = { terms: '用户协议', privacy: '隐私政策' };
export const isAgreementKind = (v: unknown): v is AgreementKind => v === 'terms' || v === 'privacy';
export const AGREEMENT_BODY_MAX = 30000;

/** An agreement as a citizen reads it: a tenant's published version, or the platform default (version 0). */
export interface AgreementText {
  kind: AgreementKind;
  version: number;
  title: string;
  body: string;
  publishedAt: Date | null;
  /** the platform's default text: the tenant has published none */
  isDefault: boolean;
}

export interface AgreementAdminView {
  kind: AgreementKind;
  current: AgreementText;
  draft: { title: string; body: string; updatedAt: Date } | null;
  /** published versions, newest first */
  history: { version: number; title: string; publishedAt: Date }[];
}

export interface SaveAgreementInput {
  kind: AgreementKind;
  title: string;
  body: string;
  /** make it the next published version at once (otherwise it stays the tenant's draft) */
  publish: boolean;
}

/** The versions a citizen saw and ticked on the sign-up form, checked against what is current. */
export interface AcceptedAgreements {
  /** the face whose texts were shown; null on the sign-in host without a face */
  tenantId: string | null;
  terms: number;
  privacy: number;
}
