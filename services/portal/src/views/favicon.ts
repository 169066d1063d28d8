import { xml } from '../xml/escape.js';
import type { FaceView } from './face-view.js';
import { safeTheme } from './styles.js';

/** Where every face answers with its generated icon; `/favicon.ico` answers the same (browsers ask for it unprompted). */
export const FAVICON_PATH = '/favicon.svg';
export const FAVICON_PATHS = [FAVICON_PATH, '/favicon.ico'] as const;

/**
 * The face's own icon when it names none: its first character in its header text colour on its
 * primary colour (a pair validated for 4.5:1 contrast), as a small SVG. A wide logo makes a poor
 * 16-pixel icon, so the logo is not used; a face that wants its own sets `faviconUrl`.
 */
export function faviconSvg(face: Pick<FaceView, 'siteName' | 'theme'>): string {
  const { primary, headerText } = safeTheme(face.theme);
  // the first character as the reader sees it (a surrogate pair stays whole)
  const initial = xml(Array.from(face.siteName.trim())[0] ?? '');
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">' +
    `<rect width="64" height="64" rx="12" fill="${primary}"/>` +
    `<text x="32" y="45" font-size="38" font-weight="700" text-anchor="middle" fill="${headerText}" ` +
    'font-family="PingFang SC,Hiragino Sans GB,Microsoft YaHei,Noto Sans CJK SC,sans-serif">' +
    `${initial}</text></svg>`
  );
}

/** The `<link rel="icon">` of a face: the one it names, else the generated SVG. */
export function faviconLink(face: Pick<FaceView, 'faviconUrl'>): { href: string; type?: string } {
  return face.faviconUrl ? { href: face.faviconUrl } : { href: FAVICON_PATH, type: 'image/svg+xml' };
}
