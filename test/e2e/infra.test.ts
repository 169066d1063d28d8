// infra/ checked against the code: the manifests parse, every Deployment probes endpoints its
// service really answers, every variable they set is one packages/config declares (and the
// production configuration they assemble passes its validation), every secret key they read is
// in the example Secret, and compose runs the same commands and checks.
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseAllDocuments } from 'yaml';
import { build as buildApi } from '@yiduan/api';
import { loadConfig, type Config } from '@yiduan/config';
import { build as buildPortal } from '@yiduan/portal';
import { createTestDeps } from '@yiduan/testkit';
import { build as buildWorker } from '@yiduan/worker';

const root = new URL('../..', import.meta.url).pathname;
const infra = join(root, 'infra');
const k8s = join(infra, 'k8s');

type Obj = Record<string, unknown>;
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
  tcpSocket?: { port: string | number };
}
interface Container {
  name: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}
interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Obj;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

function parseFile(file: string): Manifest[] {
  // merge: compose shares the services' environment through `<<: *app-env`
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: Manifest[] = [];
  for (const d of list) {
    if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
    const v = d.toJS() as Manifest | null;
    if (v) out.push(v);
  }
  return out;
}

/** The variables packages/config declares (the keys of its env schema). */
function configVariables(): Set<string> {
  const src = readFileSync(join(root, 'packages/config/src/index.ts'), 'utf8');
  const body = src.slice(src.indexOf('const schema = Type.Object({'), src.indexOf('type Env = Static'));
  return new Set([...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*): Type\./gm)].map((m) => m[1]!));
}

const APP_SERVICES = ['api', 'portal', 'console', 'worker'] as const;
type AppService = (typeof APP_SERVICES)[number];
/** read by a service from process.env directly, outside packages/config (checked below to still be so) */
const EXTRA_ENV: Record<string, { file: string; marker: string }> = {
  API_URL: { file: 'services/console/src/server.ts', marker: 'process.env.API_URL' },
};

const files = readdirSync(k8s).filter((f) => f.endsWith('.yaml'));
const manifests = new Map<string, Manifest[]>(files.map((f) => [f, parseFile(join(k8s, f))]));
const all = [...manifests.values()].flat();
const byKind = (kind: string) => all.filter((m) => m.kind === kind);
const containerOf = (d: Manifest): Container =>
  (d.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0]!;
const configMap = byKind('ConfigMap').find((m) => m.metadata.name === 'yiduan-config')!;
const secrets = parseFile(join(k8s, 'secret.example.yaml'));
const appSecret = secrets.find((s) => s.metadata.name === 'yiduan-secrets')!;

t.test('every manifest parses; kustomization lists every file but the example Secret', async (t) => {
  t.ok(files.length >= 8, `${files.length} files in infra/k8s`);
  const kustomization = parseFile(join(k8s, 'kustomization.yaml'))[0] as unknown as { resources: string[] };
  const expected = files.filter((f) => f !== 'kustomization.yaml' && f !== 'secret.example.yaml').sort();
  t.same([...kustomization.resources].sort(), expected);
  for (const m of all.filter((m) => m.kind !== 'Kustomization' && m.kind !== undefined)) {
    if (m.kind !== 'Namespace')
      t.equal(m.metadata.namespace, 'yiduan', `${m.kind}/${m.metadata.name} in the namespace`);
  }
  t.ok(configMap, 'the shared ConfigMap');
  t.ok(appSecret, 'the example Secret');
});

