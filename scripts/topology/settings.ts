// Every port and path of the local topology (docs/topology.md). Each comes from the environment
// (TOPOLOGY_*), else from TOPOLOGY_BASE_PORT plus a fixed offset, so two checkouts can run side by
// side on different bases. Nothing here uses the machine's shared ports (5432, 6379, 3000–3003).
import { fileURLToPath } from 'node:url';

const env = process.env;
const base = Number(env.TOPOLOGY_BASE_PORT ?? 15400);
const port = (name: string, offset: number): number => {
  const v = env[`TOPOLOGY_${name}_PORT`];
  const p = v ? Number(v) : base + offset;
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`TOPOLOGY_${name}_PORT: not a port (${v})`);
  return p;
};

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const dir = env.TOPOLOGY_DIR ?? '/tmp/yiduan-topology';
export const pgBin = env.TOPOLOGY_PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** the OS user PostgreSQL and PgBouncer run as (both refuse root) */
export const pgUser = env.TOPOLOGY_PG_USER ?? 'postgres';
/** the application role's password (the migrations create yiduan_app with it) */
export const appPassword = env.DATABASE_APP_PASSWORD ?? 'yiduan-app-dev-password';
export const database = 'yiduan';
export const sentinelName = env.TOPOLOGY_SENTINEL_NAME ?? 'yiduan';

export const ports = {
  pgPrimary: port('PG_PRIMARY', 0),
  pgReplica: port('PG_REPLICA', 1),
  pgbouncer: port('PGBOUNCER', 2),
  redisPrimary: port('REDIS_PRIMARY', 10),
  redisReplica: port('REDIS_REPLICA', 11),
  sentinels: [port('SENTINEL1', 20), port('SENTINEL2', 21), port('SENTINEL3', 22)],
  /** HAProxy: faces, then the API, then its stats page */
  lbPortal: port('LB_PORTAL', 30),
  lbApi: port('LB_API', 31),
  lbStats: port('LB_STATS', 32),
  portals: [port('PORTAL1', 40), port('PORTAL2', 41)],
  apis: [port('API1', 50), port('API2', 51)],
  workers: [port('WORKER1', 60), port('WORKER2', 61)],
};

export const paths = {
  pgPrimary: `${dir}/pg-primary`,
  pgReplica: `${dir}/pg-replica`,
  pgbouncer: `${dir}/pgbouncer`,
  redis: `${dir}/redis`,
  haproxy: `${dir}/haproxy`,
  logs: `${dir}/logs`,
  assets: `${dir}/assets`,
  /** the node processes started here: name, pid, port */
  state: `${dir}/services.json`,
};

const host = '127.0.0.1';
export const urls = {
  /** owner, straight to the primary: migrations (DDL, session advisory locks) */
  owner: `postgres://postgres@${host}:${ports.pgPrimary}/${database}`,
  /** application role through PgBouncer (transaction pooling): api and portal */
  appPooled: `postgres://yiduan_app:${encodeURIComponent(appPassword)}@${host}:${ports.pgbouncer}/${database}`,
  /** application role straight to the primary: the worker (LISTEN needs a session) */
  appDirect: `postgres://yiduan_app:${encodeURIComponent(appPassword)}@${host}:${ports.pgPrimary}/${database}`,
  /** application role on the replica, direct (a refused connection is what sends reads back to the primary) */
  appReplica: `postgres://yiduan_app:${encodeURIComponent(appPassword)}@${host}:${ports.pgReplica}/${database}`,
  ownerReplica: `postgres://postgres@${host}:${ports.pgReplica}/${database}`,
  lbPortal: `http://${host}:${ports.lbPortal}`,
  lbApi: `http://${host}:${ports.lbApi}`,
  sentinels: ports.sentinels.map((p) => `${host}:${p}`).join(','),
};
