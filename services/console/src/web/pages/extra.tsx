/** @jsxImportSource react */
// Audience and data screens (schema/audience.graphql, schema/analytics.graphql). The data screens
// load on first use: they bring ECharts, which the other screens do not need.
import { Card } from 'antd';
import { lazy, Suspense, type ComponentType } from 'react';
import type { Route } from '../route.js';
import { CommentsPage, MembersPage, MessagesPage } from './Audience.js';

const later = (name: 'DashboardPage' | 'RankingsPage' | 'DormantPage') => {
  const Page = lazy(async () => ({ default: (await import('./Data.js'))[name] as ComponentType }));
  return function Lazy() {
    return (
      <Suspense fallback={<Card loading />}>
        <Page />
      </Suspense>
    );
  };
};
const DashboardPage = later('DashboardPage');
const RankingsPage = later('RankingsPage');
const DormantPage = later('DormantPage');

export const EXTRA_GROUPS: { key: string; label: string }[] = [
  { key: 'audience', label: '用户与互动' },
  { key: 'data', label: '数据' },
];
export const EXTRA_ROUTES: Route[] = [
  {
    path: '/audience/members',
    label: '粉丝与授权',
    group: 'audience',
    can: (c) => c.readMembers,
    render: () => <MembersPage />,
  },
  {
    path: '/audience/comments',
    label: '评论审核',
    group: 'audience',
    can: (c) => c.moderateAudience,
    render: () => <CommentsPage />,
  },
  {
    path: '/audience/messages',
    label: '留言办理',
    group: 'audience',
    can: (c) => c.answerMessages,
    render: () => <MessagesPage />,
  },
  {
    path: '/data/dashboard',
    can: (c) => c.readTenant,
    label: '数据看板',
    group: 'data',
    render: () => <DashboardPage />,
  },
  {
    path: '/data/rankings',
    can: (c) => c.readTenant,
    label: '传播力排行',
    group: 'data',
    render: () => <RankingsPage />,
  },
  {
    path: '/data/dormant',
    can: (c) => c.readTenant,
    label: '僵尸号监测',
    group: 'data',
    render: () => <DormantPage />,
  },
];
