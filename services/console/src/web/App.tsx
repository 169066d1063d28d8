/** @jsxImportSource react */
import { Button, Layout, Menu, Result, Select, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Forbidden } from './hooks.js';
import { LEVEL } from './labels.js';
import { match, navigate, usePath } from './router.js';
import { useAuth, useMaybeSession, useSession } from './session.js';
import { LoginPage } from './pages/Login.js';
import { StoriesPage } from './pages/Stories.js';
import { StoryEditorPage } from './pages/StoryEditor.js';
import { ReviewQueuePage } from './pages/ReviewQueue.js';
import { VideosPage } from './pages/Videos.js';
import {
  PoolPage,
  InboxPage,
  FacePlacementsPage,
  WhereIsMyStoryPage,
  SyndicationRulesPage,
} from './pages/Syndication.js';
import {
  SectionsPage,
  UnitsPage,
  ReviewChainPage,
  TerminologyPage,
  DomainsPage,
  RolesPage,
  OrganisationsPage,
  AuditPage,
} from './pages/Admin.js';
import { FaceSettingsPage } from './pages/FaceSettings.js';
import { AgreementsPage } from './pages/Agreements.js';
import { GovAccountsPage } from './pages/Accounts.js';
import { GovRoundsPage } from './pages/AccountRounds.js';
import { AccountClosuresPage } from './pages/AccountClosures.js';
import { AccountDashboardPage } from './pages/AccountDashboard.js';
import { MyTasksPage, PlanningInboxPage, PlanningPage } from './pages/Planning.js';
import { PlanningBoardPage } from './pages/planning/Board.js';
import { EXTRA_ROUTES, EXTRA_GROUPS } from './pages/extra.js';
import type { Route } from './route.js';

export type { Route };

const ROUTES: Route[] = [
  { path: '/stories', label: '稿件列表', group: 'content', can: (c) => c.member, render: () => <StoriesPage /> },
  {
    path: '/stories/new',
    label: '新建稿件',
    group: 'content',
    can: (c) => c.writeStories,
    render: () => <StoryEditorPage id={null} />,
  },
  {
    path: '/stories/:id',
    label: '编辑稿件',
    group: 'content',
    hidden: true,
    can: (c) => c.member,
    render: (p) => <StoryEditorPage id={p.id!} />,
  },
  { path: '/video-library', label: '视频库', group: 'content', can: (c) => c.member, render: () => <VideosPage /> },
  {
    path: '/review',
    label: '审校队列',
    group: 'content',
    can: (c) => c.reviewStories,
    render: () => <ReviewQueuePage />,
  },
  // the planning screens ask planningCapabilities themselves (any tenant-wide role reads; proposing, planning, campaigns by role)
  {
    path: '/planning',
    label: '选题与专题',
    group: 'planning',
    can: (c) => c.readTenant,
    render: () => <PlanningPage />,
  },
  {
    path: '/planning/tasks',
    label: '我的任务',
    group: 'planning',
    can: (c) => c.readTenant,
    render: () => <MyTasksPage />,
  },
  {
    path: '/planning/inbox',
    label: '上下级协同',
    group: 'planning',
    can: (c) => c.readTenant,
    render: () => <PlanningInboxPage />,
  },
  {
    path: '/planning/board',
    label: '指挥调度',
    group: 'planning',
    can: (c) => c.readTenant,
    render: () => <PlanningBoardPage />,
  },
  {
    path: '/syndication/pool',
    label: '下级稿件库（上推）',
    group: 'syndication',
    can: (c) => c.syndicate,
    render: () => <PoolPage />,
  },
  {
    path: '/syndication/inbox',
    label: '推荐收件箱',
    group: 'syndication',
    can: (c) => c.syndicate,
    render: () => <InboxPage />,
  },
  {
    path: '/syndication/placements',
    label: '本门户转载',
    group: 'syndication',
    can: (c) => c.syndicate,
    render: () => <FacePlacementsPage />,
  },
  {
    path: '/syndication/where',
    label: '稿件去向',
    group: 'syndication',
    can: (c) => c.member,
    render: () => <WhereIsMyStoryPage />,
  },
  {
    path: '/syndication/rules',
    label: '常设规则',
    group: 'syndication',
    can: (c) => c.syndicate || c.editSyndicationRules,
    render: () => <SyndicationRulesPage />,
  },
  ...EXTRA_ROUTES,
  // the screen asks govAccountCapabilities itself (read: any tenant-wide role but a reporter) and shows a 403 otherwise
  {
    path: '/accounts',
    label: '政务新媒体台账',
    group: 'accounts',
    can: (c) => c.readTenant,
    render: () => <GovAccountsPage />,
  },
  {
    path: '/accounts/rounds',
    label: '政务新媒体抽查',
    group: 'accounts',
    can: (c) => c.readTenant,
    render: () => <GovRoundsPage />,
  },
  {
    path: '/accounts/closures',
    label: '关停并转',
    group: 'accounts',
    can: (c) => c.readTenant,
    render: () => <AccountClosuresPage />,
  },
  {
    path: '/accounts/dashboard',
    label: '政务新媒体看板',
    group: 'accounts',
    can: (c) => c.readTenant,
    render: () => <AccountDashboardPage />,
  },
  {
    path: '/admin/sections',
    label: '栏目',
    group: 'admin',
    can: (c) => c.readTenant || c.manageSections,
    render: () => <SectionsPage />,
  },
  {
    path: '/admin/units',
    label: '政务号与成员',
    group: 'admin',
    can: (c) => c.manageUnits,
    render: () => <UnitsPage />,
  },
  {
    path: '/admin/review-chain',
    label: '审校流程',
    group: 'admin',
    can: (c) => c.readTenant || c.editReviewChain,
    render: () => <ReviewChainPage />,
  },
  {
    path: '/admin/terminology',
    label: '规范表述',
    group: 'admin',
    can: (c) => c.member,
    render: () => <TerminologyPage />,
  },
  {
    path: '/admin/face',
    label: '门户设置',
    group: 'admin',
    can: (c) => c.readTenant || c.editFace,
    render: () => <FaceSettingsPage />,
  },
  {
    path: '/admin/agreements',
    label: '用户协议与隐私政策',
    group: 'admin',
    can: (c) => c.editFace,
    render: () => <AgreementsPage />,
  },
  { path: '/admin/domains', label: '域名', group: 'admin', can: (c) => c.manageDomains, render: () => <DomainsPage /> },
  { path: '/admin/roles', label: '人员与角色', group: 'admin', can: (c) => c.manageStaff, render: () => <RolesPage /> },
  {
    path: '/admin/organisations',
    label: '代运营机构',
    group: 'admin',
    can: (c) => c.manageOrganisations,
    render: () => <OrganisationsPage />,
  },
  { path: '/admin/audit', label: '操作日志', group: 'admin', can: (c) => c.readAuditLog, render: () => <AuditPage /> },
];

