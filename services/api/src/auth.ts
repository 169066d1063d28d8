import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Config } from '@yiduan/config';
import { DomainError } from '@yiduan/core';
import type { GraphQLContext, Viewer } from './context.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * The bootstrap operator: whoever presents `Authorization: Bearer <BOOTSTRAP_OPERATOR_TOKEN>`.
 * It exists so a new platform can be set up before any staff account does.
 */
export function viewerFrom(request: FastifyRequest, config: Config): Viewer | null {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) return null;
  // compare digests: constant time and independent of the token's length
  if (!timingSafeEqual(digest(header.slice(7).trim()), digest(config.bootstrapOperatorToken))) return null;
  return { kind: 'operator', id: 'bootstrap-operator', name: '平台运营（引导账号）', roles: ['platform_operator'] };
}

export const isOperator = (viewer: Viewer | null): boolean => viewer?.roles.includes('platform_operator') ?? false;

export function requireOperator(ctx: GraphQLContext): Viewer {
  if (!ctx.viewer) throw new DomainError('UNAUTHENTICATED');
  if (!isOperator(ctx.viewer)) throw new DomainError('FORBIDDEN', '仅平台运营人员可以执行此操作');
  return ctx.viewer;
}
