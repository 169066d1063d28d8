import type { ComponentChildren } from 'preact';
import { WHOAMI_SCRIPT_PATH } from '../site/urls.js';
import { Document } from './document.js';
import type { FaceView } from './face-view.js';
import { faviconLink } from './favicon.js';
import { SiteFooter } from './footer.js';
import { SiteHeader } from './header.js';
import { faceCss, safeTheme } from './styles.js';

export interface FaceLayoutProps {
  face: FaceView;
  /** the page title before the site name; none on the home page */
  title?: string;
  /** the path shown, to mark the current navigation entry */
  path: string | null;
  /** the page's own description; the tagline otherwise */
  description?: string;
  head?: ComponentChildren;
  children: ComponentChildren;
}

/** Every page of a face: skip link, header with navigation, main, footer. */
export function FaceLayout({ face, title, path, description, head, children }: FaceLayoutProps) {
  return (
    <Document
      title={title ? `${title} - ${face.siteName}` : face.siteName}
      description={description || face.tagline || undefined}
      css={faceCss(face.theme)}
      themeColor={safeTheme(face.theme).primary}
      icon={faviconLink(face)}
      head={
        <>
          {head}
          {/* writes the signed-in citizen's name into the header: the cached page is the same for everyone */}
          <script src={WHOAMI_SCRIPT_PATH} defer />
        </>
      }
    >
      <a class="skip-link" href="#main">
        跳到主要内容
      </a>
      <SiteHeader face={face} path={path} />
      <main id="main" tabIndex={-1}>
        <div class="wrap">{children}</div>
      </main>
      <SiteFooter face={face} />
    </Document>
  );
}
