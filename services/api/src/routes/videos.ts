import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FileStore } from '@tus/file-store';
import { Server as TusServer, type Upload } from '@tus/server';
import {
  accessFor,
  createVideo,
  DomainError,
  isUuid,
  isVideoRejected,
  tenantOfUpload,
  uploadIdFor,
  videoById,
  videoFileType,
  videoLimitsFor,
  VideoRejectedError,
  type Actor,
} from '@yiduan/core';
import { probeVideo, formatBytes, type FfmpegTools } from '@yiduan/video-tools';
import { withPlatform, withTenant } from '@yiduan/db';
import { viewerFrom } from '../auth.js';
import type { GraphQLContext, Viewer } from '../context.js';

type Deps = Pick<GraphQLContext, 'db' | 'config' | 'storage'> & { tools?: FfmpegTools };

const UPLOAD_ROLES: readonly string[] = ['reporter', 'editor', 'chief_editor', 'tenant_admin'];
export const TUS_PATH = '/videos/uploads';

/** Whether the viewer may upload video for the tenant (the same rule as image uploads). */
async function mayUpload(deps: Deps, viewer: Viewer, tenantId: string): Promise<boolean> {
  if (viewer.staff) {
    const access = await withTenant(deps.db, tenantId, (trx) => accessFor(trx, viewer.staff!, tenantId));
    return access.roles().some((r) => UPLOAD_ROLES.includes(r));
  }
  return viewer.roles.includes('platform_operator');
}

function tusError(status: number, code: string, message: string): { status_code: number; body: string } {
  return { status_code: status, body: JSON.stringify({ code, message }) };
}

/**
 * Resumable video upload (the tus protocol, `@tus/server` with its file store) at
 * /videos/uploads, with the console's auth; `POST /videos/uploads?tenantId=…` creates an upload.
 * When the last byte arrives ffprobe decides from the content whether it is a video within the
 * tenant's limits: if so a queued video row is written (the worker transcodes it) and the final
 * PATCH answers `{ videoId }`; if not the upload is deleted and the PATCH answers 4xx with the
 * reason in Chinese. GET /videos/:id/:file serves a published video's files to its tenant's staff
 * (the console's preview); faces serve them from the portal.
 */
