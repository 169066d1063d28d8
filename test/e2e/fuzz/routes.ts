// The routes a Fastify app really has, read back from `app.printRoutes()` (a radix tree whose
// lines carry compressed path pieces), so routes added later are fuzzed without a hand list.
import type { FastifyInstance } from 'fastify';

export interface RouteInfo {
  /** full path with its parameters, e.g. `/a/:storyId/comments` */
  path: string;
  methods: string[];
  /** the host a route is constrained to, when it is (e.g. the account host) */
  host: string | null;
}

const LINE = /^((?:[│ ] {3}|[├└]── )*)(.*?)(?: \(([A-Z, ]+)\))?(?: (\{.*\}))?$/u;

/** A concrete host from a host constraint such as `/^account\.localhost(:\d+)?$/`. */
function hostOf(constraint: string | undefined): string | null {
  if (!constraint) return null;
  try {
    const c = JSON.parse(constraint) as { host?: string };
    if (!c.host) return null;
    return c.host
      .replace(/^\/\^?|\$?\/[a-z]*$/g, '')
      .replace(/\(:\\d\+\)\?/g, '')
      .replace(/\\(.)/g, '$1');
  } catch {
    return null;
  }
}

export function routesOf(app: FastifyInstance): RouteInfo[] {
  const text = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [''];
  const out: RouteInfo[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const [, indent = '', piece = '', methods, constraint] = m;
    // each tree level takes four columns; a line without a branch sign repeats its sibling's node
    const level = Math.max(1, Math.round([...indent].length / 4));
    const path = (stack[level - 1] ?? '') + piece;
    stack[level] = path;
    stack.length = level + 1;
    if (methods) out.push({ path, methods: methods.split(',').map((s) => s.trim()), host: hostOf(constraint) });
  }
  return out;
}
