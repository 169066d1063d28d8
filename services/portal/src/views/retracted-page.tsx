import type { RetractedStory } from '../data/story.js';
import type { FaceView } from './face-view.js';
import { FaceLayout } from './face-layout.js';
import { formatDateTime, isoShanghai } from './format.js';

/** 410 for a retracted story, on every face that carried it. */
export function RetractedPage({ face, story, own }: { face: FaceView; story: RetractedStory; own: boolean }) {
  return (
    <FaceLayout face={face} title="该稿件已撤回" path={null}>
      <h1 class="page-title">该稿件已撤回</h1>
      <div class="notice" role="note">
        {story.reason ? <p>撤回原因：{story.reason}</p> : null}
        <p>
          撤回时间：<time dateTime={isoShanghai(story.retractedAt)}>{formatDateTime(story.retractedAt)}</time>
        </p>
        {own ? null : <p>来源：{story.origin.name}</p>}
      </div>
      <p>
        <a href="/">返回首页</a>
      </p>
    </FaceLayout>
  );
}