const GROUPS: { key: string; label: string }[] = [
  { key: 'content', label: '稿件与审校' },
  { key: 'planning', label: '选题策划' },
  { key: 'syndication', label: '内容共享' },
  ...EXTRA_GROUPS,
  { key: 'accounts', label: '政务新媒体' },
  { key: 'admin', label: '管理' },
];

function resolve(path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    const params = match(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

function Shell() {
  const session = useSession();
  const path = usePath();
  const [collapsed, setCollapsed] = useState(false);
  const found = resolve(path);
  useEffect(() => {
    if (!found) navigate('/stories');
  }, [found]);
  const { can } = session;
  // the menu offers only what the API says this viewer may use in this tenant
  const items = useMemo(
    () =>
      GROUPS.map((g) => ({
        key: g.key,
        label: g.label,
        type: 'group' as const,
        children: ROUTES.filter((r) => r.group === g.key && !r.hidden && r.can(can)).map((r) => ({
          key: r.path,
          label: <span data-nav={r.path}>{r.label}</span>,
        })),
      })).filter((g) => g.children.length > 0),
    [can],
  );
  const selected = found?.route.hidden ? '/stories' : (found?.route.path ?? '/stories');
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        breakpoint="lg"
        collapsedWidth={0}
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={208}
        theme="light"
        style={{ borderRight: '1px solid #f0f0f0' }}
      >
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 16, color: '#b71c1c' }}>一端百面 · 控制台</div>
        <Menu
          mode="inline"
          selectedKeys={[selected]}
          items={items}
          onClick={(e) => {
            navigate(e.key);
            if (window.innerWidth < 992) setCollapsed(true);
          }}
          style={{ borderInlineEnd: 'none' }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 16px',
            borderBottom: '1px solid #f0f0f0',
            display: 'flex',
            alignItems: 'center',
            gap: 12,
            flexWrap: 'wrap',
            height: 'auto',
            minHeight: 64,
            lineHeight: '32px',
          }}
        >
          <Space wrap size={8} style={{ flex: 1 }}>
            <Typography.Text type="secondary">当前单位</Typography.Text>
            {session.workplaces.length > 1 ? (
              <Select
                data-testid="tenant-switcher"
                showSearch
                optionFilterProp="label"
                value={session.current.tenant.id}
                style={{ minWidth: 220 }}
                onChange={(id: string) => session.switchTenant(id)}
                options={session.workplaces.map((w) => ({
                  value: w.tenant.id,
                  label: `${w.tenant.name}（${LEVEL[w.tenant.level]}）`,
                }))}
              />
            ) : (
              <Typography.Text strong>{session.current.tenant.name}</Typography.Text>
            )}
            <Tag color="red" data-testid="current-role">
              当前角色：{session.roleText}
            </Tag>
          </Space>
          <Space size={8}>
            <Typography.Text>{session.viewer.name}</Typography.Text>
            <Button size="small" onClick={() => void session.logout()}>
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 16, maxWidth: 1400, width: '100%' }}>
          {/* a key per tenant: switching the tenant reloads every screen's data */}
          <div key={session.current.tenant.id}>
            {!found ? null : found.route.can(can) ? (
              found.route.render(found.params)
            ) : (
              <Forbidden
                title="您在当前单位没有使用此功能的权限"
                subTitle="如需使用，请联系单位管理员分配角色"
                extra={<Button onClick={() => navigate('/stories')}>返回稿件列表</Button>}
              />
            )}
          </div>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

export function App() {
  const auth = useAuth();
  const session = useMaybeSession();
  if (auth.status === 'loading')
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin tip="正在加载…" size="large">
          <div style={{ width: 200, height: 80 }} />
        </Spin>
      </div>
    );
  if (auth.status === 'anonymous') return <LoginPage />;
  if (auth.noTenant)
    return <Result status="403" title="您还没有任何单位的角色" subTitle="请联系单位管理员为您分配角色" />;
  if (!session)
    return auth.capabilityError ? (
      <Result
        status="error"
        title="无法读取您的权限"
        subTitle={auth.capabilityError}
        extra={<Button onClick={() => location.reload()}>重试</Button>}
      />
    ) : (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin tip="正在加载…" size="large">
          <div style={{ width: 200, height: 80 }} />
        </Spin>
      </div>
    );
  return <Shell />;
}
