// The executable schema as the running API reports it (introspection), and what the fuzzers need
// from it: every Query, Mutation and Subscription field, a selection set for any type, variable
// type strings.
import type { FastifyInstance } from 'fastify';

export interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}

export interface InputValue {
  name: string;
  type: TypeRef;
  defaultValue: string | null;
}

export interface Field {
  name: string;
  args: InputValue[];
  type: TypeRef;
}

export interface FullType {
  kind: string;
  name: string;
  fields: Field[] | null;
  inputFields: InputValue[] | null;
  enumValues: { name: string }[] | null;
  possibleTypes: { name: string }[] | null;
}

export interface SchemaInfo {
  types: Map<string, FullType>;
  query: string;
  mutation: string | null;
  subscription: string | null;
}

export type OperationKind = 'query' | 'mutation' | 'subscription';

export interface Operation {
  kind: OperationKind;
  field: Field;
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
const INTROSPECTION = `query FuzzIntrospection {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types {
      kind name
      fields(includeDeprecated: true) { name type { ${TYPE_REF} } args { name defaultValue type { ${TYPE_REF} } } }
      inputFields { name defaultValue type { ${TYPE_REF} } }
      enumValues(includeDeprecated: true) { name }
      possibleTypes { name }
    }
  }
}`;

/** Asks the app itself, so the operations are exactly the executable schema's (whoever added them). */
export async function introspect(app: FastifyInstance): Promise<SchemaInfo> {
  const res = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ query: INTROSPECTION }),
  });
  const body = res.json() as {
    data?: {
      __schema: {
        queryType: { name: string };
        mutationType: { name: string } | null;
        subscriptionType: { name: string } | null;
        types: FullType[];
      };
    };
    errors?: unknown;
  };
  if (!body.data) throw new Error(`introspection failed: ${res.statusCode} ${JSON.stringify(body.errors)}`);
  const s = body.data.__schema;
  return {
    types: new Map(s.types.map((t) => [t.name, t])),
    query: s.queryType.name,
    mutation: s.mutationType?.name ?? null,
    subscription: s.subscriptionType?.name ?? null,
  };
}

export function operations(schema: SchemaInfo): Operation[] {
  const out: Operation[] = [];
  for (const f of schema.types.get(schema.query)?.fields ?? [])
    if (!f.name.startsWith('__')) out.push({ kind: 'query', field: f });
  if (schema.mutation)
    for (const f of schema.types.get(schema.mutation)?.fields ?? []) out.push({ kind: 'mutation', field: f });
  return out;
}

/** Every Subscription field (kept apart: they are answered over WebSocket only). */
export function subscriptions(schema: SchemaInfo): Operation[] {
  return schema.subscription
    ? (schema.types.get(schema.subscription)?.fields ?? []).map((f) => ({ kind: 'subscription' as const, field: f }))
    : [];
}

/** The named type under NON_NULL and LIST wrappers. */
export function named(t: TypeRef): TypeRef {
  let cur = t;
  while (cur.ofType && (cur.kind === 'NON_NULL' || cur.kind === 'LIST')) cur = cur.ofType;
  return cur;
}

export const isRequired = (t: TypeRef): boolean => t.kind === 'NON_NULL';
export const isList = (t: TypeRef): boolean => (t.kind === 'NON_NULL' ? t.ofType!.kind === 'LIST' : t.kind === 'LIST');

/** `[ID!]!` and so on, for variable definitions. */
export function typeString(t: TypeRef): string {
  if (t.kind === 'NON_NULL') return `${typeString(t.ofType!)}!`;
  if (t.kind === 'LIST') return `[${typeString(t.ofType!)}]`;
  return t.name!;
}

const LEAF = new Set(['SCALAR', 'ENUM']);

/**
 * Every field of the type, objects followed to `depth` levels. Fields with required
 * arguments are kept when those are Ints (revision(number: 1), compare(from, to)), so
 * nested readers are exercised too.
 */
export function selection(
  schema: SchemaInfo,
  typeName: string,
  depth: number,
  exclude: ReadonlySet<string> = new Set(),
): string {
  const type = schema.types.get(typeName);
  if (!type) return '__typename';
  if (type.kind === 'INTERFACE' || type.kind === 'UNION') {
    const parts = (type.possibleTypes ?? []).map(
      (p) => `... on ${p.name} { ${selection(schema, p.name, depth, exclude)} }`,
    );
    return ['__typename', ...parts].join(' ');
  }
  const parts: string[] = ['__typename'];
  for (const f of type.fields ?? []) {
    if (exclude.has(f.name)) continue;
    const required = f.args.filter((a) => isRequired(a.type));
    if (required.some((a) => named(a.type).name !== 'Int')) continue;
    const args = required.length ? `(${required.map((a) => `${a.name}: 1`).join(', ')})` : '';
    const inner = named(f.type);
    if (LEAF.has(inner.kind)) parts.push(`${f.name}${args}`);
    else if (depth > 0) parts.push(`${f.name}${args} { ${selection(schema, inner.name!, depth - 1, exclude)} }`);
  }
  return parts.join(' ');
}

/**
 * A whole operation document for one root field, every argument passed as a variable. The
 * selection goes `depth` levels deep, less when that would exceed `maxChars` (wide types such
 * as Tenant fan out fast); nested fields named in `exclude` are left out.
 */
export function document(
  schema: SchemaInfo,
  op: Operation,
  args: Record<string, unknown>,
  depth = 3,
  maxChars = 4000,
  exclude: ReadonlySet<string> = new Set(),
): string {
  const used = op.field.args.filter((a) => args[a.name] !== undefined);
  const defs = used.length ? `(${used.map((a) => `$${a.name}: ${typeString(a.type)}`).join(', ')})` : '';
  const call = used.length ? `(${used.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const inner = named(op.field.type);
  let sel = '';
  if (!LEAF.has(inner.kind)) {
    for (let d = depth; d >= 0; d--) {
      sel = ` { ${selection(schema, inner.name!, d, exclude)} }`;
      if (sel.length <= maxChars) break;
    }
  }
  return `${op.kind} Fuzz_${op.field.name}${defs} { ${op.field.name}${call}${sel} }`;
}
