import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  getNamedType,
  GraphQLError,
  validate,
  type GraphQLSchema,
  isIntrospectionType,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * What one GraphQL request may ask for: validation rules of ours (mercurius has no cost
 * analysis, and its `queryDepth` cannot tell introspection from data) and a check of the raw
 * request before anything is parsed.
 */
export const GRAPHQL_LIMITS = {
  /** nesting of selections, fragments expanded */
  depth: 12,
  /**
   * nesting under `__schema` / `__type` where introspection is on: the standard introspection
   * query (graphql's getIntrospectionQuery, GraphiQL's documentation panel) is 15 deep, its
   * type references unwrapping `ofType` eight times; it resolves from the schema in memory
   */
  introspectionDepth: 20,
  /** estimated fields resolved: every field counts 1, a field's children count `first`/`last`/`limit` times */
  cost: 20_000,
  /** aliased fields in one document (alias bombs ask one resolver thousands of times) */
  aliases: 50,
  /** a page argument (`first`, `last`, `limit`) written in the document */
  pageSize: 500,
  /** items in a list, written in the document or passed in variables */
  listItems: 1_000,
  /** characters of the query text */
  queryChars: 50_000,
  /** characters of variables sent as a string (GET, or a JSON string inside the body) */
  variablesBytes: 256 * 1024,
} as const;

export type GraphQLLimits = typeof GRAPHQL_LIMITS;

const PAGE_ARGS = new Set(['first', 'last', 'limit']);

function limitError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** Cost of a selection set, fragments expanded (memoised, so shared fragments are cheap to price). */
function costOf(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  memo: Map<string, number>,
  visiting: Set<string>,
  cap: number,
): number {
  let cost = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      let factor = 1;
      for (const arg of sel.arguments ?? []) {
        if (PAGE_ARGS.has(arg.name.value) && arg.value.kind === Kind.INT)
          factor = Math.max(factor, Number(arg.value.value));
        // a page size from a variable is unknown here: price it as a full page
        else if (PAGE_ARGS.has(arg.name.value) && arg.value.kind === Kind.VARIABLE) factor = Math.max(factor, 200);
      }
      cost += 1 + (sel.selectionSet ? factor * costOf(sel.selectionSet, fragments, memo, visiting, cap) : 0);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      cost += costOf(sel.selectionSet, fragments, memo, visiting, cap);
    } else {
      const name = sel.name.value;
      const known = memo.get(name);
      if (known !== undefined) cost += known;
      else {
        const def = fragments.get(name);
        // unknown fragments and cycles are reported by the specified rules
        if (def && !visiting.has(name)) {
          visiting.add(name);
          const c = costOf(def.selectionSet, fragments, memo, visiting, cap);
          visiting.delete(name);
          memo.set(name, c);
          cost += c;
        }
      }
    }
    if (cost > cap) return cost;
  }
  return cost;
}

/** Rejects operations whose estimated cost exceeds the limit. */
export function costLimitRule(max: number = GRAPHQL_LIMITS.cost): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const doc = context.getDocument();
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const memo = new Map<string, number>();
    return {
      OperationDefinition(node) {
        const cost = costOf(node.selectionSet, fragments, memo, new Set(), max);
        if (cost > max)
          context.reportError(limitError('QUERY_TOO_COMPLEX', `查询过于复杂（估算超过 ${max}），请缩小范围或分页查询`));
      },
    };
  };
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/**
 * Depth of a selection set, fragments expanded (a spread adds no level). With `introspection`,
 * a `__schema` / `__type` field is measured apart, into `intro`, and adds nothing to the depth.
 */
