import { DomainError } from './errors.js';

/** Relay cursor connections over keyset pagination (a sort key plus the id as tie-breaker). */
export interface Page<T> {
  nodes: T[];
  /** each node with its own cursor, built from the row's exact sort key (never a rounded JS Date) */
  edges: { node: T; cursor: string }[];
  hasNextPage: boolean;
  endCursor: string | null;
  startCursor: string | null;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export const MAX_PAGE = 100;

export function pageSize(args: PageArgs, fallback = 20): number {
  const n = args.first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE)
    throw new DomainError('BAD_USER_INPUT', `每页数量应为 1 到 ${MAX_PAGE}`, [{ path: 'first', message: '超出范围' }]);
  return n;
}

export function encodeCursor(key: string | number, id: string | number): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): [string, string] | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      ['string', 'number'].includes(typeof v[0]) &&
      ['string', 'number'].includes(typeof v[1])
    ) {
      return [String(v[0]), String(v[1])];
    }
  } catch {
    // fall through
  }
  throw new DomainError('BAD_USER_INPUT', '分页游标不正确', [{ path: 'after', message: '游标不正确' }]);
}

/** Builds a page from `limit + 1` fetched rows. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Page<T> {
  const nodes = rows.slice(0, limit);
  const edges = nodes.map((node) => ({ node, cursor: cursorOf(node) }));
  return {
    nodes,
    edges,
    hasNextPage: rows.length > limit,
    endCursor: edges.at(-1)?.cursor ?? null,
    startCursor: edges[0]?.cursor ?? null,
  };
}
