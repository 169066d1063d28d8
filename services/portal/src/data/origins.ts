import { domainsByTenantIds } from '@yiduan/core';
import type { Executor } from '@yiduan/db';
import { faceOriginOf, type UrlConfig } from '../site/urls.js';

/** Face origins (`scheme://host[:port]`) of other tenants, by tenant id, in one query. */
export async function originsOf(
  ex: Executor,
  config: UrlConfig,
  tenants: readonly { tenantId: string; slug: string }[],
): Promise<Map<string, string>> {
  const unique = [...new Map(tenants.map((t) => [t.tenantId, t])).values()];
  if (unique.length === 0) return new Map();
  const domains = await domainsByTenantIds(
    ex,
    unique.map((t) => t.tenantId),
  );
  return new Map(
    unique.map((t) => [
      t.tenantId,
      faceOriginOf(
        config,
        t,
        domains.filter((d) => d.tenant_id === t.tenantId),
      ),
    ]),
  );
}
