/**
 * The domain's error catalog. Each code has a user-facing Chinese message and
 * the HTTP status it maps to; the GraphQL formatter puts the code in
 * `extensions.code`, Fastify's handler turns it into the status.
 */
export const ERRORS = {
  BAD_USER_INPUT: { status: 400, message: '输入内容不符合要求' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  FORBIDDEN: { status: 403, message: '没有执行此操作的权限' },
  NOT_FOUND: { status: 404, message: '找不到请求的内容' },
  TENANT_NOT_FOUND: { status: 404, message: '找不到该租户' },
  TENANT_PARENT_NOT_FOUND: { status: 400, message: '上级租户不存在' },
  TENANT_LEVEL_INVALID: { status: 400, message: '租户层级不符合省、市、县的隶属规则' },
  TENANT_CYCLE: { status: 400, message: '租户不能隶属于自己或自己的下级' },
  SLUG_TAKEN: { status: 409, message: '该标识已被使用' },
  DOMAIN_TAKEN: { status: 409, message: '该域名已被其他租户使用' },
  DOMAIN_NOT_FOUND: { status: 404, message: '找不到该域名' },
  DOMAIN_PRIMARY_REQUIRED: { status: 409, message: '主域名不能直接删除，请先设置其他主域名' },
  FACE_INVALID: { status: 400, message: '门户设置不符合要求' },
  LOGIN_FAILED: { status: 401, message: '账号或密码错误' },
  LOGIN_THROTTLED: { status: 429, message: '登录尝试过于频繁，请稍后再试' },
  SESSION_EXPIRED: { status: 401, message: '登录已过期，请重新登录' },
  LOGIN_TAKEN: { status: 409, message: '该登录名已被使用' },
  STAFF_NOT_FOUND: { status: 404, message: '找不到该工作人员' },
  ORGANISATION_NOT_FOUND: { status: 404, message: '找不到该代运营机构' },
  QUALIFICATION_EXPIRED: { status: 403, message: '代运营机构资质已过期，访问已停止' },
  UNIT_NOT_FOUND: { status: 404, message: '找不到该政务号' },
  SECTION_NOT_FOUND: { status: 404, message: '找不到该栏目' },
  STORY_NOT_FOUND: { status: 404, message: '找不到该稿件' },
  ASSET_NOT_FOUND: { status: 404, message: '找不到该素材' },
  VIDEO_NOT_FOUND: { status: 404, message: '找不到该视频' },
  RULE_NOT_FOUND: { status: 404, message: '找不到该规则' },
  RULE_PATTERN_INVALID: { status: 400, message: '规则表达式不可用' },
  BLOCK_INVALID: { status: 400, message: '稿件正文内容块不符合要求' },
  TERMINOLOGY_BLOCKED: { status: 422, message: '稿件含有禁用表述，请修改后再提交' },
  INVALID_TRANSITION: { status: 409, message: '稿件当前状态不允许此操作' },
  REVIEW_NOT_PASSED: { status: 409, message: '稿件未通过审校，不能发布' },
  REVIEW_CONFLICT: { status: 409, message: '同一人不能签署同一稿件的多个审校步骤' },
  REASON_REQUIRED: { status: 400, message: '请填写理由' },
  STALE_REVISION: { status: 409, message: '稿件已被他人修改，请刷新后再试' },
  SHARE_NOT_ALLOWED: { status: 403, message: '该稿件的共享范围不允许在此门户刊发' },
  PLACEMENT_NOT_FOUND: { status: 404, message: '找不到该刊发记录' },
  ALREADY_PLACED: { status: 409, message: '该稿件已在此门户刊发' },
  MANDATORY_PLACEMENT: { status: 403, message: '必须刊发的下发稿件只能由来源单位撤下' },
  NOT_PUBLISHED: { status: 409, message: '稿件尚未发布' },
  TARGET_NOT_DESCENDANT: { status: 403, message: '只能下发到本单位的下级' },
  CITIZEN_NOT_FOUND: { status: 404, message: '找不到该用户' },
  ACCOUNT_TAKEN: { status: 409, message: '该手机号或邮箱已注册，请直接登录' },
  CODE_INVALID: { status: 401, message: '验证码错误或已过期' },
  AGREEMENTS_REQUIRED: { status: 400, message: '注册前请阅读并勾选同意《用户协议》和《隐私政策》' },
  AGREEMENTS_CHANGED: { status: 409, message: '《用户协议》或《隐私政策》刚刚更新，请阅读新版本后再同意' },
  CODE_THROTTLED: { status: 429, message: '验证码发送过于频繁，请稍后再试' },
  SIGNUP_THROTTLED: { status: 429, message: '注册过于频繁，请稍后再试' },
  COMMENT_THROTTLED: { status: 429, message: '评论过于频繁，请稍后再试' },
  MESSAGE_THROTTLED: { status: 429, message: '留言过于频繁，请稍后再试' },
  SIGN_IN_INVALID: { status: 400, message: '登录请求无效或已过期，请重新登录' },
  COMMENTS_CLOSED: { status: 403, message: '该稿件暂不接受评论' },
  COMMENT_NOT_FOUND: { status: 404, message: '找不到该评论' },
  MESSAGE_NOT_FOUND: { status: 404, message: '找不到该留言' },
  MEMBERSHIP_NOT_FOUND: { status: 404, message: '找不到该关注记录' },
  SERVICE_UNAVAILABLE: { status: 503, message: '服务暂时不可用，请稍后再试' },
  INTERNAL: { status: 500, message: '服务器内部错误' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface FieldProblem {
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message ?? ERRORS[code].message);
    this.name = 'DomainError';
    this.status = ERRORS[code].status;
  }
}

/** A stated reason or note: trimmed, required (REASON_REQUIRED saying `missing`), at most 500 characters. */
export function statedReason(text: string, missing: string, what = '理由'): string {
  const t = text.trim();
  if (!t) throw new DomainError('REASON_REQUIRED', missing);
  if (t.length > 500) throw new DomainError('BAD_USER_INPUT', `${what}最多 500 个字符`);
  return t;
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}

/** A context's catalog of refusals: each reason travels under a catalog code with its own Chinese message. */
export type RefusalCatalog = Record<string, { code: ErrorCode; message: string }>;

/**
 * The error class of a context's refusals (the accounts, rounds and closures contexts share the
 * shape): it keeps the `reason` so callers and tests tell the cases apart, travels under the
 * reason's catalog code, and its message is whole (the refusal, then the detail after a colon);
 * the field it concerns stays on the error as `field` rather than as a field problem, which clients
 * append to the message and would repeat.
 */
export function refusalError<C extends RefusalCatalog>(name: string, catalog: C) {
  return class Refusal extends DomainError {
    constructor(
      readonly reason: keyof C & string,
      detail?: string,
      readonly field?: string,
    ) {
      const { code, message } = catalog[reason]!;
      super(code, detail ? `${message}：${detail}` : message);
      this.name = name;
    }
  };
}
