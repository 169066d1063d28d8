import { DomainError } from '../errors.js';

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
  throw new DomainError('BAD_USER_INPUT', '请输入正确的手机号或邮箱', [{ path: 'identifier', message: '请输入正确的手机号或邮箱' }]);
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