t.test('one Deployment per service, with probes, a Service, an autoscaler; PgBouncer too', async (t) => {
  const deployments = byKind('Deployment');
  const hpas = byKind('HorizontalPodAutoscaler');
  const services = byKind('Service');
  for (const name of APP_SERVICES) {
    const d = deployments.find((x) => x.metadata.name === name);
    if (!t.ok(d, `Deployment ${name}`)) continue;
    const c = containerOf(d!);
    t.ok(c.readinessProbe?.httpGet?.path, `${name}: readiness probe over HTTP`);
    t.ok(c.livenessProbe?.httpGet?.path, `${name}: liveness probe over HTTP`);
    t.equal(c.livenessProbe?.httpGet?.path, '/health/live', `${name}: liveness checks no dependency`);
    t.not(c.readinessProbe?.httpGet?.path, c.livenessProbe?.httpGet?.path, `${name}: readiness is not liveness`);
    const entry = c.command?.find((a) => a.endsWith('.ts'));
    t.ok(entry && existsSync(join(root, entry)), `${name}: runs ${entry}, which exists`);
    const port = c.ports?.find((p) => p.name === 'http')?.containerPort;
    const portVar = { api: 'API_PORT', portal: 'PORTAL_PORT', console: 'CONSOLE_PORT', worker: 'WORKER_PORT' }[name];
    t.equal(String(port), configMap.data![portVar], `${name}: container port = ${portVar}`);
    t.ok(
      hpas.some((h) => (h.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === name),
      `${name}: HorizontalPodAutoscaler`,
    );
    t.ok(
      services.some((s) => s.metadata.name === name),
      `${name}: Service`,
    );
  }
  const pgb = deployments.find((x) => x.metadata.name === 'pgbouncer');
  t.ok(pgb && containerOf(pgb).readinessProbe?.tcpSocket, 'PgBouncer Deployment with a probe');
  t.ok(
    services.some((s) => s.metadata.name === 'pgbouncer'),
    'PgBouncer Service',
  );
  const pgbConfig = byKind('ConfigMap').find((m) => m.metadata.name === 'pgbouncer-config')!.data!['pgbouncer.ini']!;
  // the section header itself (a line of its own), not a mention of it in a comment
  const section = (ini: string) => ini.slice(/^\[pgbouncer\]\s*$/m.exec(ini)?.index ?? -1).trim();
  t.equal(
    section(pgbConfig),
    section(readFileSync(join(infra, 'pgbouncer/pgbouncer.ini'), 'utf8')),
    'the PgBouncer settings match infra/pgbouncer/pgbouncer.ini',
  );
  t.match(pgbConfig, /pool_mode = transaction/);
  t.ok(
    byKind('Job').some((j) => j.metadata.name === 'migrate'),
    'a migration Job',
  );
});

t.test('every variable a manifest sets is declared in packages/config; secret keys exist', async (t) => {
  const declared = configVariables();
  t.ok(
    declared.has('DATABASE_REPLICA_URL') && declared.has('OUTBOX_MAX_ATTEMPTS'),
    `read ${declared.size} variables from the config schema`,
  );
  for (const [name, { file, marker }] of Object.entries(EXTRA_ENV)) {
    t.ok(readFileSync(join(root, file), 'utf8').includes(marker), `${name} is still read by ${file}`);
  }
  const known = (v: string) => declared.has(v) || v in EXTRA_ENV;
  for (const key of Object.keys(configMap.data!)) t.ok(declared.has(key), `ConfigMap ${key} is a config variable`);
  const secretKeys = new Set(Object.keys(appSecret.stringData!));
  for (const d of [...byKind('Deployment'), ...byKind('Job')]) {
    if (d.metadata.name === 'pgbouncer') continue;
    const spec = d.spec as { template: { spec: { containers: Container[] } } };
    for (const c of spec.template.spec.containers) {
      for (const e of c.env ?? []) {
        t.ok(known(e.name), `${d.metadata.name}: ${e.name} is a config variable`);
        const ref = e.valueFrom?.secretKeyRef;
        if (ref)
          t.ok(
            ref.name === 'yiduan-secrets' && secretKeys.has(ref.key),
            `${d.metadata.name}: secret key ${ref.key} exists`,
          );
      }
    }
  }
  const compose = parseFile(join(infra, 'compose.yaml'))[0] as unknown as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  for (const [svc, def] of Object.entries(compose.services)) {
    if (['postgres', 'redis', 'pgbouncer'].includes(svc)) continue;
    for (const v of Object.keys(def.environment ?? {})) t.ok(known(v), `compose ${svc}: ${v} is a config variable`);
  }
});

/** The environment a Deployment's container gets: the ConfigMap, then its env (secrets from the example). */
function envOf(name: string): Record<string, string> {
  const d =
    byKind('Deployment').find((x) => x.metadata.name === name) ?? byKind('Job').find((x) => x.metadata.name === name)!;
  const c = containerOf(d);
  const env: Record<string, string> = { ...configMap.data! };
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    env[e.name] = ref ? appSecret.stringData![ref.key]! : e.value!;
  }
  return env;
}

