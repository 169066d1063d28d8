/** @jsxImportSource react */
import {
  App,
  Badge,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Progress,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { errorText, gql, subscribe } from '../api.js';
import { ErrorBox, ReadOnlyNote, useGql } from '../hooks.js';
import { fmtTime, LEVEL, MODE, PLACEMENT_STATUS, PLACEMENT_STATUS_COLOR, STATUS, STATUS_COLOR } from '../labels.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import type { Placement, PoolStory, StoryListItem, SyndicationJob, SyndicationRule, TenantLevel } from '../types.js';
import { PLACEMENT_FIELDS, StoryPlacements } from './Placements.js';

interface TreeTenant {
  id: string;
  name: string;
  level: TenantLevel;
  parent: { id: string } | null;
}

const JOB_FIELDS = 'id kind mandatory total done status';

/** Polls a fan-out job until it finishes: a push to 175 faces shows its progress. */
export function JobProgress({ tenantId, job }: { tenantId: string; job: SyndicationJob }) {
  const [state, setState] = useState(job);
  useEffect(() => {
    if (state.status !== 'running') return;
    const timer = setTimeout(() => {
      gql<{ syndicationJob: SyndicationJob | null }>(
        `query Job($tenantId: ID!, $id: ID!) { syndicationJob(tenantId: $tenantId, id: $id) { ${JOB_FIELDS} } }`,
        { tenantId, id: state.id },
      )
        .then((r) => r.syndicationJob && setState(r.syndicationJob))
        .catch(() => undefined);
    }, 700);
    return () => clearTimeout(timer);
  }, [state, tenantId]);
  const pct = state.total ? Math.round((state.done / state.total) * 100) : 100;
  return (
    <div data-testid="job-progress">
      <Progress
        percent={pct}
        status={state.status === 'failed' ? 'exception' : state.status === 'finished' ? 'success' : 'active'}
      />
      <Typography.Text data-testid="job-status">
        {state.status === 'finished'
          ? `已完成：${state.done}/${state.total} 个门户`
          : state.status === 'failed'
            ? '推送失败，请稍后重试'
            : `正在推送：${state.done}/${state.total} 个门户`}
      </Typography.Text>
    </div>
  );
}

/** Push a story down: the whole tree, one level, or picked faces; mandatory (下发) or offered (推荐). */
/** The push dialog's default target section: the API puts the story in each face's same-named section, else that face's default section. */
const SAME_SECTION = '';

export function PushDialog({
  open,
  onClose,
  storyId,
  title,
  sectionName,
}: {
  open: boolean;
  onClose: () => void;
  storyId: string;
  title: string;
  sectionName: string | null;
}) {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const { data, error } = useGql<{
    tenant: { descendants: TreeTenant[]; sections: { slug: string; name: string }[] } | null;
  }>(
    `query PushTargets($id: ID!) { tenant(id: $id) { id descendants { id name level parent { id } } sections { slug name } } }`,
    { id: tenantId },
  );
  const [scope, setScope] = useState<'ALL' | 'LEVEL' | 'LIST'>('ALL');
  const [level, setLevel] = useState<TenantLevel>('COUNTY');
  const [picked, setPicked] = useState<string[]>([]);
  const [mandatory, setMandatory] = useState(true);
  const [sectionSlug, setSectionSlug] = useState<string>(SAME_SECTION);
  const [busy, setBusy] = useState(false);
  const [pushError, setPushError] = useState<string | null>(null);
  const [job, setJob] = useState<SyndicationJob | null>(null);
  const tree = useMemo(() => {
    const list = data?.tenant?.descendants ?? [];
    interface TreeNode {
      value: string;
      title: string;
      children: TreeNode[];
    }
    const node = (t: TreeTenant): TreeNode => ({
      value: t.id,
      title: `${t.name}（${LEVEL[t.level]}）`,
      children: list.filter((c) => c.parent?.id === t.id).map(node),
    });
    return list.filter((t) => t.parent?.id === tenantId).map(node);
  }, [data, tenantId]);
  const count =
    scope === 'ALL'
      ? (data?.tenant?.descendants.length ?? 0)
      : scope === 'LEVEL'
        ? (data?.tenant?.descendants.filter((d) => d.level === level).length ?? 0)
        : picked.length;
  const push = async () => {
    setBusy(true);
    setPushError(null);
    try {
      const r = await gql<{ pushStory: SyndicationJob }>(
        `mutation Push($tenantId: ID!, $storyId: ID!, $input: PushInput!) { pushStory(tenantId: $tenantId, storyId: $storyId, input: $input) { ${JOB_FIELDS} } }`,
        {
          tenantId,
          storyId,
          input: {
            scope,
            mandatory,
            ...(scope === 'LEVEL' ? { level } : {}),
            ...(scope === 'LIST' ? { tenantIds: picked } : {}),
            ...(sectionSlug ? { sectionSlug } : {}),
          },
        },
      );
      setJob(r.pushStory);
    } catch (err) {
      setPushError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={`推送下级：${title}`}
      width={640}
      footer={
        job ? (
          <Button onClick={onClose}>关闭</Button>
        ) : (
          <Space>
            <Button onClick={onClose}>取消</Button>
            <Button
              type="primary"
              loading={busy}
              disabled={count === 0}
              onClick={() => void push()}
              data-testid="push-confirm"
            >
              推送到 {count} 个门户
            </Button>
          </Space>
        )
      }
    >
      <ErrorBox error={error ?? pushError} />
      {job ? (
        <JobProgress tenantId={tenantId} job={job} />
      ) : (
        <Form layout="vertical">
          <Form.Item label="推送范围">
            <Radio.Group
              value={scope}
              onChange={(e) => setScope(e.target.value as typeof scope)}
              data-testid="push-scope"
            >
              <Radio value="ALL">全部下级</Radio>
              <Radio value="LEVEL">按层级</Radio>
              <Radio value="LIST">指定门户</Radio>
            </Radio.Group>
          </Form.Item>
          {scope === 'LEVEL' ? (
            <Form.Item label="层级">
              <Select
                value={level}
                onChange={setLevel}
                options={(['CITY', 'COUNTY'] as const).map((l) => ({ value: l, label: LEVEL[l] }))}
              />
            </Form.Item>
          ) : null}
          {scope === 'LIST' ? (
            <Form.Item label="选择门户">
              <TreeSelect
                treeData={tree}
                value={picked}
                onChange={(v: string[]) => setPicked(v)}
                treeCheckable
                treeDefaultExpandAll
                showCheckedStrategy={TreeSelect.SHOW_ALL}
                placeholder="在单位树中勾选"
                style={{ width: '100%' }}
                data-testid="push-targets"
              />
            </Form.Item>
          ) : null}
          <Form.Item label="方式">
            <Space>
              <Switch checked={mandatory} onChange={setMandatory} data-testid="push-mandatory" />
              {mandatory ? '下发：必须刊发，只有本单位能撤下' : '推荐：进入对方收件箱，由对方接收或拒绝'}
            </Space>
          </Form.Item>
          <Form.Item
            label="放入对方栏目"
            extra={
              <span data-testid="push-section-note">
                {sectionSlug === SAME_SECTION
                  ? `每个门户放入与本稿栏目${sectionName ? `「${sectionName}」` : ''}同名的栏目；没有同名栏目的门户放入其默认栏目。`
                  : `每个门户放入标识相同的栏目「${(data?.tenant?.sections ?? []).find((s) => s.slug === sectionSlug)?.name ?? sectionSlug}」；没有该栏目的门户放入其默认栏目。`}
              </span>
            }
          >
            <Select
              value={sectionSlug}
              onChange={setSectionSlug}
              data-testid="push-section"
              options={[
                { value: SAME_SECTION, label: '同名栏目（无则默认栏目）' },
                ...(data?.tenant?.sections ?? []).map((s) => ({ value: s.slug, label: `${s.name}（无则默认栏目）` })),
              ]}
            />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

function SectionPicker({
  tenantId,
  value,
  onChange,
}: {
  tenantId: string;
  value: string | undefined;
  onChange: (v: string | undefined) => void;
}) {
  const { data } = useGql<{ tenant: { sections: { id: string; name: string }[] } | null }>(
    `query Sections($id: ID!) { tenant(id: $id) { id sections { id name } } }`,
    { id: tenantId },
  );
  return (
    <Select
      allowClear
      value={value}
      onChange={onChange}
      placeholder="不选：同名栏目（无则本门户默认栏目）"
      style={{ width: '100%' }}
      data-testid="section-picker"
      options={(data?.tenant?.sections ?? []).map((s) => ({ value: s.id, label: s.name }))}
    />
  );
}

export function PoolPage() {
  const { current } = useSession();
  const { message } = App.useApp();
  const tenantId = current.tenant.id;
  const [query, setQuery] = useState('');
  const [placed, setPlaced] = useState<boolean | null>(false);
  const [page, setPage] = useState(0);
  const { data, error, loading, reload } = useGql<{ pool: PoolStory[] }>(
    `query Pool($tenantId: ID!, $filter: PoolFilter, $offset: Int) { pool(tenantId: $tenantId, filter: $filter, first: 20, offset: $offset) { storyId kind title summary sectionName publishedAt placed tenant { id name slug level host } } }`,
    { tenantId, filter: { query: query || null, placed }, offset: page * 20 },
  );
  const [pulling, setPulling] = useState<PoolStory | null>(null);
  const [sectionId, setSectionId] = useState<string | undefined>();
  const [pullError, setPullError] = useState<string | null>(null);
  // in flight: the button spins and a second click cannot pull twice
  const [pullBusy, setPullBusy] = useState(false);
  const pull = async () => {
    if (!pulling || pullBusy) return;
    setPullError(null);
    setPullBusy(true);
    try {
      await gql(
        `mutation Pull($tenantId: ID!, $storyId: ID!, $sectionId: ID) { pullStory(tenantId: $tenantId, storyId: $storyId, sectionId: $sectionId) { id } }`,
        { tenantId, storyId: pulling.storyId, sectionId: sectionId ?? null },
      );
      message.success(`已转载「${pulling.title}」`);
      setPulling(null);
      reload();
    } catch (err) {
      setPullError(errorText(err));
    } finally {
      setPullBusy(false);
    }
  };
  return (
    <Card title="下级稿件库（上推转载）">
      <ErrorBox error={error} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="搜索标题"
          allowClear
          style={{ width: 240 }}
          onSearch={(v) => (setQuery(v.trim()), setPage(0))}
        />
        <Radio.Group
          value={placed === null ? 'all' : placed ? 'yes' : 'no'}
          onChange={(e) => (setPlaced(e.target.value === 'all' ? null : e.target.value === 'yes'), setPage(0))}
        >
          <Radio.Button value="no">未转载</Radio.Button>
          <Radio.Button value="yes">已转载</Radio.Button>
          <Radio.Button value="all">全部</Radio.Button>
        </Radio.Group>
      </Space>
      <Table<PoolStory>
        rowKey="storyId"
        loading={loading}
        pagination={false}
        scroll={{ x: 760 }}
        dataSource={data?.pool ?? []}
        columns={[
          { title: '标题', key: 't', render: (_, s) => <span data-testid="pool-title">{s.title}</span> },
          { title: '来源', key: 'o', width: 150, render: (_, s) => s.tenant.name },
          { title: '栏目', key: 's', width: 80, render: (_, s) => s.sectionName ?? '—' },
          { title: '发布', key: 'p', width: 150, render: (_, s) => fmtTime(s.publishedAt) },
          {
            title: '',
            key: 'a',
            width: 100,
            render: (_, s) =>
              s.placed ? (
                <Tag color="green">已转载</Tag>
              ) : (
                <Button
                  size="small"
                  type="primary"
                  onClick={() => (setPulling(s), setSectionId(undefined), setPullError(null))}
                  data-testid="pull"
                >
                  转载
                </Button>
              ),
          },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={page === 0} onClick={() => setPage(page - 1)}>
          上一页
        </Button>
        <Button disabled={(data?.pool.length ?? 0) < 20} onClick={() => setPage(page + 1)}>
          下一页
        </Button>
      </Space>
      <Modal
        open={!!pulling}
        title={`转载「${pulling?.title ?? ''}」到本门户`}
        okText="转载"
        cancelText="取消"
        onOk={() => void pull()}
        onCancel={() => setPulling(null)}
        okButtonProps={{ id: 'pull-confirm' }}
        confirmLoading={pullBusy}
      >
        <ErrorBox error={pullError} />
        <Typography.Paragraph type="secondary">
          转载后本门户将显示来源「{pulling?.tenant.name}」，原稿更正或撤稿时同步更新。
        </Typography.Paragraph>
        <SectionPicker tenantId={tenantId} value={sectionId} onChange={setSectionId} />
      </Modal>
    </Card>
  );
}

export function InboxPage() {
  const { current } = useSession();
  const { message, modal } = App.useApp();
  const tenantId = current.tenant.id;
  const { data, error, loading, reload } = useGql<{ inbox: Placement[] }>(
    `query Inbox($tenantId: ID!) { inbox(tenantId: $tenantId) { ${PLACEMENT_FIELDS} } }`,
    { tenantId },
  );
  const [live, setLive] = useState(false);
  useEffect(
    () =>
      subscribe(
        `subscription I($tenantId: ID!) { inboxChanged(tenantId: $tenantId) { tenantId count } }`,
        { tenantId },
        () => reload(),
        setLive,
      ),
    [tenantId, reload],
  );
  const [accepting, setAccepting] = useState<Placement | null>(null);
  const [sectionId, setSectionId] = useState<string | undefined>();
  const [actError, setActError] = useState<string | null>(null);
  const accept = async () => {
    if (!accepting) return;
    setActError(null);
    try {
      await gql(
        `mutation Accept($tenantId: ID!, $placementId: ID!, $sectionId: ID) { acceptOffer(tenantId: $tenantId, placementId: $placementId, sectionId: $sectionId) { id status } }`,
        { tenantId, placementId: accepting.id, sectionId: sectionId ?? null },
      );
      message.success('已接收，稿件已在本门户刊发');
      setAccepting(null);
      reload();
    } catch (err) {
      setActError(errorText(err));
    }
  };
  const decline = (p: Placement) => {
    let reason = '';
    modal.confirm({
      title: `拒绝「${p.story.title}」`,
      content: (
        <Input.TextArea
          autoFocus
          rows={3}
          placeholder="拒绝理由（必填，来源单位可见）"
          onChange={(e) => (reason = e.target.value)}
          data-testid="reason"
        />
      ),
      okText: '拒绝',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        if (!reason.trim()) {
          message.error('请填写拒绝理由');
          throw new Error('reason');
        }
        try {
          await gql(
            `mutation Decline($tenantId: ID!, $placementId: ID!, $reason: String!) { declineOffer(tenantId: $tenantId, placementId: $placementId, reason: $reason) { id status } }`,
            { tenantId, placementId: p.id, reason: reason.trim() },
          );
          message.success('已拒绝');
          reload();
        } catch (err) {
          message.error(errorText(err));
        }
      },
    });
  };
  return (
    <Card
      title={
        <Space>
          推荐收件箱
          <Badge status={live ? 'processing' : 'default'} text={live ? '实时更新中' : '未连接'} />
        </Space>
      }
    >
      <ErrorBox error={error} />
      <Table<Placement>
        rowKey="id"
        loading={loading}
        pagination={false}
        scroll={{ x: 700 }}
        dataSource={data?.inbox ?? []}
        locale={{ emptyText: '没有待处理的推荐稿件' }}
        columns={[
          { title: '标题', key: 't', render: (_, p) => <span data-testid="inbox-title">{p.story.title}</span> },
          { title: '来源', key: 'o', width: 150, render: (_, p) => p.story.origin.name },
          { title: '推荐时间', key: 'at', width: 150, render: (_, p) => fmtTime(p.placedAt) },
          {
            title: '操作',
            key: 'a',
            width: 170,
            render: (_, p) => (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  onClick={() => (setAccepting(p), setSectionId(p.section?.id), setActError(null))}
                  data-testid="accept"
                >
                  接收
                </Button>
                <Button size="small" danger onClick={() => decline(p)}>
                  拒绝
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!accepting}
        title={`接收「${accepting?.story.title ?? ''}」`}
        okText="接收并刊发"
        cancelText="取消"
        onOk={() => void accept()}
        onCancel={() => setAccepting(null)}
        okButtonProps={{ id: 'accept-confirm' }}
      >
        <ErrorBox error={actError} />
        <Typography.Paragraph>放入本门户的栏目：</Typography.Paragraph>
        <SectionPicker tenantId={tenantId} value={sectionId} onChange={setSectionId} />
      </Modal>
    </Card>
  );
}

export function FacePlacementsPage() {
  const { current, can } = useSession();
  const { message } = App.useApp();
  const tenantId = current.tenant.id;
  const { data, error, loading, reload } = useGql<{ facePlacements: Placement[] }>(
    `query FacePlacements($tenantId: ID!) { facePlacements(tenantId: $tenantId, first: 100) { ${PLACEMENT_FIELDS} } }`,
    { tenantId },
  );
  const act = async (mutation: string, vars: Record<string, unknown>, done: string) => {
    try {
      await gql(mutation, { tenantId, ...vars });
      message.success(done);
      reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Card title="本门户转载的稿件">
      <ErrorBox error={error} />
      <Table<Placement>
        rowKey="id"
        loading={loading}
        scroll={{ x: 860 }}
        dataSource={data?.facePlacements ?? []}
        columns={[
          { title: '标题', key: 't', render: (_, p) => p.localTitle ?? p.story.title },
          { title: '来源', key: 'o', width: 140, render: (_, p) => p.story.origin.name },
          { title: '方式', key: 'm', width: 150, render: (_, p) => MODE[p.mode] },
          {
            title: '状态',
            key: 's',
            width: 110,
            render: (_, p) => (
              <Tag color={PLACEMENT_STATUS_COLOR[p.status]} data-testid="placement-status">
                {PLACEMENT_STATUS[p.status]}
              </Tag>
            ),
          },
          { title: '栏目', key: 'sec', width: 80, render: (_, p) => p.section?.name ?? '—' },
          {
            title: '操作',
            key: 'a',
            width: 230,
            render: (_, p) =>
              // a retracted or taken-down origin: nothing to pin, remove or copy (the API refuses it too)
              p.status === 'ACTIVE' && !p.story.retracted && can.syndicate ? (
                <Space size={4} wrap>
                  <Button
                    size="small"
                    data-testid={p.pinned ? 'unpin' : 'pin'}
                    onClick={() =>
                      void act(
                        `mutation Pin($tenantId: ID!, $id: ID!, $pinned: Boolean) { updatePlacement(tenantId: $tenantId, placementId: $id, input: { pinned: $pinned }) { id } }`,
                        { id: p.id, pinned: !p.pinned },
                        p.pinned ? '已取消置顶' : '已置顶',
                      )
                    }
                  >
                    {p.pinned ? '取消置顶' : '置顶'}
                  </Button>
                  <Button
                    size="small"
                    disabled={p.mandatory}
                    onClick={() =>
                      void act(
                        `mutation Rm($tenantId: ID!, $id: ID!) { removePlacement(tenantId: $tenantId, placementId: $id) { id } }`,
                        { id: p.id },
                        '已撤下',
                      )
                    }
                  >
                    撤下
                  </Button>
                  {can.detachPlacements ? (
                    <Button
                      size="small"
                      onClick={() =>
                        void act(
                          `mutation Dt($tenantId: ID!, $id: ID!) { detachPlacement(tenantId: $tenantId, placementId: $id) { story { id } } }`,
                          { id: p.id },
                          '已另存为本单位稿件',
                        )
                      }
                    >
                      另存
                    </Button>
                  ) : null}
                </Space>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

const WHERE_FIELDS =
  'id status kind updatedAt publishedAt scheduledAt currentRevision { number title } section { id name } unit { id name } review { step steps revision } createdBy { name }';

export function WhereIsMyStoryPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  type List = { edges: { node: StoryListItem }[] };
  // published stories and those taken down or retracted since: their placements still tell where they went
  const { data, error } = useGql<{ published: List; unpublished: List; retracted: List }>(
    `query Published($tenantId: ID!) {
      published: stories(tenantId: $tenantId, status: PUBLISHED, first: 50) { edges { node { ${WHERE_FIELDS} } } }
      unpublished: stories(tenantId: $tenantId, status: UNPUBLISHED, first: 20) { edges { node { ${WHERE_FIELDS} } } }
      retracted: stories(tenantId: $tenantId, status: RETRACTED, first: 20) { edges { node { ${WHERE_FIELDS} } } }
    }`,
    { tenantId },
  );
  const [storyId, setStoryId] = useState<string | undefined>();
  const stories = data
    ? [...data.published.edges, ...data.unpublished.edges, ...data.retracted.edges].map((e) => e.node)
    : [];
  const chosen = stories.find((s) => s.id === storyId);
  return (
    <Card title="稿件去向">
      <ErrorBox error={error} />
      <Space wrap style={{ marginBottom: 16, width: '100%' }}>
        <Select
          showSearch
          optionFilterProp="label"
          placeholder="选择本单位发布过的稿件"
          style={{ minWidth: 360 }}
          value={storyId}
          onChange={setStoryId}
          options={stories.map((s) => ({
            value: s.id,
            label:
              s.status === 'PUBLISHED' ? s.currentRevision.title : `${s.currentRevision.title}（${STATUS[s.status]}）`,
          }))}
          data-testid="where-story"
        />
        {chosen ? (
          <Tag color={STATUS_COLOR[chosen.status]} data-testid="where-status">
            {STATUS[chosen.status]}
          </Tag>
        ) : null}
        {storyId ? <Button onClick={() => navigate(`/stories/${storyId}`)}>打开稿件</Button> : null}
      </Space>
      {storyId ? (
        <StoryPlacements tenantId={tenantId} storyId={storyId} />
      ) : (
        <Typography.Paragraph type="secondary">
          选择一篇稿件，查看它在哪些门户刊发、以何种方式（转载、下发、推荐），以及被拒绝的理由。
        </Typography.Paragraph>
      )}
    </Card>
  );
}

const RULE_KIND: Record<string, string> = {
  offer_down: '栏目稿件自动推荐给下级',
  push_down: '栏目稿件自动下发给下级',
  take_up: '按标签自动转载下级稿件',
};

export function SyndicationRulesPage() {
  const { current, can } = useSession();
  const { message } = App.useApp();
  const tenantId = current.tenant.id;
  const { data, error, loading, reload } = useGql<{
    syndicationRules: SyndicationRule[];
    tenant: { sections: { id: string; name: string; slug: string }[] } | null;
  }>(
    `query Rules($tenantId: ID!) { syndicationRules(tenantId: $tenantId) { id kind tag targetSectionSlug targetLevel enabled createdAt sourceSection { id name } } tenant(id: $tenantId) { id sections { id name slug } } }`,
    { tenantId },
  );
  const [form] = Form.useForm<{
    kind: string;
    sourceSectionId?: string;
    tag?: string;
    targetSectionSlug?: string;
    targetLevel?: TenantLevel;
  }>();
  const kind = Form.useWatch('kind', form);
  const [formError, setFormError] = useState<string | null>(null);
  const create = async (v: {
    kind: string;
    sourceSectionId?: string;
    tag?: string;
    targetSectionSlug?: string;
    targetLevel?: TenantLevel;
  }) => {
    setFormError(null);
    try {
      await gql(
        `mutation NewRule($tenantId: ID!, $input: SyndicationRuleInput!) { createSyndicationRule(tenantId: $tenantId, input: $input) { id } }`,
        { tenantId, input: v },
      );
      message.success('规则已添加');
      form.resetFields();
      reload();
    } catch (err) {
      setFormError(errorText(err));
    }
  };
  const toggle = async (r: SyndicationRule) => {
    try {
      await gql(
        `mutation T($tenantId: ID!, $id: ID!, $enabled: Boolean!) { setSyndicationRuleEnabled(tenantId: $tenantId, id: $id, enabled: $enabled) { id } }`,
        { tenantId, id: r.id, enabled: !r.enabled },
      );
      reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Card title="常设共享规则">
      <ErrorBox error={error ?? formError} />
      {can.editSyndicationRules ? null : <ReadOnlyNote />}
      {can.editSyndicationRules ? (
        <Form
          form={form}
          layout="inline"
          onFinish={(v) => void create(v)}
          style={{ marginBottom: 16, rowGap: 8 }}
          initialValues={{ kind: 'offer_down' }}
        >
          <Form.Item name="kind" label="规则">
            <Select
              style={{ width: 220 }}
              options={Object.entries(RULE_KIND).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          {kind === 'take_up' ? (
            <Form.Item name="tag" label="标签" rules={[{ required: true, message: '请填写标签' }]}>
              <Input style={{ width: 140 }} />
            </Form.Item>
          ) : (
            <>
              <Form.Item name="sourceSectionId" label="本单位栏目" rules={[{ required: true, message: '请选择栏目' }]}>
                <Select
                  style={{ width: 120 }}
                  options={(data?.tenant?.sections ?? []).map((s) => ({ value: s.id, label: s.name }))}
                />
              </Form.Item>
              <Form.Item name="targetLevel" label="下级层级">
                <Select
                  allowClear
                  style={{ width: 110 }}
                  placeholder="全部"
                  options={(['CITY', 'COUNTY'] as const).map((l) => ({ value: l, label: LEVEL[l] }))}
                />
              </Form.Item>
            </>
          )}
          <Form.Item name="targetSectionSlug" label="放入栏目">
            <Select
              allowClear
              style={{ width: 120 }}
              options={(data?.tenant?.sections ?? []).map((s) => ({ value: s.slug, label: s.name }))}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            添加规则
          </Button>
        </Form>
      ) : null}
      <Table<SyndicationRule>
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={data?.syndicationRules ?? []}
        scroll={{ x: 700 }}
        columns={[
          { title: '规则', key: 'k', render: (_, r) => RULE_KIND[r.kind] ?? r.kind },
          {
            title: '条件',
            key: 'c',
            render: (_, r) =>
              r.kind === 'take_up'
                ? `标签「${r.tag ?? ''}」`
                : `栏目「${r.sourceSection?.name ?? ''}」${r.targetLevel ? ` → ${LEVEL[r.targetLevel]}` : ''}`,
          },
          { title: '放入栏目', key: 's', render: (_, r) => r.targetSectionSlug ?? '—' },
          { title: '创建', key: 'at', render: (_, r) => fmtTime(r.createdAt) },
          {
            title: '启用',
            key: 'e',
            render: (_, r) => (
              <Switch checked={r.enabled} disabled={!can.editSyndicationRules} onChange={() => void toggle(r)} />
            ),
          },
        ]}
      />
    </Card>
  );
}
