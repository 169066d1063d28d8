import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { DomainError, type FieldProblem } from '../errors.js';

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
    homeLayout: [
      { module: 'headlines', count: 5 },
      { module: 'latest', count: 20 },
      { module: 'follow' },
    ],
    footer: {},
  };
}
