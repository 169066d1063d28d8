import type { FaceView } from './face-view.js';
import { FaceLayout } from './face-layout.js';

/** A path this face does not have, in the face's own look. */
export function NotFoundPage({ face }: { face: FaceView }) {
  return (
    <FaceLayout face={face} title="页面不存在" path={null}>
      <h1>页面不存在</h1>
      <p>您访问的页面不存在或已被移除，请检查网址是否正确。</p>
      <p>
        <a href="/">返回首页</a>
      </p>
    </FaceLayout>
  );
}
