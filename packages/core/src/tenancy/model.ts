import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { FaceRow, Tenant, TenantDomain, TenantLevel, TenantStatus } from '@yiduan/db';
import { DomainError, type FieldProblem } from '../errors.js';

// ── tenants and the tree ──────────────────────────────────────────────────────

export const LEVELS: readonly TenantLevel[] = ['province', 'city', 'county'];
const SLUG = /^[a-z][a-z0-9-]{1,39}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Slugs that name platform hosts (`<slug>.<public base domain>`), never a tenant. */
export const RESERVED_SLUGS = new Set([
  'www',
  'api',
  'console',
  'sso',
  'login',
  'admin',
  'static',
  'assets',
  'cdn',
  'mail',
]);

export const isUuid = (v: string): boolean => UUID.test(v);

/** Which parent levels each level accepts: a city under the province, a county under a city or the province. */
export function parentLevelAllowed(level: TenantLevel, parent: TenantLevel | null): boolean {
  if (level === 'province') return parent === null;
  if (level === 'city') return parent === 'province';
  return parent === 'province' || parent === 'city';
}

export function levelName(level: TenantLevel): string {
  return { province: '省级租户', city: '市级租户', county: '县级租户' }[level];
}

export interface NewTenantInput {
  slug: string;
  name: string;
  level: TenantLevel;
  parentId?: string | null;
  settings?: Record<string, unknown>;
}

export interface TenantPatch {
  name?: string;
  status?: TenantStatus;
  parentId?: string | null;
  settings?: Record<string, unknown>;
}

export function checkSlug(slug: string): void {
  if (!SLUG.test(slug)) {
    throw new DomainError('BAD_USER_INPUT', '标识只能使用小写字母、数字和连字符，以字母开头，长 2 到 40 个字符', [
      { path: 'slug', message: '格式不正确' },
    ]);
  }
  if (RESERVED_SLUGS.has(slug)) throw new DomainError('SLUG_TAKEN', `标识 ${slug} 为平台保留`);
}

export function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 64) {
    throw new DomainError('BAD_USER_INPUT', '名称长度应为 1 到 64 个字符', [{ path: 'name', message: '长度不正确' }]);
  }
  return trimmed;
}

// ── domains ───────────────────────────────────────────────────────────────────

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

/** The address a face is reached at: its primary domain, or `<slug>.<base domain>`. */
export function faceHost(tenant: Pick<Tenant, 'slug'>, domains: readonly TenantDomain[], baseDomain: string): string {
  return domains.find((d) => d.is_primary)?.host ?? `${tenant.slug}.${baseDomain}`;
}

// ── faces ─────────────────────────────────────────────────────────────────────

/** A face: the tenant's branded public front. Stored as validated JSON. */
const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$' });
const Label = Type.String({ minLength: 1, maxLength: 16 });
const Slug = Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' });
const HttpUrl = Type.String({ pattern: '^(https?://|/)[^\\s<>"]{1,500}$' });

export const Theme = Type.Object(
  {
    primary: Color,
    accent: Color,
    background: Color,
    text: Color,
    headerText: Color,
  },
  { additionalProperties: false },
);

export const NavItem = Type.Union([
  Type.Object({ kind: Type.Literal('home'), label: Label }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('section'), label: Label, section: Slug }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('link'), label: Label, url: HttpUrl }, { additionalProperties: false }),
]);

const Count = Type.Integer({ minimum: 1, maximum: 50 });
export const HomeModule = Type.Union([
  Type.Object({ module: Type.Literal('headlines'), count: Count }, { additionalProperties: false }),
  Type.Object({ module: Type.Literal('latest'), count: Count }, { additionalProperties: false }),
  Type.Object({ module: Type.Literal('section'), section: Slug, count: Count }, { additionalProperties: false }),
  Type.Object({ module: Type.Literal('pinned') }, { additionalProperties: false }),
  Type.Object({ module: Type.Literal('units') }, { additionalProperties: false }),
  Type.Object({ module: Type.Literal('messages') }, { additionalProperties: false }),
  Type.Object({ module: Type.Literal('follow') }, { additionalProperties: false }),
]);