export async function videoRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const directory = resolve(deps.config.video.uploadDir);
  const store = new FileStore({ directory });
  /** who is uploading, by upload id, while their request runs (the tus locker allows one per upload) */
  const actors = new Map<string, Actor & { staffId: string | null }>();

  const tus = new TusServer({
    path: TUS_PATH,
    datastore: store,
    // the configured ceiling; a tenant's own (lower) limit is checked before tus sees the request
    maxSize: deps.config.video.maxBytes,
    respectForwardedHeaders: false,
    relativeLocation: true,
    namingFunction: (req) => {
      const tenantId = new URL(req.url).searchParams.get('tenantId') ?? '';
      return uploadIdFor(tenantId, randomUUID());
    },
    onUploadFinish: async (_req, upload: Upload) => {
      const tenantId = tenantOfUpload(upload.id);
      const actor = actors.get(upload.id);
      if (!tenantId || !actor) throw tusError(403, 'FORBIDDEN', '没有执行此操作的权限');
      const filename = upload.metadata?.filename ?? upload.metadata?.name ?? '';
      try {
        const limits = await withTenant(deps.db, tenantId, (trx) =>
          videoLimitsFor(trx, tenantId, {
            maxBytes: deps.config.video.maxBytes,
            maxSeconds: deps.config.video.maxSeconds,
          }),
        );
        const probe = await probeVideo(resolve(directory, upload.id), limits, deps.tools);
        const video = await withTenant(deps.db, tenantId, (trx) =>
          createVideo(trx, actor, {
            tenantId,
            sourceKey: upload.id,
            probe,
            filename,
            title: upload.metadata?.title ?? '',
            createdBy: actor.staffId,
          }),
        );
        return {
          status_code: 200,
          headers: { 'content-type': 'application/json', 'video-id': video.id },
          body: JSON.stringify({ videoId: video.id, status: video.status }),
        };
      } catch (err) {
        // nothing half-written: the upload goes with the refusal
        await store.remove(upload.id).catch(() => undefined);
        if (isVideoRejected(err)) throw tusError(err.status, err.reason, err.message);
        if (err instanceof DomainError) throw tusError(err.status, err.code, err.message);
        app.log.error({ err, uploadId: upload.id }, 'video upload could not be recorded');
        throw tusError(500, 'INTERNAL', '服务器内部错误');
      }
    },
  });

  // tus bodies are streamed to the store by @tus/server, not parsed by Fastify
  app.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) => done(null));

  async function handleTus(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    if (request.method === 'OPTIONS') {
      reply.hijack();
      return tus.handle(request.raw, reply.raw);
    }
    const viewer = await viewerFrom(request, deps.config, deps.db);
    if (!viewer) throw new DomainError('UNAUTHENTICATED');
    const params = request.params as { id?: string };
    const tenantId =
      request.method === 'POST' && !params.id
        ? String((request.query as { tenantId?: unknown }).tenantId ?? '')
        : (tenantOfUpload(params.id ?? '') ?? '');
    if (!isUuid(tenantId)) throw new DomainError(params.id ? 'NOT_FOUND' : 'TENANT_NOT_FOUND');
    if (!(await mayUpload(deps, viewer, tenantId))) throw new DomainError('FORBIDDEN');
    if (request.method === 'POST') {
      // the tenant's size limit before a byte is stored (the content is checked at the end)
      const length = Number(request.headers['upload-length'] ?? NaN);
      const limits = await withTenant(deps.db, tenantId, (trx) =>
        videoLimitsFor(trx, tenantId, {
          maxBytes: deps.config.video.maxBytes,
          maxSeconds: deps.config.video.maxSeconds,
        }),
      );
      if (Number.isFinite(length) && length > limits.maxBytes) {
        const e = new VideoRejectedError('VIDEO_TOO_LARGE', `上限 ${formatBytes(limits.maxBytes)}`);
        return reply.code(413).send({ code: e.reason, message: e.message });
      }
      if (length === 0) {
        const e = new VideoRejectedError('VIDEO_EMPTY');
        return reply.code(400).send({ code: e.reason, message: e.message });
      }
    }
    const id = params.id;
    if (id) actors.set(id, { kind: viewer.kind, id: viewer.id, name: viewer.name, staffId: viewer.staff?.id ?? null });
    reply.hijack();
    try {
      await tus.handle(request.raw, reply.raw);
    } finally {
      if (id) actors.delete(id);
    }
  }

  app.route({ method: ['POST', 'OPTIONS'], url: TUS_PATH, handler: handleTus });
  app.route({ method: ['HEAD', 'PATCH', 'DELETE', 'OPTIONS'], url: `${TUS_PATH}/:id`, handler: handleTus });

  app.get<{ Params: { id: string; file: string } }>('/videos/:id/:file', async (request, reply) => {
    const { id, file } = request.params;
    const type = videoFileType(file);
    if (!isUuid(id) || !type) throw new DomainError('VIDEO_NOT_FOUND');
    const viewer = await viewerFrom(request, deps.config, deps.db);
    if (!viewer) throw new DomainError('UNAUTHENTICATED');
    const video = await withPlatform(deps.db, (trx) => videoById(trx, id));
    if (!video || !video.hls_prefix) throw new DomainError('VIDEO_NOT_FOUND');
    const member = viewer.staff
      ? (await withTenant(deps.db, video.tenant_id, (trx) => accessFor(trx, viewer.staff!, video.tenant_id))).member
      : viewer.roles.includes('platform_operator');
    if (!member && !video.shared) throw new DomainError('VIDEO_NOT_FOUND');
    const key = `${video.hls_prefix}/${file}`;
    const body = deps.storage.stream ? await deps.storage.stream(key) : await deps.storage.get(key);
    if (!body) throw new DomainError('VIDEO_NOT_FOUND');
    return reply
      .header('content-type', type)
      .header('cache-control', 'private, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });
}
