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

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
