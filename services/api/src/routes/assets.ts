import type { FastifyInstance } from 'fastify';
import { accessFor, assetForServing, createAsset, DomainError, isUuid } from '@yiduan/core';
import { withPlatform, withTenant } from '@yiduan/db';
import { viewerFrom } from '../auth.js';
import type { GraphQLContext } from '../context.js';

type Deps = Pick<GraphQLContext, 'db' | 'config' | 'storage'>;

const UPLOAD_ROLES: readonly string[] = ['reporter', 'editor', 'chief_editor', 'tenant_admin'];

/**
 * POST /assets?tenantId=… (multipart: file, alt, shared) uploads an image;
 * GET /assets/:id serves it to staff of its tenant, to anyone when it is shared
 * or shown in a published story, and to nobody else (drafts never leak).
 */
export async function assetRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.post<{ Querystring: { tenantId?: string } }>('/assets', async (request, reply) => {
    const viewer = await viewerFrom(request, deps.config, deps.db);
    if (!viewer) throw new DomainError('UNAUTHENTICATED');
    const tenantId = request.query.tenantId ?? '';
    if (!isUuid(tenantId)) throw new DomainError('TENANT_NOT_FOUND');
    if (!request.isMultipart()) throw new DomainError('BAD_USER_INPUT', '请以 multipart/form-data 上传图片');
    let data: Buffer | null = null;
    let filename = '';
    const fields: Record<string, string> = {};
    for await (const part of request.parts({
      limits: { fileSize: deps.config.assets.maxBytes, files: 1, fields: 5, fieldSize: 1000 },
    })) {
      if (part.type === 'file') {
        filename = part.filename;
        data = await part.toBuffer(); // throws past fileSize: mapped to 413 below
      } else fields[part.fieldname] = String(part.value);
    }
    if (!data) throw new DomainError('BAD_USER_INPUT', '请选择要上传的图片', [{ path: 'file', message: '缺少文件' }]);
    const file = data;
    const asset = await withTenant(deps.db, tenantId, async (trx) => {
      if (viewer.staff) {
        const access = await accessFor(trx, viewer.staff, tenantId);
        // unit members (政务号 staff) upload for their unit's stories: a role in any unit counts
        if (!access.roles().some((r) => UPLOAD_ROLES.includes(r))) throw new DomainError('FORBIDDEN');
      } else if (!viewer.roles.includes('platform_operator')) throw new DomainError('FORBIDDEN');
      return createAsset(trx, deps.storage, viewer, {
        tenantId,
        data: file,
        filename,
        alt: fields.alt ?? '',
        shared: fields.shared === 'true',
        createdBy: viewer.staff?.id ?? null,
        limits: { maxBytes: deps.config.assets.maxBytes },
      });
    });
    return reply.code(201).send({
      id: asset.id,
      url: `/assets/${asset.id}`,
      mime: asset.mime,
      width: asset.width,
      height: asset.height,
      bytes: asset.bytes,
      shared: asset.shared,
    });
  });

  app.get<{ Params: { id: string } }>('/assets/:id', async (request, reply) => {
    const { id } = request.params;
    if (!isUuid(id)) throw new DomainError('ASSET_NOT_FOUND');
    const found = await withPlatform(deps.db, (trx) => assetForServing(trx, id));
    if (!found) throw new DomainError('ASSET_NOT_FOUND');
    if (!found.public) {
      const viewer = await viewerFrom(request, deps.config, deps.db);
      const member = viewer?.staff
        ? (
            await withTenant(deps.db, found.asset.tenant_id, (trx) =>
              accessFor(trx, viewer.staff!, found.asset.tenant_id),
            )
          ).member
        : viewer?.roles.includes('platform_operator');
      if (!member) throw new DomainError('ASSET_NOT_FOUND');
    }
    const body = await deps.storage.get(found.asset.storage_key);
    if (!body) throw new DomainError('ASSET_NOT_FOUND');
    return reply
      .header('content-type', found.asset.mime)
      .header('cache-control', found.public ? 'public, max-age=31536000, immutable' : 'private, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });
}
