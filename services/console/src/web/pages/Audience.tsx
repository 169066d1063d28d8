/** @jsxImportSource react */
import {
  App,
  Badge,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Drawer,
  Image,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { errorText, gql } from '../api.js';
import { ErrorBox, useGql } from '../hooks.js';
import { fmtTime } from '../labels.js';
import { useSession } from '../session.js';
import type { Finding } from '../types.js';
import { ExportButton } from './Export.js';
import { FindingList } from './StoryEditor.js';

const CONSENT: Record<string, string> = {
  NEWS: '接收新闻推送',
  CONTACT: '允许本单位联系',
  SHARE_PARENT: '允许与上级平台共享',
};
const MESSAGE_STATUS: Record<string, string> = {
  RECEIVED: '已受理',
  ASSIGNED: '办理中',
  REPLIED: '已答复',
  CLOSED: '已办结',
};
const MESSAGE_STATUS_COLOR: Record<string, string> = {
  RECEIVED: 'blue',
  ASSIGNED: 'gold',
  REPLIED: 'green',
  CLOSED: '#bfbfbf',
};
const CATEGORY: Record<string, string> = { CONSULTATION: '咨询', COMPLAINT: '投诉', SUGGESTION: '建议', HELP: '求助' };
const COMMENT_STATUS: Record<string, string> = {
  PENDING: '待审核',
  APPROVED: '已通过',
  REJECTED: '已拒绝',
  HIDDEN: '已隐藏',
  REPORTED: '被举报',
};

interface Member {
  id: string;
  displayName: string;
  unit: { id: string; name: string } | null;
  joinedAt: string;
  endedAt: string | null;
  consents: { purpose: string; granted: boolean; at: string }[];
  contact: string | null;
}

export function MembersPage() {
  const { current } = useSession();
  const tenantId = current.tenant.id;
  const [unitId, setUnitId] = useState<string | undefined>();
  const [includeEnded, setIncludeEnded] = useState(false);
  const [page, setPage] = useState(1);
  const { data, error, loading } = useGql<{
    members: { nodes: Member[]; totalCount: number };
    audienceCounts: {
      members: number;
      gained: number;
      lost: number;
      comments: number;
      messages: number;
      overdue: number;
    };
    tenant: { units: { id: string; name: string }[] } | null;
  }>(
    `query Members($tenantId: ID!, $unitId: ID, $includeEnded: Boolean, $offset: Int) {
      members(tenantId: $tenantId, unitId: $unitId, includeEnded: $includeEnded, first: 20, offset: $offset) { totalCount nodes { id displayName unit { id name } joinedAt endedAt contact consents { purpose granted at } } }
      audienceCounts(tenantId: $tenantId) { members gained lost comments messages overdue }
      tenant(id: $tenantId) { id units { id name } }
    }`,
    { tenantId, unitId: unitId ?? null, includeEnded, offset: (page - 1) * 20 },
  );
  const c = data?.audienceCounts;
  return (
    <Card
      title="粉丝与授权"
      extra={<ExportButton path={`/exports/members.csv?tenantId=${tenantId}`} name="members.csv" />}
    >
      <ErrorBox error={error} />
      <Row gutter={16} style={{ marginBottom: 16 }}>
        {(
          [
            ['members', '当前粉丝'],
            ['gained', '30 天新增'],
            ['lost', '30 天流失'],
            ['comments', '30 天评论'],
            ['messages', '30 天留言'],
            ['overdue', '逾期留言'],
          ] as const
        ).map(([k, label]) => (
          <Col key={k} xs={12} md={4}>
            <Statistic
              title={label}
              value={c ? c[k] : 0}
              loading={!c && loading}
              valueStyle={k === 'overdue' && c && c.overdue > 0 ? { color: '#cf1322' } : undefined}
            />
          </Col>
        ))}
      </Row>
      <Typography.Paragraph type="secondary">
        粉丝属于本单位：上级只能看到人数，看不到名单。联系方式仅在粉丝同意“允许本单位联系”期间显示，导出同样遵守。每次导出都记入操作日志。
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="关注的政务号"
          style={{ width: 200 }}
          value={unitId}
          onChange={(v: string | undefined) => (setUnitId(v), setPage(1))}
          options={(data?.tenant?.units ?? []).map((u) => ({ value: u.id, label: u.name }))}
        />
        <Checkbox checked={includeEnded} onChange={(e) => (setIncludeEnded(e.target.checked), setPage(1))}>
          包括已取消关注
        </Checkbox>
      </Space>
      <Table<Member>
        rowKey="id"
        size="middle"
        loading={loading}
        scroll={{ x: 760 }}
        dataSource={data?.members.nodes ?? []}
        pagination={{
          current: page,
          pageSize: 20,
          total: data?.members.totalCount ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (n) => `共 ${n} 人`,
        }}
        columns={[
          { title: '昵称', dataIndex: 'displayName' },
          { title: '关注', key: 'u', render: (_, m) => m.unit?.name ?? current.tenant.name },
          {
            title: '授权',
            key: 'c',
            render: (_, m) => (
              <Space size={4} wrap>
                {m.consents.map((x) => (
                  <Tag key={x.purpose} color={x.granted ? 'green' : 'default'}>
                    {x.granted ? '✓' : '✗'} {CONSENT[x.purpose] ?? x.purpose}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: '联系方式',
            key: 'ct',
            render: (_, m) => m.contact ?? <Typography.Text type="secondary">未授权</Typography.Text>,
          },
          {
            title: '关注时间',
            key: 'j',
            width: 150,
            render: (_, m) =>
              m.endedAt ? <Typography.Text delete>{fmtTime(m.joinedAt)}</Typography.Text> : fmtTime(m.joinedAt),
          },
        ]}
      />
    </Card>
  );
}

interface Comment {
  id: string;
  story: { id: string; title: string | null };
  authorName: string;
  body: string;
  official: boolean;
  status: string;
  heldReason: string | null;
  findings: Finding[];
  reports: number;
  createdAt: string;
  moderationNote: string | null;
}

export function CommentsPage() {
  const { current, can } = useSession();
  const { message, modal } = App.useApp();
  const tenantId = current.tenant.id;
  const [status, setStatus] = useState('PENDING');
  const [page, setPage] = useState(1);
  const { data, error, loading, reload } = useGql<{
    commentQueue: { nodes: Comment[]; totalCount: number };
    audienceSettings: { commentsPremoderated: boolean; commentsEnabled: boolean; messageDueDays: number };
  }>(
    `query Comments($tenantId: ID!, $status: CommentQueueFilter, $offset: Int) {
      commentQueue(tenantId: $tenantId, status: $status, first: 20, offset: $offset) { totalCount nodes { id story { id title } authorName body official status heldReason reports createdAt moderationNote findings { ruleId severity match replacement note field blockIndex start end } } }
      audienceSettings(tenantId: $tenantId) { commentsPremoderated commentsEnabled messageDueDays }
    }`,
    { tenantId, status, offset: (page - 1) * 20 },
  );
  const moderate = (c: Comment, decision: 'APPROVE' | 'REJECT' | 'HIDE') => {
    const go = async (note: string | null) => {
      try {
        await gql(
          `mutation M($tenantId: ID!, $id: ID!, $decision: ModerationDecision!, $note: String) { moderateComment(tenantId: $tenantId, id: $id, decision: $decision, note: $note) { id status } }`,
          { tenantId, id: c.id, decision, note },
        );
        message.success(decision === 'APPROVE' ? '已通过' : decision === 'REJECT' ? '已拒绝' : '已隐藏');
        reload();
      } catch (err) {
        message.error(errorText(err));
      }
    };
    if (decision === 'APPROVE') return void go(null);
    let note = '';
    modal.confirm({
      title: decision === 'REJECT' ? '拒绝这条评论' : '隐藏这条评论',
      content: (
        <Input.TextArea
          rows={3}
          autoFocus
          placeholder="理由（必填，记入审核记录）"
          onChange={(e) => (note = e.target.value)}
        />
      ),
      okText: '确定',
      cancelText: '取消',
      onOk: () => {
        if (!note.trim()) {
          message.error('请填写理由');
          return Promise.reject(new Error('note'));
        }
        void go(note.trim());
        return undefined;
      },
    });
  };
  const reply = (c: Comment) => {
    let body = '';
    modal.confirm({
      title: `官方回复「${c.authorName}」`,
      content: (
        <Input.TextArea
          rows={3}
          autoFocus
          placeholder="回复内容，将立即公开显示"
          onChange={(e) => (body = e.target.value)}
        />
      ),
      okText: '回复',
      cancelText: '取消',
      onOk: async () => {
        try {
          await gql(
            `mutation R($tenantId: ID!, $commentId: ID!, $body: String!) { replyToComment(tenantId: $tenantId, commentId: $commentId, body: $body) { id } }`,
            { tenantId, commentId: c.id, body },
          );
          message.success('已回复');
          reload();
        } catch (err) {
          message.error(errorText(err));
          throw err;
        }
      },
    });
  };
  const settings = data?.audienceSettings;
  const saveSettings = async (input: Record<string, unknown>) => {
    try {
      await gql(
        `mutation S($tenantId: ID!, $input: AudienceSettingsInput!) { setAudienceSettings(tenantId: $tenantId, input: $input) { commentsEnabled } }`,
        { tenantId, input },
      );
      message.success('设置已保存');
      reload();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Card title="评论审核">
      <ErrorBox error={error} />
      {settings ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <Switch
            checked={settings.commentsEnabled}
            disabled={!can.editAudienceSettings}
            onChange={(v) => void saveSettings({ commentsEnabled: v })}
          />{' '}
          开放评论
          <Switch
            checked={settings.commentsPremoderated}
            disabled={!can.editAudienceSettings}
            onChange={(v) => void saveSettings({ commentsPremoderated: v })}
          />{' '}
          先审后发
        </Space>
      ) : null}
      <div style={{ marginBottom: 12 }}>
        <Radio.Group value={status} onChange={(e) => (setStatus(e.target.value as string), setPage(1))}>
          {Object.entries(COMMENT_STATUS).map(([k, v]) => (
            <Radio.Button key={k} value={k}>
              {v}
            </Radio.Button>
          ))}
        </Radio.Group>
      </div>
      <Table<Comment>
        rowKey="id"
        loading={loading}
        scroll={{ x: 800 }}
        dataSource={data?.commentQueue.nodes ?? []}
        pagination={{
          current: page,
          pageSize: 20,
          total: data?.commentQueue.totalCount ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        locale={{ emptyText: '没有需要处理的评论' }}
        columns={[
          {
            title: '评论',
            key: 'b',
            render: (_, c) => (
              <div>
                <div>
                  {c.official ? <Tag color="red">官方</Tag> : null}
                  <Typography.Text strong>{c.authorName}</Typography.Text>：{c.body}
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  《{c.story.title ?? '稿件已下线'}》 · {fmtTime(c.createdAt)}
                  {c.heldReason ? ` · 待审原因：${c.heldReason}` : ''}
                  {c.reports ? ` · 被举报 ${c.reports} 次` : ''}
                </Typography.Text>
                <FindingList findings={c.findings} />
              </div>
            ),
          },
          { title: '状态', key: 's', width: 90, render: (_, c) => COMMENT_STATUS[c.status] ?? c.status },
          {
            title: '操作',
            key: 'a',
            width: 230,
            render: (_, c) => (
              <Space size={4} wrap>
                {c.status !== 'APPROVED' ? (
                  <Button size="small" type="primary" onClick={() => moderate(c, 'APPROVE')}>
                    通过
                  </Button>
                ) : null}
                {c.status === 'PENDING' ? (
                  <Button size="small" danger onClick={() => moderate(c, 'REJECT')}>
                    拒绝
                  </Button>
                ) : null}
                {c.status === 'APPROVED' ? (
                  <Button size="small" danger onClick={() => moderate(c, 'HIDE')}>
                    隐藏
                  </Button>
                ) : null}
                <Button size="small" onClick={() => reply(c)}>
                  回复
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

interface Message {
  id: string;
  serial: string;
  unit: { id: string; name: string } | null;
  category: string;
  title: string;
  body: string;
  photos: string[];
  contactName: string | null;
  contactPhone: string | null;
  allowPublic: boolean;
  status: string;
  assignee: { id: string; name: string } | null;
  dueAt: string;
  overdue: boolean;
  reply: string | null;
  replyPublic: boolean;
  repliedAt: string | null;
  rating: number | null;
  createdAt: string;
  events: {
    id: string;
    fromStatus: string | null;
    toStatus: string;
    staff: { name: string } | null;
    byCitizen: boolean;
    note: string | null;
    at: string;
  }[];
}
const MESSAGE_FIELDS = `id serial unit { id name } category title body photos contactName contactPhone allowPublic status assignee { id name } dueAt overdue reply replyPublic repliedAt rating createdAt events { id fromStatus toStatus staff { name } byCitizen note at }`;

export function MessagesPage() {
  const { current } = useSession();
  const { message } = App.useApp();
  const tenantId = current.tenant.id;
  const [status, setStatus] = useState<string | undefined>();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [page, setPage] = useState(1);
  const { data, error, loading, reload } = useGql<{
    messages: { nodes: Message[]; totalCount: number };
    staffMembers: { id: string; name: string; login: string }[];
    audienceSettings: { messageDueDays: number };
  }>(
    `query Messages($tenantId: ID!, $status: MessageStatus, $overdueOnly: Boolean, $offset: Int) {
      messages(tenantId: $tenantId, status: $status, overdueOnly: $overdueOnly, first: 20, offset: $offset) { totalCount nodes { ${MESSAGE_FIELDS} } }
      staffMembers(tenantId: $tenantId) { id name login }
      audienceSettings(tenantId: $tenantId) { messageDueDays }
    }`,
    { tenantId, status: status ?? null, overdueOnly, offset: (page - 1) * 20 },
  );
  const [open, setOpen] = useState<Message | null>(null);
  const [replyText, setReplyText] = useState('');
  const [replyPublic, setReplyPublic] = useState(false);
  const [assignee, setAssignee] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [actError, setActError] = useState<string | null>(null);
  const act = async (mutation: string, vars: Record<string, unknown>, field: string, done: string) => {
    setActError(null);
    try {
      const r = await gql<Record<string, Message>>(mutation, { tenantId, id: open?.id, ...vars });
      setOpen(r[field] ?? null);
      message.success(done);
      reload();
    } catch (err) {
      setActError(errorText(err));
    }
  };
  const show = (m: Message) => {
    setOpen(m);
    setReplyText(m.reply ?? '');
    setReplyPublic(m.replyPublic);
    setAssignee(m.assignee?.id);
    setNote('');
    setActError(null);
  };
  return (
    <Card
      title="留言与投诉建议"
      extra={
        data ? (
          <Typography.Text type="secondary">答复时限：{data.audienceSettings.messageDueDays} 个工作日</Typography.Text>
        ) : null
      }
    >
      <ErrorBox error={error} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 120 }}
          value={status}
          onChange={(v: string | undefined) => (setStatus(v), setPage(1))}
          options={Object.entries(MESSAGE_STATUS).map(([value, label]) => ({ value, label }))}
        />
        <Checkbox checked={overdueOnly} onChange={(e) => (setOverdueOnly(e.target.checked), setPage(1))}>
          只看逾期
        </Checkbox>
      </Space>
      <Table<Message>
        rowKey="id"
        loading={loading}
        scroll={{ x: 860 }}
        dataSource={data?.messages.nodes ?? []}
        pagination={{
          current: page,
          pageSize: 20,
          total: data?.messages.totalCount ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        onRow={(m) => ({ onClick: () => show(m), style: { cursor: 'pointer' } })}
        columns={[
          { title: '编号', dataIndex: 'serial', width: 130 },
          { title: '类别', key: 'c', width: 70, render: (_, m) => CATEGORY[m.category] ?? m.category },
          { title: '标题', key: 't', render: (_, m) => <a>{m.title}</a> },
          { title: '政务号', key: 'u', width: 150, render: (_, m) => m.unit?.name ?? '本单位' },
          {
            title: '状态',
            key: 's',
            width: 90,
            render: (_, m) => (
              <Badge color={MESSAGE_STATUS_COLOR[m.status]} text={MESSAGE_STATUS[m.status] ?? m.status} />
            ),
          },
          { title: '经办人', key: 'a', width: 100, render: (_, m) => m.assignee?.name ?? '—' },
          {
            title: '答复期限',
            key: 'd',
            width: 170,
            render: (_, m) => (
              <span>
                {fmtTime(m.dueAt)} {m.overdue ? <Tag color="red">逾期</Tag> : null}
              </span>
            ),
          },
        ]}
      />
      <Drawer
        width={Math.min(720, window.innerWidth)}
        open={!!open}
        onClose={() => setOpen(null)}
        title={open ? `${open.serial} · ${open.title}` : ''}
      >
        {open ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <ErrorBox error={actError} />
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label="类别">{CATEGORY[open.category]}</Descriptions.Item>
              <Descriptions.Item label="状态">
                {MESSAGE_STATUS[open.status]}
                {open.overdue ? (
                  <Tag color="red" style={{ marginLeft: 8 }}>
                    逾期
                  </Tag>
                ) : null}
              </Descriptions.Item>
              <Descriptions.Item label="答复期限">{fmtTime(open.dueAt)}</Descriptions.Item>
              <Descriptions.Item label="留言人">
                {open.contactName ?? '匿名'}
                {open.contactPhone ? ` · ${open.contactPhone}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label="内容">
                <div style={{ whiteSpace: 'pre-wrap' }}>{open.body}</div>
              </Descriptions.Item>
              {open.rating ? <Descriptions.Item label="满意度">{'★'.repeat(open.rating)}</Descriptions.Item> : null}
            </Descriptions>
            {open.photos.length ? (
              <Image.PreviewGroup>
                {open.photos.map((p) => (
                  <Image key={p} src={p} width={96} />
                ))}
              </Image.PreviewGroup>
            ) : null}
            {open.status !== 'CLOSED' ? (
              <>
                <Typography.Title level={5}>分派经办人</Typography.Title>
                <Space.Compact style={{ width: '100%' }}>
                  <Select
                    showSearch
                    optionFilterProp="label"
                    style={{ flex: 1 }}
                    value={assignee}
                    onChange={setAssignee}
                    options={(data?.staffMembers ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.login}）` }))}
                  />
                  <Button
                    disabled={!assignee}
                    onClick={() =>
                      void act(
                        `mutation A($tenantId: ID!, $id: ID!, $assigneeId: ID!) { assignMessage(tenantId: $tenantId, id: $id, assigneeId: $assigneeId) { ${MESSAGE_FIELDS} } }`,
                        { assigneeId: assignee },
                        'assignMessage',
                        '已分派',
                      )
                    }
                  >
                    分派
                  </Button>
                </Space.Compact>
                <Typography.Title level={5}>答复</Typography.Title>
                <Input.TextArea
                  rows={4}
                  value={replyText}
                  onChange={(e) => setReplyText(e.target.value)}
                  placeholder="答复内容"
                />
                <Space>
                  <Switch checked={replyPublic} disabled={!open.allowPublic} onChange={setReplyPublic} />
                  {open.allowPublic ? '在门户公开答复' : '留言人未同意公开'}
                  <Button
                    type="primary"
                    disabled={!replyText.trim()}
                    onClick={() =>
                      void act(
                        `mutation R($tenantId: ID!, $id: ID!, $reply: String!, $public: Boolean) { replyToMessage(tenantId: $tenantId, id: $id, reply: $reply, public: $public) { ${MESSAGE_FIELDS} } }`,
                        { reply: replyText.trim(), public: replyPublic },
                        'replyToMessage',
                        '已答复',
                      )
                    }
                  >
                    答复
                  </Button>
                </Space>
                <Typography.Title level={5}>办结</Typography.Title>
                <Space.Compact style={{ width: '100%' }}>
                  <Input
                    value={note}
                    onChange={(e) => setNote(e.target.value)}
                    placeholder={open.reply ? '办结说明（选填）' : '未答复的留言办结需填写说明'}
                  />
                  <Button
                    onClick={() =>
                      void act(
                        `mutation C($tenantId: ID!, $id: ID!, $note: String) { closeMessage(tenantId: $tenantId, id: $id, note: $note) { ${MESSAGE_FIELDS} } }`,
                        { note: note.trim() || null },
                        'closeMessage',
                        '已办结',
                      )
                    }
                  >
                    办结
                  </Button>
                </Space.Compact>
              </>
            ) : (
              <Typography.Paragraph>答复：{open.reply ?? '（无）'}</Typography.Paragraph>
            )}
            <Typography.Title level={5}>办理记录</Typography.Title>
            <Timeline
              items={open.events.map((e) => ({
                children: `${fmtTime(e.at)} · ${e.byCitizen ? '留言人' : (e.staff?.name ?? '系统')} · ${e.fromStatus ? `${MESSAGE_STATUS[e.fromStatus]} → ` : ''}${MESSAGE_STATUS[e.toStatus]}${e.note ? `：${e.note}` : ''}`,
              }))}
            />
          </Space>
        ) : null}
      </Drawer>
    </Card>
  );
}
