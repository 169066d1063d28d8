import type { FaceView } from './face-view.js';
import { FaceLayout } from './face-layout.js';

/** The home page. Stories arrive in a later increment; until then the latest list is empty. */
export function HomePage({ face }: { face: FaceView }) {
  return (
    <FaceLayout face={face} path="/">
      <h1 class="sr-only">{face.siteName}</h1>
      <section class="module" aria-labelledby="latest-heading">
        <h2 id="latest-heading">最新稿件</h2>
        <p class="empty">暂无稿件，敬请关注。</p>
      </section>
    </FaceLayout>
  );
}
