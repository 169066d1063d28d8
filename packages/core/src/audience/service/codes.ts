import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Cache } from '@yiduan/cache';
import type { Executor } from '@yiduan/db';
import { DomainError } from '../../errors.js';
import { CODE_MAX_ATTEMPTS, CODE_TTL_MS, maskIdentifier, type Identifier } from '../model.js';
import { rule, spend } from '../limits.js';
import { citizensRepo as repo } from '../repo/index.js';

/** Where one-time codes go. The development sender logs them; a provider sends real SMS/e-mail. */
export interface CodeSender {
  readonly kind: string;
  send(to: Identifier, code: string): Promise<void>;
}

export interface SenderLog {
  info(obj: Record<string, unknown>, msg: string): void;
}

/** Development: writes the code to the log (and keeps the last few, for tests and the demo). */
export class LogCodeSender implements CodeSender {
  readonly kind = 'log';
  readonly sent: { to: string; code: string; at: Date }[] = [];
  constructor(private readonly log: SenderLog) {}
  async send(to: Identifier, code: string): Promise<void> {
    this.sent.push({ to: to.value, code, at: new Date() });
    if (this.sent.length > 100) this.sent.shift();
    this.log.info({ to: maskIdentifier(to), code }, `验证码 ${code}（开发环境：未真正发送）`);
  }
  /** The newest code sent to this address. */
  last(to: string): string | undefined {
    for (let i = this.sent.length - 1; i >= 0; i--) if (this.sent[i]!.to === to) return this.sent[i]!.code;
    return undefined;
  }
}

/** A generic SMS/e-mail gateway taking JSON over HTTPS with a bearer token. */
export class HttpCodeSender implements CodeSender {
  readonly kind = 'http';
  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}
  async send(to: Identifier, code: string): Promise<void> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify({
          channel: to.kind === 'phone' ? 'sms' : 'email',
          to: to.value,
          template: 'sign_in_code',
          params: { code, minutes: CODE_TTL_MS / 60000 },
        }),
        signal: AbortSignal.timeout(5000),
      });
    } catch {
      throw new DomainError('SERVICE_UNAVAILABLE', '验证码发送失败，请稍后再试');
    }
    if (!res.ok) throw new DomainError('SERVICE_UNAVAILABLE', '验证码发送失败，请稍后再试');
  }
}

export function createCodeSender(
  sms: { kind: 'log' } | { kind: 'http'; url: string; token: string },
  log: SenderLog,
): CodeSender {
  return sms.kind === 'http' ? new HttpCodeSender(sms.url, sms.token) : new LogCodeSender(log);
}

const digest = (destination: string, code: string): string =>
  createHash('sha256').update(`${destination}\n${code}`).digest('hex');

/**
 * Sends a fresh six-digit code, throttled per address (one a minute, five an hour)
 * and per client address. Platform scope. Only a digest is stored.
 */
export async function sendCode(
  ex: Executor,
  cache: Cache,
  sender: CodeSender,
  to: Identifier,
  ip: string,
): Promise<void> {
  await spend(
    cache,
    [rule('codePerDestination', to.value), rule('codePerDestinationHour', to.value), rule('codePerIp', ip)],
    'CODE_THROTTLED',
  );
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  // a new code replaces the old ones
  await repo.spendOpenCodes(ex, to.value, new Date());
  await repo.insertCode(ex, {
    destination: to.value,
    code_hash: digest(to.value, code),
    expires_at: new Date(Date.now() + CODE_TTL_MS),
  });
  await sender.send(to, code);
}

/**
 * Checks a code and spends it on success. A wrong guess counts against the code,
 * so callers must commit even when this returns false (it never throws for a wrong code).
 */
export async function checkCode(ex: Executor, to: Identifier, code: string): Promise<boolean> {
  const row = await repo.lockNewestOpenCode(ex, to.value);
  if (!row || row.expires_at.getTime() <= Date.now() || row.attempts >= CODE_MAX_ATTEMPTS) return false;
  const given = Buffer.from(digest(to.value, code.trim()), 'hex');
  const ok = /^\d{6}$/.test(code.trim()) && timingSafeEqual(given, Buffer.from(row.code_hash, 'hex'));
  await repo.updateCode(ex, row.id, ok ? { consumed_at: new Date() } : { attempts: row.attempts + 1 });
  return ok;
}
