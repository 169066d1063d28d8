// GraphQL over HTTP conformance: graphql-http's server audit against a real listening API, in
// development and in production configuration. Any error (a MUST) or warning (a SHOULD) fails;
// the notices (MAYs) left are the documented ones (docs/SECURITY.md, "GraphQL over HTTP").
import t, { type Test } from 'tap';
import { auditServer, type AuditResult } from 'graphql-http';
import { build } from '@yiduan/api';
import { createTestDeps } from '@yiduan/testkit';

/** Production refuses development secrets and the log SMS sender: real-looking values. */
export const PRODUCTION_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused-by-tests',
  DATABASE_APP_PASSWORD: 'audit-app-password-0123',
  SESSION_SECRET: 'audit-session-secret-0123456789abcdef0123',
  BOOTSTRAP_OPERATOR_TOKEN: 'audit-operator-token-0123456789',
  SMS_PROVIDER: 'http',
  SMS_HTTP_URL: 'http://127.0.0.1:9/sms',
  SMS_HTTP_TOKEN: 'audit-sms-token',
};

/**
 * GET requests without a preflight header are refused by CSRF prevention (a GET is a "simple"
 * request a hostile page can make with the editor's cookie); the console only POSTs JSON.
 */
const DOCUMENTED_NOTICES = ['5A70', 'D6D5', '6A70'];

async function describe(r: AuditResult): Promise<string> {
  if (r.status === 'ok') return `${r.id} ${r.name}`;
  const body = await r.response
    .clone()
    .text()
    .catch(() => '');
  return `${r.id} ${r.name}: ${r.reason} (${r.response.status} ${r.response.headers.get('content-type') ?? ''} ${body.slice(0, 300)})`;
}

/**
 * Two audits check variables with `__type(name: $name)`, an introspection field: with
 * introspection off (the production default) they are refused with INTROSPECTION_DISABLED.
 */
const NEED_INTROSPECTION = ['28B9', '2EA1'];

async function audit(t: Test, env: Record<string, string>) {
  const deps = await createTestDeps(t, env);
  const app = await build(deps);
  t.teardown(() => app.close());
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const results = await auditServer({ url: `${address}/graphql` });
  const by = (status: AuditResult['status']) => results.filter((r) => r.status === status);
  t.comment(
    `${by('ok').length} ok, ${by('notice').length} notices, ${by('warn').length} warnings, ${by('error').length} errors of ${results.length}`,
  );
  return { deps, by };
}

for (const [mode, env] of [
  ['development', {}],
  ['production with GRAPHQL_INTROSPECTION=true', { ...PRODUCTION_ENV, GRAPHQL_INTROSPECTION: 'true' }],
] as const) {
  t.test(`graphql-http server audit: no errors, no warnings (${mode})`, async (t) => {
    const { by } = await audit(t, env);
    for (const r of [...by('error'), ...by('warn')]) t.fail(`${r.status}: ${await describe(r)}`);
    t.equal(by('error').length, 0, 'no errors (MUST)');
    t.equal(by('warn').length, 0, 'no warnings (SHOULD)');
    for (const r of by('notice')) t.comment(`notice: ${await describe(r)}`);
    t.same(
      by('notice').map((r) => r.id),
      DOCUMENTED_NOTICES,
      'the notices left are the documented ones',
    );
    t.ok(by('ok').length >= 50);
  });
}

t.test('graphql-http server audit, production default: only the audits that introspect fail', async (t) => {
  const { deps, by } = await audit(t, PRODUCTION_ENV);
  t.equal(deps.config.graphqlIntrospection, false);
  const failed = [...by('error'), ...by('warn')];
  t.same(failed.map((r) => r.id).sort(), NEED_INTROSPECTION, 'the two that check variables through __type');
  for (const r of failed) {
    if (r.status === 'ok') continue;
    const body = (await r.response.clone().json()) as { errors?: { extensions?: { code?: string } }[] };
    t.equal(
      body.errors?.[0]?.extensions?.code,
      'INTROSPECTION_DISABLED',
      `${r.id}: refused as introspection, nothing else`,
    );
  }
  t.same(
    by('notice').map((r) => r.id),
    DOCUMENTED_NOTICES,
  );
});
