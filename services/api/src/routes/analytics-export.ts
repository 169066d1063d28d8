import type { FastifyInstance } from 'fastify';
import {
  childTenants,
  dayOf,
  dormantAccounts,
  isDay,
  rankingForViewer,
  tenantById,
  tenantMap,
  tenantSeries,
  tenantTotals,
  toCsv,
  topStories,
  unitTotals,
  DomainError,
  type Figures,
} from '@yiduan/core';
import { withPlatform } from '@yiduan/db';
import { tenantRunner, viewerFrom } from '../auth.js';
import type { GraphQLContext } from '../context.js';
import { inAnalyticsScope, period } from '../resolvers/analytics.js';

type Deps = Pick<GraphQLContext, 'db' | 'config'>;

const FIGURE_HEADERS = [
  '阅读量',
  '独立访客',
  '读完',
  '分享',
  '稿件传播量',
  '被转载阅读量',
  '发稿数',
  '新增粉丝',
  '流失粉丝',
  '评论',
  '到期留言',
  '按期答复',
];
const figureCells = (f: Figures): number[] => [
  f.views,
  f.uniques,
  f.completions,
  f.shares,
  f.reachViews,
  f.syndicatedViews,
  f.storiesPublished,
  f.followersGained,
  f.followersLost,
  f.comments,
  f.messagesDue,
  f.messagesOnTime,
];

export const EXPORT_KINDS = [
  'daily',
  'tree',
  'children',
  'units',
  'stories',
  'county-ranking',
  'city-ranking',
  'unit-ranking',
  'dormant',
] as const;
type Kind = (typeof EXPORT_KINDS)[number];

interface Query {
  tenantId?: string;
  from?: string;
  to?: string;
  kind?: string;
}

/**
 * GET /exports/analytics.csv?tenantId=…&from=YYYY-MM-DD&to=YYYY-MM-DD&kind=… : the same figures
 * as the GraphQL analytics queries, under the same visibility rules (own and descendants; peers
 * in rankings by index and rank only), as a spreadsheet-safe CSV.
 */
export async function analyticsExportRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<{ Querystring: Query }>('/exports/analytics.csv', async (request, reply) => {
    const viewer = await viewerFrom(request, deps.config, deps.db);
    if (!viewer) throw new DomainError('UNAUTHENTICATED');
    const q = request.query;
    const kind = (q.kind ?? 'daily') as Kind;
    if (!EXPORT_KINDS.includes(kind))
      throw new DomainError('BAD_USER_INPUT', `导出类型应为：${EXPORT_KINDS.join('、')}`);
    const to = q.to ?? dayOf(Date.now());
    const from = q.from ?? to;
    const p = period(from, to);
    const ctx = { viewer, db: deps.db, inTenant: tenantRunner(deps.db, viewer) } as Pick<
      GraphQLContext,
      'viewer' | 'db' | 'inTenant'
    >;
    const tenantId = q.tenantId ?? '';
    const { header, rows, slug } = await inAnalyticsScope(ctx, tenantId, async (trx, via) => {
      const tenant = await tenantById(trx, tenantId);
      if (!tenant) throw new DomainError('TENANT_NOT_FOUND');
      const slug = tenant.slug;
      const names = async (ids: string[]) => new Map([...(await tenantMap(trx, ids))].map(([id, t]) => [id, t.name]));
      switch (kind) {
        case 'daily':
        case 'tree': {
          const series = await tenantSeries(trx, tenantId, kind === 'tree' ? 'tree' : 'own', p);
          return { slug, header: ['日期', ...FIGURE_HEADERS], rows: series.map((d) => [d.day, ...figureCells(d)]) };
        }
        case 'children': {
          const children = await childTenants(trx, tenantId);
          const totals = await tenantTotals(
            trx,
            children.map((c) => c.id),
            'tree',
            p,
          );
          return {
            slug,
            header: ['下级单位', ...FIGURE_HEADERS],
            rows: children.map((c) => [c.name, ...figureCells(totals.get(c.id)!)]),
          };
        }
        case 'units': {
          const units = await unitTotals(trx, tenantId, p);
          return { slug, header: ['政务号', ...FIGURE_HEADERS], rows: units.map((u) => [u.name, ...figureCells(u)]) };
        }
        case 'stories': {
          const stories = await topStories(trx, tenantId, p, 200);
          const faces = await names([...new Set(stories.flatMap((s) => s.faces.map((f) => f.faceTenantId)))]);
          return {
            slug,
            header: ['稿件', '稿件ID', '刊发门户', '阅读量', '独立访客', '读完', '分享'],
            rows: stories.flatMap((s) =>
              s.faces.map((f) => [
                s.title,
                s.storyId,
                faces.get(f.faceTenantId) ?? f.faceTenantId,
                f.views,
                f.uniques,
                f.completions,
                f.shares,
              ]),
            ),
          };
        }
        case 'county-ranking':
        case 'city-ranking':
        case 'unit-ranking': {
          const group =
            kind === 'unit-ranking'
              ? ({ kind: 'units', tenantId } as const)
              : ({ kind: 'level', level: kind === 'city-ranking' ? 'city' : 'county' } as const);
          const list = await withPlatform(deps.db, (ptrx) => rankingForViewer(ptrx, via, group, p));
          return {
            slug,
            header: ['名次', '名称', '传播力指数', '名次变化', ...FIGURE_HEADERS],
            rows: list.map((e) => [
              e.rank,
              e.name,
              e.index,
              e.movement ?? '',
              ...(e.figures ? figureCells(e.figures) : FIGURE_HEADERS.map(() => '')),
            ]),
          };
        }
        case 'dormant': {
          if (!isDay(to)) throw new DomainError('BAD_USER_INPUT');
          const list = await dormantAccounts(trx, tenantId, to, { all: false });
          const tn = await names([...new Set(list.map((a) => a.tenantId))]);
          const label = { sleeping: '睡眠', dormant: '僵尸' } as const;
          return {
            slug,
            header: ['所属单位', '账号', '状态', '未更新天数', '最后发布时间', '近8周发稿'],
            rows: list.map((a) => [
              tn.get(a.tenantId) ?? '',
              a.name,
              a.state ? label[a.state] : '正常',
              a.daysSilent,
              a.lastPublishedAt,
              a.trend.join(' '),
            ]),
          };
        }
      }
    });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="analytics-${kind}-${slug}-${from.replace(/-/g, '')}-${to.replace(/-/g, '')}.csv"`,
      )
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(toCsv(header, rows));
  });
}