const ShortText = (max: number) => Type.String({ maxLength: max });
export const Footer = Type.Object(
  {
    icp: Type.Optional(ShortText(40)),
    publicSecurity: Type.Optional(ShortText(40)),
    contact: Type.Optional(ShortText(120)),
    address: Type.Optional(ShortText(120)),
  },
  { additionalProperties: false },
);

export const Face = Type.Object(
  {
    siteName: Type.String({ minLength: 1, maxLength: 64 }),
    tagline: Type.String({ maxLength: 120 }),
    logoUrl: Type.Union([HttpUrl, Type.Null()]),
    faviconUrl: Type.Union([HttpUrl, Type.Null()]),
    theme: Theme,
    navigation: Type.Array(NavItem, { maxItems: 12 }),
    homeLayout: Type.Array(HomeModule, { maxItems: 20 }),
    footer: Footer,
  },
  { additionalProperties: false },
);

export type Theme = Static<typeof Theme>;
export type NavItem = Static<typeof NavItem>;
export type HomeModule = Static<typeof HomeModule>;
export type Footer = Static<typeof Footer>;
export type Face = Static<typeof Face>;

const checker = Compile(Face);

// WCAG 2 relative luminance and contrast ratio.
function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * ch[0]! + 0.7152 * ch[1]! + 0.0722 * ch[2]!;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Validates a whole face; throws FACE_INVALID listing every problem. */
export function validateFace(value: unknown): Face {
  const problems: FieldProblem[] = [];
  if (!checker.Check(value)) {
    const seen = new Set<string>();
    for (const e of checker.Errors(value)) {
      const key = `${e.instancePath}:${e.message}`;
      if (seen.has(key) || e.keyword === 'anyOf' || e.keyword === 'boolean') continue;
      seen.add(key);
      problems.push({ path: e.instancePath || '/', message: e.message });
    }
    throw new DomainError('FACE_INVALID', undefined, problems.slice(0, 20));
  }
  const face = value as Face;
  // Readability is part of validity: body and header text must reach WCAG AA (4.5:1).
  if (contrast(face.theme.text, face.theme.background) < 4.5) {
    problems.push({ path: '/theme/text', message: '正文颜色与背景色对比度不足 4.5:1' });
  }
  if (contrast(face.theme.headerText, face.theme.primary) < 4.5) {
    problems.push({ path: '/theme/headerText', message: '页头文字与主色对比度不足 4.5:1' });
  }
  if (problems.length) throw new DomainError('FACE_INVALID', undefined, problems);
  return face;
}

/** A sensible face for a new tenant, in the platform's default colours. */
export function defaultFace(siteName: string): Face {
  return {
    siteName,
    tagline: '',
    logoUrl: null,
    faviconUrl: null,
    theme: { primary: '#b71c1c', accent: '#f9a825', background: '#ffffff', text: '#1f2328', headerText: '#ffffff' },
    navigation: [{ kind: 'home', label: '首页' }],
    homeLayout: [{ module: 'headlines', count: 5 }, { module: 'latest', count: 20 }, { module: 'follow' }],
    footer: {},
  };
}

export interface StoredFace extends Face {
  tenantId: string;
  version: number;
  updatedAt: Date;
}

export function faceFromRow(row: FaceRow): StoredFace {
  return {
    tenantId: row.tenant_id,
    siteName: row.site_name,
    tagline: row.tagline,
    logoUrl: row.logo_url,
    faviconUrl: row.favicon_url,
    theme: row.theme as unknown as Face['theme'],
    navigation: row.navigation as Face['navigation'],
    homeLayout: row.home_layout as Face['homeLayout'],
    footer: row.footer as Face['footer'],
    version: row.version,
    updatedAt: row.updated_at,
  };
}

export type FacePatch = Partial<Face>;

export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
