import type { FaceView } from './face-view.js';
import { Navigation } from './navigation.js';
import { SearchBox } from './search-box.js';

export function SiteHeader({ face, path }: { face: FaceView; path: string | null }) {
  return (
    <header class="site-header">
      <div class="wrap header-inner">
        <a class="brand" href="/">
          {face.logoUrl ? <img src={face.logoUrl} alt={`${face.siteName}标志`} height={40} /> : null}
          <span>
            <span class="site-name">{face.siteName}</span>
            {face.tagline ? <span class="tagline">{face.tagline}</span> : null}
          </span>
        </a>
        <Navigation links={face.navigation} path={path} />
        <SearchBox />
        <a class="account-link" href="/me" rel="nofollow">
          登录 / 我的
        </a>
      </div>
    </header>
  );
}
