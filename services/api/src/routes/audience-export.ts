import type { FastifyInstance } from 'fastify';
import { DomainError, exportMembers, isUuid } from '@yiduan/core';
import { tenantRunner, viewerFrom } from '../auth.js';
import type { GraphQLContext } from '../context.js';

type Deps = Pick<GraphQLContext, 'db' | 'config'>;

/**
 * GET /exports/members.csv?tenantId=… : the tenant's own current members as CSV,
 * for its editors and admins only, with contact details only where the member's
 * consent stands at this moment. Every export is recorded in the audit log.
 */
export async function audienceExportRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<{ Querystring: { tenantId?: string } }>('/exports/members.csv', async (request, reply) => {
    const viewer = await viewerFrom(request, deps.config, deps.db);
    if (!viewer) throw new DomainError('UNAUTHENTICATED');
    const tenantId = request.query.tenantId ?? '';
    if (!isUuid(tenantId)) throw new DomainError('TENANT_NOT_FOUND');
    const { csv, slug } = await tenantRunner(deps.db, viewer)(tenantId, (trx, access, actor) =>
      exportMembers(trx, access, actor),
    );
    const day = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10).replace(/-/g, '');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="members-${slug}-${day}.csv"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(csv);
  });
}
