/**
 * The hand-written baselines (issue #15): what a careful engineer would write by hand for the
 * same answer, with the same safety: the application role (row-level security applies), one
 * transaction opened with its scope the way packages/db opens it (BEGIN and the scope's
 * `set_config` calls in one simple-protocol round trip, built by the same `scopeStatement`),
 * one SQL statement, COMMIT. Three round trips per request, counted.
 *
 *   handMercurius  a Mercurius app (JIT, as the API) whose resolvers answer the own feed
 *                  (`stories`) and the face feed (`facePlacements`) with one statement each
 *   storyPageSql   the story page's one statement (used by portal-server.ts in `handpage` mode)
 *
 * What they leave out, on purpose: sessions, grants, loaders, the page cache, the view layer.
 * That is the gap the issue's 0.7× target is about.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import mercurius from 'mercurius';
import type pg from 'pg';
import { createPool, scopeStatement, type Scope } from '@yiduan/db';

/** One statement in one scoped transaction: BEGIN + scope (1 round trip), the statement (1), COMMIT (1). */
export class ScopedStatement {
  readonly pool: pg.Pool;
  /** client.query calls, i.e. round trips to PostgreSQL */
  roundTrips = 0;
  transactions = 0;

  constructor(appUrl: string, max = 10, applicationName = 'yiduan-bench-hand') {
    // the same pool (size, type parsers) as createDb gives a service
    this.pool = createPool(appUrl, { max, applicationName });
  }

