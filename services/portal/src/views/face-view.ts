import { defaultFace, type HomeModule, type StoredFace } from '@yiduan/core';

/**
 * The face as the views see it. Faces are validated on write, but a row can
 * still be edited by hand or by an old version, so everything is re-checked
 * here: unknown shapes are dropped, URLs must be http(s) or site-relative.
 */
export interface FaceView {
  siteName: string;
  tagline: string;
  logoUrl: string | null;
  faviconUrl: string | null;
  /** raw colours; styles.ts validates them before they reach CSS */
  theme: Record<string, unknown>;
  navigation: NavLink[];
  /** the home page's modules, in order */
  homeLayout: HomeModule[];
  footer: FooterView;
}

export interface NavLink {
  label: string;
  href: string;
  /** links leaving the face get rel="noopener" */
  external: boolean;
}

export interface FooterView {
  icp: string;
  publicSecurity: string;
  contact: string;
  address: string;
}

// Same rule as the face schema: http(s) or a path; never javascript:, data: and the like.
const SAFE_URL = /^(https?:\/\/|\/)[^\s<>"]{1,500}$/i;
const SECTION_SLUG = /^[a-z][a-z0-9-]{0,39}$/;

export function safeUrl(value: unknown): string | null {
  return typeof value === 'string' && SAFE_URL.test(value) ? value : null;
}

function text(value: unknown, max: number): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function navLink(item: unknown): NavLink | null {
  const i = record(item);
  const label = text(i.label, 16);
  if (!label) return null;
  if (i.kind === 'home') return { label, href: '/', external: false };
  if (i.kind === 'section' && typeof i.section === 'string' && SECTION_SLUG.test(i.section)) {
    return { label, href: `/s/${i.section}`, external: false };
  }
  if (i.kind === 'link') {
    const href = safeUrl(i.url);
    return href ? { label, href, external: /^https?:/i.test(href) || href.startsWith('//') } : null;
  }
  return null;
}

const count = (v: unknown): number =>
  typeof v === 'number' && Number.isInteger(v) ? Math.min(Math.max(v, 1), 50) : 10;

function homeModule(item: unknown): HomeModule | null {
  const m = record(item);
  switch (m.module) {
    case 'headlines':
    case 'latest':
      return { module: m.module, count: count(m.count) };
    case 'section':
      return typeof m.section === 'string' && SECTION_SLUG.test(m.section)
        ? { module: 'section', section: m.section, count: count(m.count) }
        : null;
    case 'pinned':
    case 'units':
    case 'messages':
    case 'follow':
      return { module: m.module };
    default:
      return null;
  }
}

export function faceView(face: StoredFace): FaceView {
  const footer = record(face.footer);
  const navigation: unknown[] = Array.isArray(face.navigation) ? face.navigation : [];
  return {
    siteName: text(face.siteName, 64) || '融媒体门户',
    tagline: text(face.tagline, 120),
    logoUrl: safeUrl(face.logoUrl),
    faviconUrl: safeUrl(face.faviconUrl),
    theme: record(face.theme),
    navigation: navigation
      .slice(0, 12)
      .map(navLink)
      .filter((l): l is NavLink => l !== null),
    homeLayout: Array.isArray(face.homeLayout)
      ? face.homeLayout
          .slice(0, 20)
          .map(homeModule)
          .filter((m): m is HomeModule => m !== null)
      : defaultFace('').homeLayout,
    footer: {
      icp: text(footer.icp, 40),
      publicSecurity: text(footer.publicSecurity, 40),
      contact: text(footer.contact, 120),
      address: text(footer.address, 120),
    },
  };
}

/** Which navigation entry is the current page, for aria-current. */
export function isCurrent(link: NavLink, path: string | null): boolean {
  return !link.external && path !== null && link.href === path;
}
