import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { classify } from '@yiduan/http';
import { renderDocument } from '../views/document.js';
import { faceView } from '../views/face-view.js';
import { NotFoundPage } from '../views/not-found-page.js';
import { PlatformPage, SiteNotFoundPage } from '../views/platform-page.js';
import { sendHtml } from './html.js';

/** Headline and advice per status; error messages themselves never reach the page. */
function wording(status: number): { heading: string; message: string } {
  if (status >= 500) return { heading: '服务暂时不可用', message: '服务暂时不可用，请稍后再试。' };
  if (status === 404) return { heading: '页面不存在', message: '您访问的页面不存在或已被移除。' };
  if (status === 403) return { heading: '无权访问', message: '您没有访问此页面的权限。' };
  if (status === 429) return { heading: '访问过于频繁', message: '请稍候片刻再试。' };
  return { heading: '请求无法处理', message: '请求格式不正确，请检查网址后重试。' };
}

export function sendSiteNotFound(reply: FastifyReply): FastifyReply {
  return sendHtml(reply, 404, renderDocument(<SiteNotFoundPage />));
}

/** A path the face does not have; without a face (should not happen) the platform page. */
export function sendPageNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (!request.face) return sendErrorPage(request, reply, 404);
  return sendHtml(reply, 404, renderDocument(<NotFoundPage face={faceView(request.face)} />));
}

function sendErrorPage(request: FastifyRequest, reply: FastifyReply, status: number): FastifyReply {
  const { heading, message } = wording(status);
  const reference = status >= 500 ? request.id : undefined;
  return sendHtml(
    reply,
    status,
    renderDocument(<PlatformPage heading={heading} message={message} reference={reference} />),
  );
}

/** Fastify error handler: status from `classify`, 5xx logged with the request (and its id), no detail shown. */
export function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, code } = classify(err);
  if (status >= 500) request.log.error({ err, code }, 'portal request failed');
  else request.log.info({ code, status }, 'portal request rejected');
  if (status === 404) return sendPageNotFound(request, reply);
  return sendErrorPage(request, reply, status);
}