  async run<R extends pg.QueryResultRow>(scope: Scope, text: string, values: unknown[]): Promise<R[]> {
    const open = `BEGIN; ${scopeStatement(scope)}`;
    const client = await this.pool.connect();
    this.transactions++;
    try {
      this.roundTrips += 3;
      await client.query(open);
      const { rows } = await client.query<R>(text, values);
      await client.query('COMMIT');
      return rows;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

// ------------------------------------------------------------------ GraphQL

/** The own feed: the tenant's 20 newest published stories with origin tenant, section and cover, in the tenant's scope. */
export const OWN_FEED_SQL = `SELECT s.id, s.published_at, t.id AS tenant_id, t.name AS tenant_name,
       sec.id AS section_id, sec.name AS section_name, r.title, r.summary,
       a.id AS cover_id, a.width AS cover_width, a.height AS cover_height
  FROM stories s
  JOIN tenants t ON t.id = s.tenant_id
  LEFT JOIN sections sec ON sec.tenant_id = s.tenant_id AND sec.id = s.section_id
  LEFT JOIN story_revisions r ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.published_revision
  LEFT JOIN assets a ON a.id = r.cover_asset_id
 WHERE s.tenant_id = $1 AND s.state = 'published'
 ORDER BY s.updated_at DESC, s.id DESC
 LIMIT $2`;

/** The face feed: what the face carries from others, with the story's public revision, origin and the face's section. */
export const FACE_FEED_SQL = `SELECT p.id, p.mode, p.placed_at, p.story_id, p.story_title,
       sec.id AS section_id, sec.name AS section_name,
       r.title, r.summary, s.published_at, o.id AS origin_id, o.name AS origin_name
  FROM placements p
  LEFT JOIN sections sec ON sec.tenant_id = p.tenant_id AND sec.id = p.section_id
  LEFT JOIN stories s ON s.tenant_id = p.origin_tenant_id AND s.id = p.story_id
  LEFT JOIN story_revisions r ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.published_revision
  JOIN tenants o ON o.id = p.origin_tenant_id
 WHERE p.tenant_id = $1 AND p.mode <> 'own'
 ORDER BY p.placed_at DESC, p.id DESC
 LIMIT $2`;

const SDL = `
enum StoryStatus { PUBLISHED }
type Tenant { id: ID! name: String! }
type Section { id: ID! name: String! }
type Asset { id: ID! url: String! width: Int! height: Int! }
type Revision { title: String! summary: String! cover: Asset }
type Story { id: ID! publishedAt: String tenant: Tenant! section: Section publishedRevision: Revision }
type StoryEdge { node: Story! }
type StoryConnection { edges: [StoryEdge!]! }
type SyndicatedStory { id: ID! title: String! summary: String! publishedAt: String origin: Tenant! }
type Placement { id: ID! mode: String! placedAt: String! section: Section story: SyndicatedStory! }
type Query {
  stories(tenantId: ID!, status: StoryStatus, first: Int = 20): StoryConnection!
  facePlacements(tenantId: ID!, first: Int = 50): [Placement!]!
}`;

interface OwnRow {
  id: string;
  published_at: Date | null;
  tenant_id: string;
  tenant_name: string;
  section_id: string | null;
  section_name: string | null;
  title: string | null;
  summary: string | null;
  cover_id: string | null;
  cover_width: number | null;
  cover_height: number | null;
}

interface FaceRow {
  id: string;
  mode: string;
  placed_at: Date;
  story_id: string;
  story_title: string | null;
  section_id: string | null;
  section_name: string | null;
  title: string | null;
  summary: string | null;
  published_at: Date | null;
  origin_id: string;
  origin_name: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const limit = (first: number | null | undefined): number => Math.min(Math.max(first ?? 20, 1), 100);

/** Answers the benchmarked query text as it is (same fields, same arguments) from a schema of just those fields. */
export interface HandServer {
  url: string;
  sql: ScopedStatement;
  close(): Promise<void>;
}

/** A Mercurius app answering both feeds with one statement each in the tenant's scope. */
export async function handMercurius(appUrl: string): Promise<HandServer> {
  const sql = new ScopedStatement(appUrl);
  const app = Fastify({ logger: false });
  await app.register(mercurius, {
    schema: SDL,
    jit: 1,
    resolvers: {
      Query: {
        stories: async (_root: unknown, args: { tenantId: string; first?: number }) => {
          const rows = await sql.run<OwnRow>({ tenantId: args.tenantId }, OWN_FEED_SQL, [
            args.tenantId,
            limit(args.first),
          ]);
          return {
            edges: rows.map((r) => ({
              node: {
                id: r.id,
                publishedAt: iso(r.published_at),
                tenant: { id: r.tenant_id, name: r.tenant_name },
                section: r.section_id ? { id: r.section_id, name: r.section_name } : null,
                publishedRevision:
                  r.title === null
                    ? null
                    : {
                        title: r.title,
                        summary: r.summary,
                        cover: r.cover_id
                          ? {
                              id: r.cover_id,
                              url: `/assets/${r.cover_id}`,
                              width: r.cover_width,
                              height: r.cover_height,
                            }
                          : null,
                      },
              },
            })),
          };
        },
        facePlacements: async (_root: unknown, args: { tenantId: string; first?: number }) => {
          const rows = await sql.run<FaceRow>({ tenantId: args.tenantId }, FACE_FEED_SQL, [
            args.tenantId,
            limit(args.first),
          ]);
          return rows.map((r) => ({
            id: r.id,
            mode: r.mode.toUpperCase(),
            placedAt: r.placed_at.toISOString(),
            section: r.section_id ? { id: r.section_id, name: r.section_name } : null,
            story: {
              id: r.story_id,
              title: r.title ?? r.story_title ?? '（已撤回或不可见）',
              summary: r.summary ?? '',
              publishedAt: iso(r.published_at),
              origin: { id: r.origin_id, name: r.origin_name },
            },
          }));
        },
      },
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    sql,
    close: async () => {
      await app.close();
      await sql.close();
    },
  };
}

// ------------------------------------------------------------------ the story page

/**
 * The story page's one statement, in the public scope (as the portal reads a page): the face's
 * placement of the story by its unique key (tenant_id, story_id), joined to the story, its
 * published revision, its origin and the face's section by their primary keys.
 */
export const STORY_PAGE_SQL = `SELECT s.id, s.published_at, coalesce(p.local_title, r.title) AS title, r.subtitle, r.summary,
       r.author_line, r.body, o.name AS origin_name, sec.name AS section_name
  FROM placements p
  JOIN stories s ON s.tenant_id = p.origin_tenant_id AND s.id = p.story_id
  JOIN story_revisions r ON r.tenant_id = s.tenant_id AND r.story_id = s.id AND r.number = s.published_revision
  JOIN tenants o ON o.id = s.tenant_id
  LEFT JOIN sections sec ON sec.tenant_id = p.tenant_id AND sec.id = p.section_id
 WHERE p.tenant_id = $1 AND p.story_id = $2 AND p.status = 'active' AND s.retracted_at IS NULL`;

export interface StoryPageRow {
  id: string;
  published_at: Date;
  title: string;
  subtitle: string;
  summary: string;
  author_line: string;
  body: unknown;
  origin_name: string;
  section_name: string | null;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Block = {
  type: string;
  text?: string;
  level?: number;
  items?: string[];
  url?: string;
  caption?: string;
  assetId?: string;
  alt?: string;
  cite?: string;
  ordered?: boolean;
};

function block(b: Block): string {
  switch (b.type) {
    case 'paragraph':
      return `<p>${esc(b.text)}</p>`;
    case 'heading':
      return `<h${b.level === 3 ? 3 : 2}>${esc(b.text)}</h${b.level === 3 ? 3 : 2}>`;
    case 'quote':
      return `<blockquote><p>${esc(b.text)}</p>${b.cite ? `<cite>${esc(b.cite)}</cite>` : ''}</blockquote>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${(b.items ?? []).map((i) => `<li>${esc(i)}</li>`).join('')}</${tag}>`;
    }
    case 'image':
      return `<figure><img src="/assets/${esc(b.assetId)}" alt="${esc(b.alt)}" loading="lazy">${b.caption ? `<figcaption>${esc(b.caption)}</figcaption>` : ''}</figure>`;
    default:
      return b.url ? `<p><a href="${esc(b.url)}" rel="noopener">${esc(b.caption || b.url)}</a></p>` : '';
  }
}

/** The page as a template string: the face's chrome (`chrome`, sized by the bench to the real page's) and the story. */
export function storyPageHtml(face: { name: string }, row: StoryPageRow, chrome: string): string {
  const body = Array.isArray(row.body) ? (row.body as Block[]).map(block).join('\n') : '';
  const when = row.published_at.toISOString();
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(row.title)} - ${esc(face.name)}</title><meta name="description" content="${esc(row.summary)}"><link rel="stylesheet" href="/static/site.css"></head>
<body><header class="site-header"><a class="site-header__name" href="/">${esc(face.name)}</a>${chrome}</header>
<main class="story"><nav class="crumbs"><a href="/">首页</a>${row.section_name ? ` › <span>${esc(row.section_name)}</span>` : ''}</nav>
<article><h1>${esc(row.title)}</h1>${row.subtitle ? `<p class="story__subtitle">${esc(row.subtitle)}</p>` : ''}
<p class="story__meta"><span>${esc(row.origin_name)}</span> <span>${esc(row.author_line)}</span> <time datetime="${when}">${when.slice(0, 16).replace('T', ' ')}</time></p>
<div class="story__body">${body}</div></article></main>
<footer class="site-footer"><p>${esc(face.name)} 版权所有</p></footer></body></html>`;
}

/** Navigation markup of about `bytes` bytes (UTF-8), shaped like a face's menu: the bench sizes it so the page matches the real one. */
export function chromeOf(bytes: number): string {
  const names = ['要闻', '本地', '政务', '民生', '文旅', '视频', '专题', '评论'];
  let out = '<nav class="site-nav"><ul>';
  for (let i = 0; Buffer.byteLength(out) < bytes - 11; i++)
    out += `<li><a href="/s/section-${i}">${names[i % names.length]}</a></li>`;
  return `${out}</ul></nav>`;
}
