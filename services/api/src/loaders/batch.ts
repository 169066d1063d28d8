import type { GraphQLResolveInfo } from 'graphql';
import type { IResolvers } from 'mercurius';
import { withTenant, type DB, type Trx } from '@yiduan/db';
import type { GraphQLContext } from '../context.js';

/** One call of a batched field: its parent object, the field's arguments and where it sits in the query. */
export interface LoaderQuery<T> {
  obj: T;
  params: Record<string, unknown>;
  info: GraphQLResolveInfo;
}

/** Answers a batch of calls of one field, one result per call, in order. */
// parents differ per field (Story, Revision, …); each loader declares its own
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BatchLoader = (queries: LoaderQuery<any>[], ctx: GraphQLContext) => Promise<unknown[]>;

export type BatchLoaders = Record<string, Record<string, BatchLoader>>;

interface Pending {
  queries: LoaderQuery<unknown>[];
  settle: { resolve: (v: unknown) => void; reject: (e: unknown) => void }[];
}

// per request (context object), per field: the calls gathered in this tick
const pendingOf = new WeakMap<object, Map<BatchLoader, Pending>>();

function flush(fn: BatchLoader, ctx: GraphQLContext, pending: Pending): void {
  const fail = (err: unknown): void => {
    for (const s of pending.settle) s.reject(err);
  };
  let answer: Promise<unknown[]>;
  try {
    answer = fn(pending.queries, ctx);
  } catch (err) {
    fail(err);
    return;
  }
  answer.then((results) => {
    if (!Array.isArray(results) || results.length !== pending.queries.length) {
      fail(
        new Error(`a batch of ${pending.queries.length} got ${Array.isArray(results) ? results.length : 'no'} results`),
      );
      return;
    }
    for (let i = 0; i < results.length; i++) pending.settle[i]!.resolve(results[i]);
  }, fail);
}

function enqueue(fn: BatchLoader, ctx: GraphQLContext, query: LoaderQuery<unknown>): Promise<unknown> {
  let byFn = pendingOf.get(ctx);
  if (!byFn) pendingOf.set(ctx, (byFn = new Map()));
  let pending = byFn.get(fn);
  if (!pending) {
    const p: Pending = { queries: [], settle: [] };
    byFn.set(fn, (pending = p));
    const calls = byFn;
    // after the promise callbacks of this tick: every sibling of the list has asked by then
    process.nextTick(() => {
      calls.delete(fn);
      flush(fn, ctx, p);
    });
  }
  const target = pending;
  return new Promise((resolve, reject) => {
    target.queries.push(query);
    target.settle.push({ resolve, reject });
  });
}

/**
 * Batched child fields without Mercurius' loader cache: that cache keys every call by
 * `safe-stable-stringify({ obj, params })` of the whole parent (a revision with its body),
 * which cost 13 % of the API's CPU on the story feed. Here calls are gathered per request
 * and tick by reference and answered by one call of the loader; nothing is kept between
 * ticks, so a long-lived subscription context never serves stale rows either.
 */
export function batchedResolvers(loaders: BatchLoaders): IResolvers<unknown, GraphQLContext> {
  const out: Record<
    string,
    Record<
      string,
      (obj: unknown, params: Record<string, unknown>, ctx: GraphQLContext, info: GraphQLResolveInfo) => Promise<unknown>
    >
  > = {};
  for (const [type, fields] of Object.entries(loaders)) {
    const resolvers: (typeof out)[string] = {};
    for (const [field, fn] of Object.entries(fields)) {
      resolvers[field] = (obj, params, ctx, info) => enqueue(fn, ctx, { obj, params, info });
    }
    out[type] = resolvers;
  }
  return out as IResolvers<unknown, GraphQLContext>;
}

/** Whether the query asks for `field` under this field (through fragments too); `deep`: at any depth below it. */
export function selects(info: GraphQLResolveInfo, field: string, deep = false): boolean {
  type Selections = NonNullable<GraphQLResolveInfo['fieldNodes'][number]['selectionSet']>['selections'];
  const seen = new Set<string>();
  const walk = (selections: Selections | undefined): boolean => {
    for (const s of selections ?? []) {
      if (s.kind === 'Field' && s.name.value === field) return true;
      if (deep && s.kind === 'Field' && walk(s.selectionSet?.selections)) return true;
      if (s.kind === 'InlineFragment' && walk(s.selectionSet.selections)) return true;
      if (s.kind === 'FragmentSpread' && !seen.has(s.name.value)) {
        seen.add(s.name.value);
        if (walk(info.fragments[s.name.value]?.selectionSet.selections)) return true;
      }
    }
    return false;
  };
  return info.fieldNodes.some((n) => walk(n.selectionSet?.selections));
}

/** One batched query per tenant present in the batch: row-level security needs the tenant set. */
export async function perTenant<T extends { tenant_id: string }, R>(
  db: DB,
  items: T[],
  load: (trx: Trx, tenantId: string, items: T[]) => Promise<R[]>,
): Promise<R[]> {
  const groups = new Map<string, T[]>();
  for (const it of items) groups.set(it.tenant_id, [...(groups.get(it.tenant_id) ?? []), it]);
  const out: R[] = [];
  for (const [tenantId, group] of groups)
    out.push(...(await withTenant(db, tenantId, (trx) => load(trx, tenantId, group))));
  return out;
}
