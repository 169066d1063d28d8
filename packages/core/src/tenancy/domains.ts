import { isUniqueViolation, type Executor, type Tenant, type TenantDomain } from '@yiduan/db';
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { enqueue, TOPICS } from '../events/index.js';
import { appendAudit } from '../governance/index.js';
import { isUuid, tenantById, tenantBySlug } from './tenants.js';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Normalises what a visitor or operator typed as a host: lower case, no port,
 * no trailing dot, internationalised names in their ASCII (punycode) form.
 * Returns null when it is not a valid host name.
 */
export function normalizeHost(raw: string): string | null {
  const trimmed = raw.trim().toLowerCase();
  if (!trimmed || trimmed.length > 260 || /[\s/@?#\\]/.test(trimmed)) return null;
  let host: string;
  try {
    // URL drops the port and converts internationalised names; the trailing dot goes after
    host = new URL(`http://${trimmed}`).hostname.replace(/\.$/, '');
  } catch {
    return null;
  }
  if (!host || host.length > 253) return null;
  if (host.startsWith('[')) return null; // IPv6 literals never name a face
  const labels = host.split('.');
  return labels.every((l) => LABEL.test(l)) ? host : null;
}

export async function domainsOf(ex: Executor, tenantId: string): Promise<TenantDomain[]> {
  if (!isUuid(tenantId)) return [];
  return ex.selectFrom('tenant_domains').selectAll().where('tenant_id', '=', tenantId).orderBy('is_primary', 'desc').orderBy('host').execute();
}

export async function domainsByTenantIds(ex: Executor, ids: readonly string[]): Promise<TenantDomain[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return ex.selectFrom('tenant_domains').selectAll().where('tenant_id', 'in', valid).orderBy('is_primary', 'desc').orderBy('host').execute();
}

/**
 * Which tenant a request's Host names: an exact domain first, then
 * `<slug>.<public base domain>`. Closed tenants have no face.
 */
export async function resolveHost(ex: Executor, rawHost: string, baseDomain: string): Promise<Tenant | null> {
  const host = normalizeHost(rawHost);
  if (!host) return null;
  const exact = await ex
    .selectFrom('tenant_domains')
    .innerJoin('tenants', 'tenants.id', 'tenant_domains.tenant_id')
    .selectAll('tenants')
    .where('tenant_domains.host', '=', host)
    .executeTakeFirst();
  let tenant: Tenant | undefined = exact;
  if (!tenant) {
    const suffix = `.${baseDomain.toLowerCase()}`;
    if (!host.endsWith(suffix)) return null;
    const slug = host.slice(0, -suffix.length);
    if (!slug || slug.includes('.')) return null;
    tenant = await tenantBySlug(ex, slug);
  }
  return tenant && tenant.status !== 'closed' ? tenant : null;
}

async function changed(ex: Executor, actor: Actor, tenantId: string, action: string, host: string): Promise<void> {
  await appendAudit(ex, actor, { tenantId, action, targetKind: 'domain', targetId: host });
  await enqueue(ex, { tenantId, topic: TOPICS.domainChanged, payload: { tenantId, host } });
}

/** Adds a domain; the tenant's first domain becomes its primary. */
export async function addDomain(ex: Executor, actor: Actor, tenantId: string, rawHost: string, makePrimary = false): Promise<TenantDomain> {
  const host = normalizeHost(rawHost);
  if (!host) throw new DomainError('BAD_USER_INPUT', '域名格式不正确', [{ path: 'host', message: '格式不正确' }]);
  if (!(await tenantById(ex, tenantId))) throw new DomainError('TENANT_NOT_FOUND');
  const taken = await ex.selectFrom('tenant_domains').select('tenant_id').where('host', '=', host).executeTakeFirst();
  if (taken) throw new DomainError('DOMAIN_TAKEN');
  const existing = await domainsOf(ex, tenantId);
  const primary = makePrimary || existing.length === 0;
  if (primary) await ex.updateTable('tenant_domains').set({ is_primary: false }).where('tenant_id', '=', tenantId).execute();
  let row: TenantDomain;
  try {
    row = await ex.insertInto('tenant_domains').values({ host, tenant_id: tenantId, is_primary: primary }).returningAll().executeTakeFirstOrThrow();
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('DOMAIN_TAKEN');
    throw err;
  }
  await changed(ex, actor, tenantId, 'domain.add', host);
  return row;
}

/** Removes a domain. A primary can go only when it is the tenant's last domain. */
export async function removeDomain(ex: Executor, actor: Actor, rawHost: string): Promise<TenantDomain> {
  const host = normalizeHost(rawHost);
  const row = host ? await ex.selectFrom('tenant_domains').selectAll().where('host', '=', host).executeTakeFirst() : undefined;
  if (!row) throw new DomainError('DOMAIN_NOT_FOUND');
  if (row.is_primary) {
    const others = await ex.selectFrom('tenant_domains').select('host').where('tenant_id', '=', row.tenant_id).where('host', '<>', row.host).executeTakeFirst();
    if (others) throw new DomainError('DOMAIN_PRIMARY_REQUIRED');
  }
  await ex.deleteFrom('tenant_domains').where('host', '=', row.host).execute();
  await changed(ex, actor, row.tenant_id, 'domain.remove', row.host);
  return row;
}

export async function setPrimaryDomain(ex: Executor, actor: Actor, rawHost: string): Promise<TenantDomain> {
  const host = normalizeHost(rawHost);
  const row = host ? await ex.selectFrom('tenant_domains').selectAll().where('host', '=', host).executeTakeFirst() : undefined;
  if (!row) throw new DomainError('DOMAIN_NOT_FOUND');
  if (row.is_primary) return row;
  await ex.updateTable('tenant_domains').set({ is_primary: false }).where('tenant_id', '=', row.tenant_id).execute();
  const updated = await ex.updateTable('tenant_domains').set({ is_primary: true }).where('host', '=', row.host).returningAll().executeTakeFirstOrThrow();
  await changed(ex, actor, row.tenant_id, 'domain.primary', row.host);
  return updated;
}

/** The address a face is reached at: its primary domain, or `<slug>.<base domain>`. */
export function faceHost(tenant: Pick<Tenant, 'slug'>, domains: readonly TenantDomain[], baseDomain: string): string {
  return domains.find((d) => d.is_primary)?.host ?? `${tenant.slug}.${baseDomain}`;
}
