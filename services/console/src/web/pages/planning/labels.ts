// Labels of the planning screens shared between them (the coverage's state and kind, 任务).
import type * as S from '@yiduan/schema';
import type { Wire } from '../../types.js';

export type CoverageState = Wire<S.Assignment['state']>;
type Task = Wire<S.Assignment['task']>;

/** 任务状态: the coverage's stored state, in the order of the board's columns. */
export const COVERAGE_STATE: Record<CoverageState, string> = {
  ASSIGNED: '待接单',
  ACCEPTED: '已接单',
  IN_PROGRESS: '采写中',
  SUBMITTED: '已送审',
  COMPLETED: '已完成',
  DECLINED: '已拒单',
  CANCELLED: '已撤单',
};
export const COVERAGE_STATES = Object.keys(COVERAGE_STATE) as CoverageState[];
export const COVERAGE_STATE_COLOR: Record<CoverageState, string> = {
  ASSIGNED: 'gold',
  ACCEPTED: 'blue',
  IN_PROGRESS: 'processing',
  SUBMITTED: 'purple',
  COMPLETED: 'green',
  DECLINED: 'default',
  CANCELLED: 'default',
};
/** The kinds of coverage on the tasks (文字, 图片, 短视频, 直播, 海报/H5). */
export const COVERAGE_KIND: Record<Task, string> = {
  WRITE: '文字',
  PHOTO: '图片',
  VIDEO: '短视频',
  LIVE: '直播',
  DESIGN: '海报/H5',
  OTHER: '其他',
};
