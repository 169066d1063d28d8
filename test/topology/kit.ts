// Shared pieces of the topology runs (smoke, faults, staleness, bench): HTTP through the balancer,
// the demo's faces, a newsroom desk on the topology's primary.
import { Agent, request } from 'node:http';
import { tenantBySlug } from '@yiduan/core';
import { createDb, withPlatform, type DB } from '@yiduan/db';
import { DEMO_PASSWORD, DEMO_TREE } from '@yiduan/demo';
import { ports, urls } from '../../scripts/topology/settings.js';
import { deskOf, type Desk } from '../e2e/faults-kit.js';

export { ports, urls };
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface Answer {
  status: number;
  body: string;
}

/** One HTTP request to 127.0.0.1:`port` with the given Host (faces are chosen by host); never throws (status 0). */
export function http(
  port: number,
  path: string,
  opts: { host?: string; method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        agent,
        headers: {
          host: opts.host ?? '127.0.0.1',
          ...(opts.body ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: 0, body: '' }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, body: String(err) }));
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

export const faceHost = (slug: string, port = ports.lbPortal): string => `${slug}.localhost:${port}`;
/** A face's page through the balancer (or one portal's port). */
export const face = (slug: string, path = '/', port = ports.lbPortal): Promise<Answer> =>
  http(port, path, { host: faceHost(slug, port) });

export const FACES = DEMO_TREE.map((t) => t.slug);

/** A GraphQL call through the balancer (or one API's port). */
export async function graphql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  opts: { token?: string; port?: number } = {},
): Promise<{ status: number; data?: T; errors?: { message: string }[] }> {
  const res = await http(opts.port ?? ports.lbApi, '/graphql', {
    method: 'POST',
    body: JSON.stringify({ query, variables }),
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
  });
  try {
    return { status: res.status, ...(JSON.parse(res.body) as { data?: T; errors?: { message: string }[] }) };
  } catch {
    return { status: res.status, errors: [{ message: res.body.slice(0, 200) }] };
  }
}

export async function signIn(login = 'ruyang-editor', port = ports.lbApi): Promise<string> {
  const r = await graphql<{ login: { token: string } }>(
    `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`,
    { l: login, p: DEMO_PASSWORD },
    { port },
  );
  if (!r.data?.login.token) throw new Error(`sign-in failed: ${JSON.stringify(r.errors)}`);
  return r.data.login.token;
}

export interface Topo {
  /** application role, straight to the primary */
  db: DB;
  /** owner on the primary (counting rows afterwards, bypassing row-level security) */
  owner: DB;
  tenant(slug: string): Promise<string>;
  desk(slug: string): Promise<Desk>;
  close(): Promise<void>;
}

export function topo(): Topo {
  const db = createDb(urls.appDirect);
  const owner = createDb(urls.owner);
  const ids = new Map<string, string>();
  const tenant = async (slug: string): Promise<string> => {
    const known = ids.get(slug);
    if (known) return known;
    const t = await withPlatform(db, (trx) => tenantBySlug(trx, slug));
    if (!t) throw new Error(`no tenant ${slug}`);
    ids.set(slug, t.id);
    return t.id;
  };
  return {
    db,
    owner,
    tenant,
    // a fresh prefix per run: the desk's staff accounts are created each time
    desk: async (slug) => deskOf(db, await tenant(slug), `topo${Date.now().toString(36)}${slug.slice(0, 3)}`),
    async close() {
      await Promise.allSettled([db.destroy(), owner.destroy()]);
    },
  };
}

/** Polls until `check` is truthy or `ms` pass; returns whether it became truthy. */
export async function until(check: () => Promise<boolean>, ms: number, everyMs = 100): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= end) return false;
    await sleep(everyMs);
  }
}