function depthOf(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  visiting: Set<string>,
  intro: { max: number } | null,
): number {
  let depth = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const below = sel.selectionSet ? 1 + depthOf(sel.selectionSet, fragments, visiting, intro) : 1;
      if (intro && INTROSPECTION_ROOTS.has(sel.name.value)) intro.max = Math.max(intro.max, below);
      else depth = Math.max(depth, below);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      depth = Math.max(depth, depthOf(sel.selectionSet, fragments, visiting, intro));
    } else {
      const def = fragments.get(sel.name.value);
      // unknown fragments and cycles are reported by the specified rules
      if (def && !visiting.has(sel.name.value)) {
        visiting.add(sel.name.value);
        depth = Math.max(depth, depthOf(def.selectionSet, fragments, visiting, intro));
        visiting.delete(sel.name.value);
      }
    }
  }
  return depth;
}

/**
 * Rejects operations nested deeper than `depth`. Where introspection is on, selections under
 * `__schema` / `__type` are held to `introspectionDepth` instead (the alias, cost and size
 * limits still count them); where it is off they are refused by noIntrospectionRule anyway.
 */
export function depthLimitRule(
  limits: Pick<GraphQLLimits, 'depth' | 'introspectionDepth'> = GRAPHQL_LIMITS,
  opts: { introspection?: boolean } = {},
): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions)
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    return {
      OperationDefinition(node) {
        const intro = opts.introspection === false ? null : { max: 0 };
        const depth = depthOf(node.selectionSet, fragments, new Set(), intro);
        // the code the API answered under mercurius' queryDepth (a validation failure): kept for clients
        if (depth > limits.depth || (intro && intro.max > limits.introspectionDepth)) {
          context.reportError(
            limitError(
              'GRAPHQL_VALIDATION_FAILED',
              `查询嵌套过深（最多 ${intro && intro.max > limits.introspectionDepth ? limits.introspectionDepth : limits.depth} 层）`,
            ),
          );
        }
      },
    };
  };
}

/** Rejects documents with too many aliases, page sizes or list literals beyond the limits. */
export function shapeLimitRule(
  limits: Pick<GraphQLLimits, 'aliases' | 'pageSize' | 'listItems'> = GRAPHQL_LIMITS,
): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    let reported = false;
    const once = (err: GraphQLError): void => {
      if (!reported) context.reportError(err);
      reported = true;
    };
    return {
      Field(node) {
        if (node.alias && ++aliases > limits.aliases)
          once(limitError('TOO_MANY_ALIASES', `一次查询最多使用 ${limits.aliases} 个别名`));
      },
      Argument(node) {
        if (
          PAGE_ARGS.has(node.name.value) &&
          node.value.kind === Kind.INT &&
          Number(node.value.value) > limits.pageSize
        ) {
          once(limitError('PAGE_TOO_LARGE', `每页最多 ${limits.pageSize} 条`));
        }
      },
      ListValue(node) {
        if (node.values.length > limits.listItems) once(limitError('LIST_TOO_LONG', `列表最多 ${limits.listItems} 项`));
      },
    };
  };
}

/**
 * Refuses `__schema` and `__type` (graphql-js' NoSchemaIntrospectionCustomRule, with our code and
 * a Chinese message); `__typename` stays, clients need it.
 */
export const noIntrospectionRule: ValidationRule = (context) => ({
  Field(node) {
    const type = getNamedType(context.getType());
    if (type && isIntrospectionType(type)) {
      context.reportError(
        new GraphQLError(`未开放 GraphQL 结构查询（${node.name.value}）`, {
          nodes: node,
          extensions: { code: 'INTROSPECTION_DISABLED' },
        }),
      );
    }
  },
});

/** The limits, and with `introspection: false` (production default) the refusal of introspection. */
export const graphqlValidationRules = (opts: { introspection?: boolean } = {}): ValidationRule[] => [
  depthLimitRule(GRAPHQL_LIMITS, opts),
  costLimitRule(),
  shapeLimitRule(),
  ...(opts.introspection === false ? [noIntrospectionRule] : []),
];

/** The longest list anywhere in a JSON value (variables), without recursing past `depth`. */
function longestList(v: unknown, depth = 0): number {
  if (depth > 20 || v === null || typeof v !== 'object') return 0;
  const items = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
  let max = Array.isArray(v) ? v.length : 0;
  for (const item of items) {
    max = Math.max(max, longestList(item, depth + 1));
    if (max > GRAPHQL_LIMITS.listItems) break;
  }
  return max;
}

