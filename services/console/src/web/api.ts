// The console's only way to the platform: GraphQL over HTTP (same origin, proxied to the API),
// GraphQL subscriptions over a WebSocket (graphql-transport-ws), and image upload to /assets.

const TOKEN_KEY = 'yd_token';

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** Chinese text for every code the API may put in `extensions.code` (and the transport's own). */
const MESSAGES: Record<string, string> = {
  BAD_USER_INPUT: '输入内容不符合要求',
  UNAUTHENTICATED: '请先登录',
  SESSION_EXPIRED: '登录已过期，请重新登录',
  FORBIDDEN: '没有执行此操作的权限',
  NOT_FOUND: '找不到请求的内容',
  TENANT_NOT_FOUND: '找不到该租户',
  LOGIN_FAILED: '账号或密码错误',
  LOGIN_THROTTLED: '登录尝试过于频繁，请稍后再试',
  QUALIFICATION_EXPIRED: '代运营机构资质已过期，访问已停止',
  STORY_NOT_FOUND: '找不到该稿件',
  TERMINOLOGY_BLOCKED: '稿件含有禁用表述，请修改后再提交',
  INVALID_TRANSITION: '稿件当前状态不允许此操作',
  REVIEW_NOT_PASSED: '稿件未通过审校，不能发布',
  REVIEW_CONFLICT: '同一人不能签署同一稿件的多个审校步骤',
  REASON_REQUIRED: '请填写理由',
  STALE_REVISION: '稿件已被他人修改，请刷新后再试',
  SHARE_NOT_ALLOWED: '该稿件的共享范围不允许在此门户刊发',
  ALREADY_PLACED: '该稿件已在此门户刊发',
  MANDATORY_PLACEMENT: '必须刊发的下发稿件只能由来源单位撤下',
  NOT_PUBLISHED: '稿件尚未发布',
  TARGET_NOT_DESCENDANT: '只能下发到本单位的下级',
  ASSET_TOO_LARGE: '文件过大',
  GRAPHQL_VALIDATION_FAILED: '请求格式不正确，请刷新页面后重试',
  GRAPHQL_PARSE_FAILED: '请求格式不正确，请刷新页面后重试',
  MER_ERR_GQL_VALIDATION: '请求格式不正确，请刷新页面后重试',
  MER_ERR_GQL_QUERY_DEPTH: '请求过于复杂',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  SERVICE_UNAVAILABLE: '服务暂时不可用，请稍后再试',
  INTERNAL: '服务器内部错误，请稍后再试',
  NETWORK: '无法连接服务器，请检查网络后重试',
};
const GENERIC = '操作未能完成，请稍后再试';
const hasChinese = (s: string): boolean => /[\u4e00-\u9fff]/.test(s);

export interface Problem {
  path: string;
  message: string;
}

/** An error a screen can show as is: a code and a Chinese message, never the raw object. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function messageOf(code: string, serverMessage?: string): string {
  // the API's own messages are Chinese and more precise ("请填写理由"…); anything else is mapped
  if (serverMessage && hasChinese(serverMessage)) return serverMessage;
  return MESSAGES[code] ?? GENERIC;
}

/** Any thrown value → a Chinese sentence for the screen. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const detail = err.problems.length ? `：${err.problems.map((p) => p.message).join('；')}` : '';
    return err.message + detail;
  }
  return GENERIC;
}

let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

interface GqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; problems?: Problem[] } }[];
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = tokenStore.get();
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError('NETWORK', messageOf('NETWORK'));
  }
  let body: GqlResponse<T>;
  try {
    body = (await res.json()) as GqlResponse<T>;
  } catch {
    throw new ApiError(
      res.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL',
      messageOf(res.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL'),
    );
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? (res.status >= 500 ? 'INTERNAL' : 'BAD_USER_INPUT');
    if ((code === 'UNAUTHENTICATED' || code === 'SESSION_EXPIRED') && token) onUnauthenticated?.();
    throw new ApiError(code, messageOf(code, first.message), first.extensions?.problems ?? []);
  }
  if (!body.data) throw new ApiError('INTERNAL', messageOf('INTERNAL'));
  return body.data;
}

export interface UploadedAsset {
  id: string;
  url: string;
  width: number;
  height: number;
}

export async function uploadAsset(tenantId: string, file: File, alt = ''): Promise<UploadedAsset> {
  const form = new FormData();
  form.append('alt', alt);
  form.append('file', file);
  const token = tokenStore.get();
  let res: Response;
  try {
    res = await fetch(`/assets?tenantId=${encodeURIComponent(tenantId)}`, {
      method: 'POST',
      body: form,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  } catch {
    throw new ApiError('NETWORK', messageOf('NETWORK'));
  }
  const body = (await res.json().catch(() => ({}))) as Partial<UploadedAsset> & { code?: string; message?: string };
  if (!res.ok || !body.id) {
    const code = body.code ?? 'INTERNAL';
    throw new ApiError(code, messageOf(code, body.message));
  }
  return body as UploadedAsset;
}

/**
 * A GraphQL subscription over graphql-transport-ws. The session token goes in connection_init
 * (the API never trusts the cookie on a socket). Reconnects with back-off until stopped.
 */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  onState?: (live: boolean) => void,
): () => void {
  let stopped = false;
  let ws: WebSocket | null = null;
  let retry = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const open = () => {
    if (stopped) return;
    ws = new WebSocket(
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      'graphql-transport-ws',
    );
    ws.onopen = () =>
      ws?.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${tokenStore.get() ?? ''}` } }),
      );
    ws.onmessage = (ev: MessageEvent<string>) => {
      let msg: { type?: string; payload?: { data?: T } };
      try {
        msg = JSON.parse(ev.data) as typeof msg;
      } catch {
        return;
      }
      if (msg.type === 'connection_ack') {
        retry = 0;
        onState?.(true);
        ws?.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
      } else if (msg.type === 'next' && msg.payload?.data) onData(msg.payload.data);
      else if (msg.type === 'ping') ws?.send(JSON.stringify({ type: 'pong' }));
    };
    ws.onclose = () => {
      onState?.(false);
      if (stopped) return;
      retry = Math.min(retry + 1, 6);
      timer = setTimeout(open, 500 * 2 ** retry);
    };
  };
  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    ws?.close();
  };
}

/**
 * Downloads a CSV export (GET /exports/…), reporting progress as it streams (an export of a
 * large audience takes a while), then hands it to the browser as a file.
 */
export async function downloadCsv(
  path: string,
  fallbackName: string,
  onProgress: (received: number, total: number | null) => void,
): Promise<number> {
  const token = tokenStore.get();
  let res: Response;
  try {
    res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'same-origin' });
  } catch {
    throw new ApiError('NETWORK', messageOf('NETWORK'));
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    const code = body.code ?? (res.status >= 500 ? 'INTERNAL' : 'FORBIDDEN');
    throw new ApiError(code, messageOf(code, body.message));
  }
  const total = Number(res.headers.get('content-length')) || null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = res.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      onProgress(received, total);
    }
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  saveBlob(new Blob(chunks as BlobPart[], { type: 'text/csv;charset=utf-8' }), name);
  return received;
}

/** Hands a blob to the browser as a file it downloads under the given name. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