t.test('the configuration each Deployment assembles passes production validation', async (t) => {
  for (const name of [...APP_SERVICES, 'migrate']) {
    const env = envOf(name);
    t.equal(env.NODE_ENV, 'production');
    t.doesNotThrow(() => loadConfig(env), `${name}: loadConfig accepts it`);
  }
  const url = (name: AppService, v: string) => new URL(envOf(name)[v]!);
  t.equal(url('api', 'DATABASE_APP_URL').port, '6432', 'the api goes through PgBouncer');
  t.equal(url('portal', 'DATABASE_APP_URL').port, '6432', 'the portal writes through PgBouncer');
  t.ok(envOf('portal').DATABASE_REPLICA_URL, 'the portal reads a replica');
  t.equal(url('worker', 'DATABASE_APP_URL').port, '5432', 'the worker goes straight to PostgreSQL (LISTEN)');
  t.equal(url('api', 'DATABASE_APP_URL').username, 'yiduan_app', 'the services use the application role');
  t.equal(new URL(envOf('migrate').DATABASE_URL!).port, '5432', 'migrations go straight to PostgreSQL as the owner');
});

t.test('the probed paths answer on each service (not 404)', async (t) => {
  const deps = await createTestDeps(t);
  const probesOf = (name: AppService): string[] => {
    const c = containerOf(byKind('Deployment').find((x) => x.metadata.name === name)!);
    return [
      ...new Set(
        [c.readinessProbe, c.livenessProbe, c.startupProbe]
          .map((p) => p?.httpGet?.path)
          .filter((p): p is string => !!p),
      ),
    ];
  };
  const apps = {
    api: await buildApi(deps),
    portal: await buildPortal(deps),
    worker: await buildWorker(deps),
  };
  for (const [name, app] of Object.entries(apps)) {
    t.teardown(() => app.close());
    for (const path of probesOf(name as AppService)) {
      const r = await app.inject(path);
      t.equal(r.statusCode, 200, `${name} ${path} → 200 (database up)`);
    }
  }
  // the console, built as its server builds it (the API it proxies to need not answer here)
  const consoleMod = (await import('../../services/console/src/app.js')) as {
    build(deps: { config: Config }, opts: { apiUrl: string }): Promise<FastifyInstance>;
  };
  const consoleApp = await consoleMod.build({ config: deps.config }, { apiUrl: 'http://127.0.0.1:9' });
  t.teardown(() => consoleApp.close());
  for (const path of probesOf('console')) {
    const r = await consoleApp.inject(path);
    t.not(r.statusCode, 404, `console ${path} exists (${r.statusCode})`);
  }
});

t.test('compose: PostgreSQL 15, Redis 7, PgBouncer, and the services with the probes of Kubernetes', async (t) => {
  const compose = parseFile(join(infra, 'compose.yaml'))[0] as unknown as {
    services: Record<string, { image?: string; command?: string[]; healthcheck?: { test: string[] }; build?: unknown }>;
  };
  const s = compose.services;
  t.equal(s.postgres?.image, 'postgres:15');
  t.equal(s.redis?.image, 'redis:7');
  t.ok(s.pgbouncer?.build, 'PgBouncer built from infra/pgbouncer');
  t.ok(existsSync(join(infra, 'pgbouncer/Dockerfile')));
  for (const name of [...APP_SERVICES, 'migrate']) {
    const cmd = s[name]?.command ?? [];
    const entry = cmd.find((a) => a.endsWith('.ts'));
    t.ok(entry && existsSync(join(root, entry)), `compose ${name}: ${entry} exists`);
    if (name === 'migrate') continue;
    const k8sProbe = containerOf(byKind('Deployment').find((x) => x.metadata.name === name)!).readinessProbe!.httpGet!
      .path;
    t.match(s[name]?.healthcheck?.test.join(' ') ?? '', k8sProbe, `compose ${name}: health check on ${k8sProbe}`);
  }
  const docker = readFileSync(join(infra, 'Dockerfile'), 'utf8');
  const cmd = /^CMD (\[.*\])$/m.exec(docker);
  t.ok(
    cmd &&
      existsSync(
        join(
          root,
          (JSON.parse(cmd[1]!) as string[]).find((a) => a.endsWith('.ts'))!,
        ),
      ),
    'the Dockerfile default command exists',
  );
  for (const f of ['postgres/postgresql.conf', 'redis/redis.conf', 'pgbouncer/pgbouncer.ini', 'SCALE.md'])
    t.ok(existsSync(join(infra, f)), f);
});
