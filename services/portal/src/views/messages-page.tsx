import type { FaceView } from './face-view.js';
import { FaceLayout } from './face-layout.js';
import { HeadMeta, type PageMeta } from './head-meta.js';

/** 留言 / 投诉建议: a placeholder until citizen messages arrive. */
export function MessagesPage({ face, meta }: { face: FaceView; meta: PageMeta }) {
  return (
    <FaceLayout face={face} title="留言 / 投诉建议" path="/messages" head={<HeadMeta meta={meta} />}>
      <h1 class="page-title">留言 / 投诉建议</h1>
      <p>在线留言服务即将开通，敬请期待。</p>
      {face.footer.contact ? <p>如有急事，请通过以下方式联系我们：{face.footer.contact}</p> : null}
      <p>
        <a href="/">返回首页</a>
      </p>
    </FaceLayout>
  );
}
