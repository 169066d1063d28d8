// 选题策划 (schema/planning.graphql), one file per screen under ./planning/: the desk's topics and
// campaigns (选题 · 专题), one's own tasks (我的任务) and the inboxes between levels (上下级协同);
// the board (指挥调度) is ./planning/Board.tsx. Every button follows `viewerCan` of the item.
export { PlanningPage } from './planning/Topics.js';
export { MyTasksPage } from './planning/Tasks.js';
export { PlanningInboxPage } from './planning/Inbox.js';
export { PROGRESS, TASK } from './planning/shared.js';
