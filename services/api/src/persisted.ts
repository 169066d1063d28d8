// Persisted-queries-only mode (GRAPHQL_PERSISTED_ONLY): the API answers only operations listed in
// a manifest written when the console is built (services/console/src/operations.ts), so a stolen
// session or a hostile insider cannot send hand-made queries at all, however well-formed.
//
// A client may send the registered text itself (the console does: one code path in every mode)
// or `{ persisted: true, query: <sha256> }`. Either way the text that reaches parsing, over HTTP
// or in a WebSocket subscription, must hash to an entry of the manifest.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { GraphQLError } from 'graphql';

export type OperationMap = Record<string, string>;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Reads and checks a manifest: `{ operations: { <sha256 of text>: text } }`. Throws with the reason. */
export function loadOperationManifest(path: string): OperationMap {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`GRAPHQL_OPERATIONS: cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  const ops = (parsed as { operations?: unknown } | null)?.operations;
  if (!ops || typeof ops !== 'object' || Array.isArray(ops))
    throw new Error(`GRAPHQL_OPERATIONS: ${path} has no "operations" object`);
  const map: OperationMap = {};
  for (const [hash, text] of Object.entries(ops as Record<string, unknown>)) {
    // a key that is not the hash of its text would let the wrong text through under a known hash
    if (typeof text !== 'string' || sha256(text) !== hash)
      throw new Error(`GRAPHQL_OPERATIONS: entry ${hash.slice(0, 12)}… in ${path} is not the SHA-256 of its text`);
    map[hash] = text;
  }
  if (Object.keys(map).length === 0) throw new Error(`GRAPHQL_OPERATIONS: ${path} lists no operations`);
  return map;
}

function notRegistered(): GraphQLError {
  const err = new GraphQLError('该请求不在已登记的操作之列', { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
  return Object.assign(err, { statusCode: 400 });
}

/** Refuses, before parsing, every operation text whose hash the manifest does not list. */
export function enforcePersistedOnly(app: FastifyInstance, operations: OperationMap): void {
  const known = new Set(Object.keys(operations));
  const check = async (_schema: unknown, source: string): Promise<void> => {
    if (!known.has(sha256(source))) throw notRegistered();
  };
  app.graphql.addHook('preParsing', check);
  app.graphql.addHook('preSubscriptionParsing', check);
}
