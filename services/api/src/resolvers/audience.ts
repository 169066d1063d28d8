import {
  agreementsForAdmin,
  ancestors,
  assignMessage,
  audienceCounts,
  audienceCountsOfDescendants,
  audienceSettings,
  closeMessage,
  commentQueue,
  DomainError,
  isUuid,
  listMembers,
  listMessages,
  messageById,
  moderateComment,
  overdueInSubtree,
  replyOfficially,
  replyToMessage,
  saveAgreement,
  setAudienceSettings,
  tenantById,
  tenantsOfStaff,
  type AgreementAdminView,
  type AudienceCounts,
  type Finding,
} from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import type { AudienceCountsModel, OffsetPageModel, Resolvers } from '@yiduan/schema';
import { assetUrl } from './assets.js';
import { isOperator, requireViewer } from '../auth.js';
import type { GraphQLContext } from '../context.js';

/** GraphQL enum names are upper case; the database and domain use lower case. */
const lower = <const T extends string>(...names: T[]) =>
  Object.fromEntries(names.map((n) => [n, n.toLowerCase()])) as { [K in T]: Lowercase<K> };

/** An agreement as the schema shapes it. */
const agreementOut = (a: AgreementAdminView) => ({
  kind: a.kind,
  version: a.current.version,
  title: a.current.title,
  body: a.current.body,
  isDefault: a.current.isDefault,
  publishedAt: a.current.publishedAt,
  draft: a.draft,
  history: a.history,
});

const DEFAULT_WINDOW_MS = 30 * 24 * 3600 * 1000;
const MAX_PAGE = 200;

// ---- paging: offsets, with opaque cursors for clients that page by `after`

const cursorOf = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');

function offsetOf(after: string | null | undefined, offset: number | null | undefined): number {
  if (offset != null) {
    if (!Number.isInteger(offset) || offset < 0)
      throw new DomainError('BAD_USER_INPUT', '分页参数不正确', [{ path: 'offset', message: '应为非负整数' }]);
    return offset;
  }
  if (!after) return 0;
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(after, 'base64url').toString());
  if (!m) throw new DomainError('BAD_USER_INPUT', '分页游标无效', [{ path: 'after', message: '分页游标无效' }]);
  return Number(m[1]);
}

function limitOf(first: number | null | undefined, fallback = 50): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE)
    throw new DomainError('BAD_USER_INPUT', `每页数量应为 1 到 ${MAX_PAGE}`, [
      { path: 'first', message: `应为 1 到 ${MAX_PAGE}` },
    ]);
  return n;
}

function pageInfo(p: OffsetPageModel<unknown>) {
  const end = p.offset + p.rows.length;
  return {
    hasNextPage: end < p.total,
    hasPreviousPage: p.offset > 0,
    startCursor: p.rows.length ? cursorOf(p.offset) : null,
    endCursor: p.rows.length ? cursorOf(end) : null,
  };
}

const sinceOf = (since: Date | string | null | undefined): Date => {
  if (since == null) return new Date(Date.now() - DEFAULT_WINDOW_MS);
  const d = since instanceof Date ? since : new Date(since);
  if (Number.isNaN(d.getTime()))
    throw new DomainError('BAD_USER_INPUT', '时间格式不正确', [{ path: 'since', message: '时间格式不正确' }]);
  return d;
};

/** Ids from the client: a malformed one names nothing, with the given code. */
function idOf(
  id: string,
  code: 'MESSAGE_NOT_FOUND' | 'COMMENT_NOT_FOUND' | 'STAFF_NOT_FOUND' | 'UNIT_NOT_FOUND',
): string {
  if (!isUuid(id)) throw new DomainError(code);
  return id;
}

/**
 * The tenant through which the viewer may read a target tenant's audience
 * counts: the target itself or its nearest ancestor where the viewer holds a
 * role. Siblings and unrelated tenants have none: FORBIDDEN. Counts only; lists
 * stay with the tenant that owns them.
 */