interface GraphQLBody {
  query?: unknown;
  variables?: unknown;
  persisted?: unknown;
}

/** A GraphQL document starts with `{` followed by a name, or with a keyword; JSON values do not. */
const JSON_START = /^[\s,\ufeff]*(?:\{[\s,]*"|\[|"|-?\d|true\b|false\b|null\b)/;

/**
 * A `preHandler` for `/graphql`: refuses oversized query text and variables before mercurius
 * parses anything (413), and lists beyond the limit in variables (400).
 */
export function graphqlRequestGuard(limits: GraphQLLimits = GRAPHQL_LIMITS) {
  // refused before GraphQL sees it: no `data` entry (GraphQL over HTTP, graphql-http.ts)
  const refuse = (reply: FastifyReply, status: number, code: string, message: string) =>
    reply.code(status).send({ errors: [{ message, extensions: { code } }] });
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (request.routeOptions.url !== '/graphql') return undefined;
    const bodies = Array.isArray(request.body)
      ? (request.body as GraphQLBody[])
      : [(request.body ?? request.query ?? {}) as GraphQLBody];
    for (const b of bodies) {
      if (b === null || typeof b !== 'object') continue;
      if (b.query !== undefined && b.query !== null && typeof b.query !== 'string')
        return refuse(reply, 400, 'BAD_REQUEST', '查询必须是字符串');
      // mercurius takes text that fails to parse as a JSON syntax tree: only GraphQL text is accepted
      if (typeof b.query === 'string' && b.persisted !== true && JSON_START.test(b.query))
        return refuse(reply, 400, 'BAD_REQUEST', '查询必须是 GraphQL 文本');
      if (typeof b.query === 'string' && b.query.length > limits.queryChars)
        return refuse(reply, 413, 'QUERY_TOO_LARGE', `查询文本过长（最多 ${limits.queryChars} 个字符）`);
      let vars = b.variables;
      if (typeof vars === 'string') {
        if (vars.length > limits.variablesBytes) return refuse(reply, 413, 'VARIABLES_TOO_LARGE', '查询变量过大');
        try {
          vars = JSON.parse(vars);
        } catch {
          return refuse(reply, 400, 'BAD_REQUEST', '查询变量不是有效的 JSON');
        }
      }
      // a JSON body's size is bounded by the body limit already; only its lists are counted here
      if (longestList(vars) > limits.listItems)
        return refuse(reply, 400, 'LIST_TOO_LONG', `列表最多 ${limits.listItems} 项`);
    }
    return undefined;
  };
}

/**
 * A `preExecution` hook: subscriptions are served over WebSocket only. Over HTTP mercurius would
 * execute one as a query, and a subscription field has nothing to resolve then.
 */
export async function refuseSubscriptionOverHttp(_schema: unknown, document: DocumentNode): Promise<void> {
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription')
      throw limitError('SUBSCRIPTION_OVER_HTTP', '订阅请通过 WebSocket 连接');
  }
}

/**
 * A `preSubscriptionExecution` hook: a subscription over WebSocket is held to the same rules as
 * a query over HTTP (mercurius validates only the latter with `validationRules`).
 */
export function limitSubscriptions(opts: { introspection?: boolean } = {}) {
  const rules = graphqlValidationRules(opts);
  return async (schema: GraphQLSchema, document: DocumentNode): Promise<void> => {
    const [first] = validate(schema, document, rules);
    if (first) throw first;
  };
}

/** busboy's parse errors (no boundary, truncated form, bad part headers) carry no status: they are the client's. */
export function malformedMultipart(request: FastifyRequest, err: unknown): boolean {
  const e = err as Partial<FastifyError> | null;
  if (!e || typeof e.statusCode === 'number' || !request.isMultipart?.()) return false;
  return /unexpected end of form|boundary not found|malformed (part )?header|multipart/i.test(e.message ?? '');
}