async function countsVia(ctx: GraphQLContext, target: string): Promise<string> {
  const viewer = requireViewer(ctx);
  if (!(await tenantById(ctx.db, target))) throw new DomainError('TENANT_NOT_FOUND');
  if (isOperator(viewer) || !viewer.staff) return target;
  const staff = viewer.staff;
  const via = await withPlatform(ctx.db, async (trx) => {
    const held = new Set((await tenantsOfStaff(trx, staff)).map((g) => g.tenant_id));
    // the target itself first, then its ancestors nearest first
    return (await ancestors(trx, target, { includeSelf: true })).find((a) => held.has(a.id))?.id ?? null;
  });
  if (!via) throw new DomainError('FORBIDDEN', '只能查看本单位及下级单位的受众统计');
  return via;
}

const withTenantId = (tenantId: string, c: AudienceCounts): AudienceCountsModel => ({ ...c, tenantId });

export const audienceResolvers: Resolvers<GraphQLContext> = {
  ConsentPurpose: { NEWS: 'news', CONTACT: 'contact', SHARE_PARENT: 'share_parent' },
  CommentStatus: lower('PENDING', 'APPROVED', 'REJECTED', 'HIDDEN'),
  CommentQueueFilter: lower('PENDING', 'APPROVED', 'REJECTED', 'HIDDEN', 'REPORTED'),
  ModerationDecision: lower('APPROVE', 'REJECT', 'HIDE'),
  MessageCategory: lower('CONSULTATION', 'COMPLAINT', 'SUGGESTION', 'HELP'),
  MessageStatus: lower('RECEIVED', 'ASSIGNED', 'REPLIED', 'CLOSED'),
  AgreementKind: lower('TERMS', 'PRIVACY'),

  Member: {
    joinedAt: (m) => m.createdAt,
  },
  MemberConnection: {
    nodes: (p) => p.rows,
    totalCount: (p) => p.total,
    pageInfo: (p) => pageInfo(p),
  },
  Comment: {
    authorName: (c) => c.author_name,
    heldReason: (c) => c.held_reason,
    findings: (c) => (Array.isArray(c.findings) ? (c.findings as Finding[]) : []),
    createdAt: (c) => c.created_at,
    moderatedAt: (c) => c.moderated_at,
    moderationNote: (c) => c.moderation_note,
    parentId: (c) => c.parent_id,
  },
  CommentConnection: {
    nodes: (p) => p.rows,
    totalCount: (p) => p.total,
    pageInfo: (p) => pageInfo(p),
  },
  CitizenMessage: {
    photos: (m) => m.photos.map(assetUrl),
    contactName: (m) => m.contact_name,
    contactPhone: (m) => m.contact_phone,
    allowPublic: (m) => m.allow_public,
    dueAt: (m) => m.due_at,
    overdue: (m) => (m.status === 'received' || m.status === 'assigned') && m.due_at.getTime() < Date.now(),
    replyPublic: (m) => m.reply_public,
    repliedAt: (m) => m.replied_at,
    createdAt: (m) => m.created_at,
  },
  CitizenMessageConnection: {
    nodes: (p) => p.rows,
    totalCount: (p) => p.total,
    pageInfo: (p) => pageInfo(p),
  },
  MessageEvent: {
    id: (e) => String(e.id),
    fromStatus: (e) => e.from_status,
    toStatus: (e) => e.to_status,
    byCitizen: (e) => e.by_citizen,
  },

  Query: {
    members: (_r, args, ctx) => {
      const limit = limitOf(args.first);
      const offset = offsetOf(args.after, args.offset);
      if (args.unitId) idOf(args.unitId, 'UNIT_NOT_FOUND');
      return ctx.inTenant(args.tenantId, async (trx, access) => {
        const page = await listMembers(trx, access, {
          unitId: args.unitId ?? null,
          includeEnded: args.includeEnded ?? false,
          limit,
          offset,
        });
        return { rows: page.rows, total: page.total, offset };
      });
    },
    agreements: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access) => (await agreementsForAdmin(trx, access)).map(agreementOut)),
    audienceSettings: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access) => {
        access.requireMember();
        return audienceSettings(trx, args.tenantId);
      }),
    audienceCounts: async (_r, args, ctx) => {
      const since = sinceOf(args.since);
      const via = await countsVia(ctx, args.tenantId);
      return ctx.inTenant(via, async (trx, access) => {
        access.requireMember();
        const c = await audienceCounts(trx, args.tenantId, since);
        // the definer function answers nothing outside the caller's subtree
        if (!c) throw new DomainError('FORBIDDEN', '只能查看本单位及下级单位的受众统计');
        return withTenantId(args.tenantId, c);
      });
    },
    audienceCountsOfDescendants: (_r, args, ctx) => {
      const since = sinceOf(args.since);
      return ctx.inTenant(args.tenantId, async (trx, access) =>
        (await audienceCountsOfDescendants(trx, access, since)).map(({ tenantId, ...c }) => withTenantId(tenantId, c)),
      );
    },
    commentQueue: (_r, args, ctx) => {
      const limit = limitOf(args.first);
      const offset = offsetOf(null, args.offset);
      return ctx.inTenant(args.tenantId, async (trx, access) => {
        const page = await commentQueue(trx, access, { status: args.status ?? 'pending', limit, offset });
        return { rows: page.rows, total: page.total, offset };
      });
    },
    messages: (_r, args, ctx) => {
      const limit = limitOf(args.first);
      const offset = offsetOf(null, args.offset);
      if (args.unitId) idOf(args.unitId, 'UNIT_NOT_FOUND');
      return ctx.inTenant(args.tenantId, async (trx, access) => {
        const page = await listMessages(trx, access, {
          status: args.status ?? null,
          unitId: args.unitId ?? null,
          overdueOnly: args.overdueOnly ?? false,
          limit,
          offset,
        });
        return { rows: page.rows, total: page.total, offset };
      });
    },
    message: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access) => {
        access.requireMember();
        if (!isUuid(args.id)) return null;
        try {
          return await messageById(trx, access, args.id);
        } catch (err) {
          if (err instanceof DomainError && err.code === 'MESSAGE_NOT_FOUND') return null;
          throw err;
        }
      }),
    overdueMessages: (_r, args, ctx) => ctx.inTenant(args.tenantId, (trx, access) => overdueInSubtree(trx, access)),
  },

  Mutation: {
    setAudienceSettings: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, (trx, access, actor) => {
        const i = args.input;
        return setAudienceSettings(trx, access, actor, {
          ...(i.commentsPremoderated != null ? { commentsPremoderated: i.commentsPremoderated } : {}),
          ...(i.commentsEnabled != null ? { commentsEnabled: i.commentsEnabled } : {}),
          ...(i.messageDueDays != null ? { messageDueDays: i.messageDueDays } : {}),
        });
      }),
    saveAgreement: (_r, args, ctx) =>
      ctx.inTenant(args.tenantId, async (trx, access, actor) => {
        const i = args.input;
        return agreementOut(
          await saveAgreement(trx, access, actor, { kind: i.kind, title: i.title, body: i.body, publish: i.publish }),
        );
      }),
    moderateComment: (_r, args, ctx) => {
      const id = idOf(args.id, 'COMMENT_NOT_FOUND');
      return ctx.inTenant(args.tenantId, (trx, access, actor) =>
        moderateComment(trx, access, actor, id, args.decision, args.note ?? null),
      );
    },
    replyToComment: (_r, args, ctx) => {
      const id = idOf(args.commentId, 'COMMENT_NOT_FOUND');
      return ctx.inTenant(args.tenantId, (trx, access, actor) => {
        // an official reply names a person of staff (the bootstrap operator is none)
        if (actor.kind !== 'staff') throw new DomainError('FORBIDDEN', '请使用工作人员账号回复评论');
        return replyOfficially(trx, access, { ...actor, kind: 'staff' }, id, args.body);
      });
    },
    assignMessage: (_r, args, ctx) => {
      const id = idOf(args.id, 'MESSAGE_NOT_FOUND');
      const assignee = idOf(args.assigneeId, 'STAFF_NOT_FOUND');
      return ctx.inTenant(args.tenantId, (trx, access, actor) =>
        assignMessage(trx, access, actor, id, assignee, args.note ?? null),
      );
    },
    replyToMessage: (_r, args, ctx) => {
      const id = idOf(args.id, 'MESSAGE_NOT_FOUND');
      return ctx.inTenant(args.tenantId, (trx, access, actor) =>
        replyToMessage(trx, access, actor, id, args.reply, args.public ?? false),
      );
    },
    closeMessage: (_r, args, ctx) => {
      const id = idOf(args.id, 'MESSAGE_NOT_FOUND');
      return ctx.inTenant(args.tenantId, (trx, access, actor) =>
        closeMessage(trx, access, actor, id, args.note ?? null),
      );
    },
  },
};
