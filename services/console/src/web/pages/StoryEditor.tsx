/** @jsxImportSource react */
import {
  App,
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { VideoPicker } from './Videos.js';
import { useEffect, useMemo, useState } from 'react';
import { errorText, gql, uploadAsset } from '../api.js';
import { ErrorBox, useDebounced, useGql } from '../hooks.js';
import { EVENT_ACTION, fmtTime, KIND, REVIEW_ROLE, SEVERITY, SHARE, STATUS, STATUS_COLOR } from '../labels.js';
import { navigate, replacePath } from '../router.js';
import { useSession } from '../session.js';
import { STORY_TEXT_FIELDS, STORY_TEXT_SELECTION, type StoryTextName } from '../story-fields.js';
import type {
  Block,
  Face,
  FieldDiff,
  Finding,
  SectionRef,
  SharePolicy,
  StoryFull,
  StoryKind,
  UnitRef,
} from '../types.js';
import { FacePreview } from './FaceSettings.js';
import { StoryPlacements } from './Placements.js';
import { StoryCoverage } from './planning/StoryCoverage.js';
import { PushDialog } from './Syndication.js';

export const FACE_FIELDS = `siteName tagline logoUrl version theme { primary accent background text headerText } navigation { kind label section url } footer { icp publicSecurity contact address }`;
const FINDING_FIELDS = 'ruleId severity match replacement note field blockIndex start end';
const STORY_FIELDS = `id status kind sharePolicy updatedAt publishedAt scheduledAt firstPublishedAt retractedAt retractionReason
  viewerCan { edit submit withdraw approve reject publish schedule unpublish retract correct }
  tenant { id name slug level host }
  section { id name } unit { id name slug kind status } createdBy { name }
  review { step steps revision }
  currentRevision { number ${STORY_TEXT_SELECTION} tags body createdAt createdBy { name } cover { id url } }
  publishedRevision { number }
  revisions { number title createdAt }
  events { id action revision step actorName comment at }
  findings { ${FINDING_FIELDS} }
  corrections { id note revision createdAt }`;

const LOAD = `query StoryEditor($tenantId: ID!, $id: ID!, $withStory: Boolean!) {
  story(tenantId: $tenantId, id: $id) @include(if: $withStory) { ${STORY_FIELDS} }
  tenant(id: $tenantId) { id host sections { id name slug position reviewSteps } units { id name slug kind status } face { ${FACE_FIELDS} } }
}`;
const CHECK = `query Check($tenantId: ID!, $input: StoryContentInput!) { checkTerminology(tenantId: $tenantId, input: $input) { ${FINDING_FIELDS} } }`;
const PAYLOAD = `story { ${STORY_FIELDS} }`;

/** The story's declared texts (story-fields.ts, generated from the newsroom's declaration) and its settings. */
type Meta = Record<StoryTextName, string> & {
  tags: string[];
  sectionId: string | null;
  unitId: string | null;
  kind: StoryKind;
};

const textsOf = (src: Record<StoryTextName, string>) =>
  Object.fromEntries(STORY_TEXT_FIELDS.map((f) => [f.name, src[f.name]])) as Record<StoryTextName, string>;
const NO_TEXT = Object.fromEntries(STORY_TEXT_FIELDS.map((f) => [f.name, ''])) as Record<StoryTextName, string>;

const FIELD_NAME: Record<string, string> = {
  ...Object.fromEntries(STORY_TEXT_FIELDS.map((f) => [f.name, f.label])),
  tags: '标签',
  cover: '封面',
  linkUrl: '链接',
  body: '正文',
};
const BLOCK_NAME: Record<Block['type'], string> = {
  paragraph: '段落',
  heading: '小标题',
  image: '图片',
  quote: '引文',
  video: '视频',
  embed: '嵌入',
  list: '列表',
};

function emptyBlock(type: 'paragraph' | 'heading' | 'quote' | 'list'): Block {
  if (type === 'heading') return { type, text: '', level: 2 };
  if (type === 'list') return { type, ordered: false, items: [''] };
  return type === 'quote' ? { type, text: '' } : { type, text: '' };
}

/** Blocks as the API accepts them: empty text blocks (still being typed) are left out. */
function cleanBody(blocks: Block[]): Block[] {
  return blocks
    .map((b) => (b.type === 'list' ? { ...b, items: b.items.filter((i) => i.trim()) } : b))
    .filter((b) =>
      b.type === 'paragraph' || b.type === 'heading' || b.type === 'quote'
        ? b.text.trim() !== ''
        : b.type === 'list'
          ? b.items.length > 0
          : true,
    );
}

export function FindingList({ findings, testId }: { findings: Finding[]; testId?: string }) {
  if (!findings.length) return null;
  return (
    <div data-testid={testId ?? 'findings'} style={{ marginTop: 4, display: 'flex', flexDirection: 'column', gap: 4 }}>
      {findings.map((f, i) => (
        <Alert
          key={`${f.ruleId}-${f.field}-${f.start}-${i}`}
          type={f.severity === 'BLOCK' ? 'error' : 'warning'}
          showIcon
          className={`finding finding-${f.severity.toLowerCase()}`}
          style={{ padding: '2px 8px' }}
          message={
            <span>
              <Tag color={f.severity === 'BLOCK' ? 'red' : 'orange'}>{SEVERITY[f.severity]}</Tag>「{f.match}」
              {f.replacement ? <>→ 建议改为「{f.replacement}」</> : null}
              {f.note ? <Typography.Text type="secondary">（{f.note}）</Typography.Text> : null}
            </span>
          }
        />
      ))}
    </div>
  );
}

function BlockEditor({
  blocks,
  setBlocks,
  findings,
  tenantId,
}: {
  blocks: Block[];
  setBlocks: (b: Block[]) => void;
  findings: Finding[];
  tenantId: string;
}) {
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  const update = (i: number, b: Block) => setBlocks(blocks.map((x, j) => (j === i ? b : x)));
  const move = (i: number, d: -1 | 1) => {
    const next = [...blocks];
    const j = i + d;
    if (j < 0 || j >= next.length) return;
    [next[i], next[j]] = [next[j]!, next[i]!];
    setBlocks(next);
  };
  return (
    <div data-testid="block-editor">
      {blocks.map((b, i) => {
        const own = findings.filter((f) => f.blockIndex === i);
        return (
          <Card
            key={i}
            size="small"
            style={{ marginBottom: 8 }}
            title={<Typography.Text type="secondary">{BLOCK_NAME[b.type]}</Typography.Text>}
            extra={
              <Space size={4}>
                <Button size="small" onClick={() => move(i, -1)} disabled={i === 0} aria-label="上移">
                  ↑
                </Button>
                <Button size="small" onClick={() => move(i, 1)} disabled={i === blocks.length - 1} aria-label="下移">
                  ↓
                </Button>
                <Button size="small" danger onClick={() => setBlocks(blocks.filter((_, j) => j !== i))}>
                  删除
                </Button>
              </Space>
            }
          >
            {b.type === 'paragraph' || b.type === 'quote' ? (
              <Input.TextArea
                autoSize={{ minRows: 2 }}
                value={b.text}
                placeholder={b.type === 'quote' ? '引文内容' : '正文段落'}
                onChange={(e) => update(i, { ...b, text: e.target.value })}
                data-testid={`block-${i}`}
                status={own.some((f) => f.severity === 'BLOCK') ? 'error' : own.length ? 'warning' : ''}
              />
            ) : b.type === 'heading' ? (
              <Space.Compact style={{ width: '100%' }}>
                <Select
                  value={b.level}
                  style={{ width: 90 }}
                  onChange={(level: 2 | 3) => update(i, { ...b, level })}
                  options={[
                    { value: 2, label: '二级' },
                    { value: 3, label: '三级' },
                  ]}
                />
                <Input
                  value={b.text}
                  placeholder="小标题"
                  onChange={(e) => update(i, { ...b, text: e.target.value })}
                  data-testid={`block-${i}`}
                />
              </Space.Compact>
            ) : b.type === 'list' ? (
              <Input.TextArea
                autoSize={{ minRows: 2 }}
                value={b.items.join('\n')}
                placeholder="每行一项"
                onChange={(e) => update(i, { ...b, items: e.target.value.split('\n') })}
                data-testid={`block-${i}`}
              />
            ) : b.type === 'image' ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                <img
                  src={`/assets/${b.assetId}`}
                  alt={b.alt ?? ''}
                  style={{ maxWidth: '100%', maxHeight: 240, objectFit: 'contain' }}
                  data-testid="image-block"
                />
                <Input
                  value={b.caption ?? ''}
                  placeholder="图片说明"
                  onChange={(e) => update(i, { ...b, caption: e.target.value })}
                />
              </Space>
            ) : b.type === 'video' && b.videoId ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                <img
                  src={`/videos/${b.videoId}/poster.jpg`}
                  alt=""
                  style={{ maxWidth: '100%', maxHeight: 240, objectFit: 'contain' }}
                  data-testid="video-block"
                />
                <Input
                  value={b.caption ?? ''}
                  placeholder="视频说明"
                  onChange={(e) => update(i, { ...b, caption: e.target.value })}
                />
              </Space>
            ) : (
              <Input value={b.url ?? ''} onChange={(e) => update(i, { ...b, url: e.target.value })} />
            )}
            <FindingList findings={own} testId={`findings-block-${i}`} />
          </Card>
        );
      })}
      <Space wrap>
        <Button onClick={() => setBlocks([...blocks, emptyBlock('paragraph')])} data-testid="add-paragraph">
          + 段落
        </Button>
        <Button onClick={() => setBlocks([...blocks, emptyBlock('heading')])}>+ 小标题</Button>
        <Button onClick={() => setBlocks([...blocks, emptyBlock('quote')])}>+ 引文</Button>
        <Button onClick={() => setBlocks([...blocks, emptyBlock('list')])}>+ 列表</Button>
        <Upload
          accept="image/jpeg,image/png,image/webp,image/gif"
          showUploadList={false}
          customRequest={(opts) => {
            const file = opts.file as File;
            setUploading(true);
            uploadAsset(tenantId, file, file.name)
              .then((a) => {
                setBlocks([...blocks, { type: 'image', assetId: a.id, caption: '' }]);
                message.success('图片已上传');
                opts.onSuccess?.(a);
              })
              .catch((err: unknown) => {
                message.error(errorText(err));
                opts.onError?.(new Error(errorText(err)));
              })
              .finally(() => setUploading(false));
          }}
        >
          <Button loading={uploading} data-testid="upload-image">
            + 图片（上传）
          </Button>
        </Upload>
        <VideoPicker
          tenantId={tenantId}
          onPick={(v) => setBlocks([...blocks, { type: 'video', videoId: v.id, caption: v.title }])}
        />
      </Space>
    </div>
  );
}

function DiffView({
  storyId,
  tenantId,
  revisions,
}: {
  storyId: string;
  tenantId: string;
  revisions: StoryFull['revisions'];
}) {
  const numbers = revisions.map((r) => r.number).sort((a, b) => a - b);
  const [from, setFrom] = useState(numbers.length > 1 ? numbers[numbers.length - 2]! : (numbers[0] ?? 1));
  const [to, setTo] = useState(numbers[numbers.length - 1] ?? 1);
  const { data, error, loading } = useGql<{ story: { compare: FieldDiff[] } | null }>(
    `query Compare($tenantId: ID!, $id: ID!, $from: Int!, $to: Int!) { story(tenantId: $tenantId, id: $id) { compare(from: $from, to: $to) { field changed parts { op text } } } }`,
    { tenantId, id: storyId, from, to },
  );
  const opts = revisions.map((r) => ({ value: r.number, label: `第 ${r.number} 版 · ${fmtTime(r.createdAt)}` }));
  const changed = (data?.story?.compare ?? []).filter((d) => d.changed);
  return (
    <div data-testid="diff">
      <Table
        size="small"
        rowKey="number"
        pagination={false}
        dataSource={revisions}
        style={{ marginBottom: 16 }}
        columns={[
          { title: '版本', dataIndex: 'number', width: 80, render: (n: number) => `第 ${n} 版` },
          { title: '标题', dataIndex: 'title' },
          { title: '保存时间', dataIndex: 'createdAt', width: 170, render: (v: string) => fmtTime(v) },
        ]}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        对比 <Select value={from} options={opts} style={{ width: 220 }} onChange={setFrom} /> 与{' '}
        <Select value={to} options={opts} style={{ width: 220 }} onChange={setTo} />
      </Space>
      <ErrorBox error={error} />
      {!loading && changed.length === 0 ? <Empty description="两个版本内容相同" /> : null}
      {changed.map((d) => (
        <div key={d.field} style={{ marginBottom: 12 }}>
          <Typography.Text strong>{FIELD_NAME[d.field] ?? d.field}</Typography.Text>
          <Row gutter={8}>
            <Col xs={24} md={12}>
              <div
                className="diff-side"
                style={{
                  whiteSpace: 'pre-wrap',
                  background: '#fff8f8',
                  border: '1px solid #f0d0d0',
                  padding: 8,
                  minHeight: 40,
                }}
              >
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  第 {from} 版
                </Typography.Text>
                <div>
                  {d.parts
                    .filter((p) => p.op !== 'insert')
                    .map((p, i) =>
                      p.op === 'delete' ? (
                        <del key={i} style={{ background: '#ffccc7' }}>
                          {p.text}
                        </del>
                      ) : (
                        <span key={i}>{p.text}</span>
                      ),
                    )}
                </div>
              </div>
            </Col>
            <Col xs={24} md={12}>
              <div
                className="diff-side"
                style={{
                  whiteSpace: 'pre-wrap',
                  background: '#f6fff6',
                  border: '1px solid #cfe8cf',
                  padding: 8,
                  minHeight: 40,
                }}
              >
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  第 {to} 版
                </Typography.Text>
                <div>
                  {d.parts
                    .filter((p) => p.op !== 'delete')
                    .map((p, i) =>
                      p.op === 'insert' ? (
                        <ins key={i} style={{ background: '#b7eb8f', textDecoration: 'none' }}>
                          {p.text}
                        </ins>
                      ) : (
                        <span key={i}>{p.text}</span>
                      ),
                    )}
                </div>
              </div>
            </Col>
          </Row>
        </div>
      ))}
    </div>
  );
}

export function ArticlePreview({
  face,
  meta,
  blocks,
  sectionName,
  tenantName,
}: {
  face: Face;
  meta: Record<StoryTextName, string>;
  blocks: Block[];
  sectionName?: string;
  tenantName: string;
}) {
  return (
    <FacePreview face={face}>
      <article style={{ maxWidth: 720, margin: '0 auto', color: face.theme.text }} data-testid="article-preview">
        {sectionName ? <div style={{ color: face.theme.accent, fontSize: 13 }}>{sectionName}</div> : null}
        {meta.kicker ? (
          <div style={{ fontSize: 15, color: face.theme.primary }} data-testid="preview-kicker">
            {meta.kicker}
          </div>
        ) : null}
        <h1 style={{ fontSize: 26, margin: '8px 0' }}>{meta.title || '（无标题）'}</h1>
        {meta.subtitle ? <h2 style={{ fontSize: 17, fontWeight: 400, color: '#666' }}>{meta.subtitle}</h2> : null}
        <div style={{ color: '#888', fontSize: 13, marginBottom: 16 }}>{meta.authorLine || tenantName}</div>
        {meta.summary ? (
          <p style={{ background: '#f7f7f7', padding: 12, borderLeft: `3px solid ${face.theme.primary}` }}>
            {meta.summary}
          </p>
        ) : null}
        {blocks.map((b, i) =>
          b.type === 'paragraph' ? (
            <p key={i} style={{ lineHeight: 1.9, textIndent: '2em' }}>
              {b.text}
            </p>
          ) : b.type === 'heading' ? (
            b.level === 2 ? (
              <h2 key={i}>{b.text}</h2>
            ) : (
              <h3 key={i}>{b.text}</h3>
            )
          ) : b.type === 'quote' ? (
            <blockquote
              key={i}
              style={{ borderLeft: `3px solid ${face.theme.accent}`, paddingLeft: 12, color: '#555' }}
            >
              {b.text}
              {b.cite ? <footer>—— {b.cite}</footer> : null}
            </blockquote>
          ) : b.type === 'list' ? (
            b.ordered ? (
              <ol key={i}>
                {b.items.map((x, j) => (
                  <li key={j}>{x}</li>
                ))}
              </ol>
            ) : (
              <ul key={i}>
                {b.items.map((x, j) => (
                  <li key={j}>{x}</li>
                ))}
              </ul>
            )
          ) : b.type === 'image' ? (
            <figure key={i} style={{ margin: '12px 0' }}>
              <img src={`/assets/${b.assetId}`} alt={b.alt ?? ''} style={{ maxWidth: '100%' }} />
              {b.caption ? <figcaption style={{ color: '#888', fontSize: 13 }}>{b.caption}</figcaption> : null}
            </figure>
          ) : b.type === 'video' && b.videoId ? (
            <figure key={i} style={{ margin: '12px 0' }}>
              <img src={`/videos/${b.videoId}/poster.jpg`} alt="" style={{ maxWidth: '100%' }} />
              {b.caption ? <figcaption style={{ color: '#888', fontSize: 13 }}>{b.caption}</figcaption> : null}
            </figure>
          ) : (
            <p key={i}>
              <a href={b.url} target="_blank" rel="noreferrer">
                {b.caption || b.url}
              </a>
            </p>
          ),
        )}
      </article>
    </FacePreview>
  );
}

interface LoadData {
  story?: StoryFull | null;
  tenant: { id: string; host: string; sections: SectionRef[]; units: UnitRef[]; face: Face } | null;
}

export function StoryEditorPage({ id }: { id: string | null }) {
  const session = useSession();
  const { message, modal } = App.useApp();
  const tenantId = session.current.tenant.id;
  const { data, error, loading } = useGql<LoadData>(LOAD, {
    tenantId,
    id: id ?? '00000000-0000-0000-0000-000000000000',
    withStory: id !== null,
  });
  const [story, setStory] = useState<StoryFull | null>(null);
  const [meta, setMeta] = useState<Meta>({
    ...NO_TEXT,
    tags: [],
    sectionId: null,
    unitId: session.current.units[0]?.id ?? null,
    kind: 'ARTICLE',
  });
  const [blocks, setBlocks] = useState<Block[]>([{ type: 'paragraph', text: '' }]);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [pushOpen, setPushOpen] = useState(false);
  const [tab, setTab] = useState('edit');

  const adopt = (s: StoryFull) => {
    setStory(s);
    const r = s.currentRevision;
    setMeta({
      ...textsOf(r),
      tags: r.tags,
      sectionId: s.section?.id ?? null,
      unitId: s.unit?.id ?? null,
      kind: s.kind,
    });
    setBlocks(Array.isArray(r.body) && r.body.length ? (r.body as Block[]) : [{ type: 'paragraph', text: '' }]);
    setFindings(s.findings);
  };
  useEffect(() => {
    if (data?.story) adopt(data.story);
  }, [data]);

  // terminology findings while typing: checked against the unsaved text, debounced
  const texts = textsOf(meta);
  const content = useMemo(() => ({ ...texts, body: blocks }), [...Object.values(texts), blocks]);
  const debounced = useDebounced(content, 400);
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    if (!debounced.title && debounced.body.every((b) => 'text' in b && !b.text)) return setFindings([]);
    let live = true;
    setChecking(true);
    gql<{ checkTerminology: Finding[] }>(CHECK, { tenantId, input: { ...debounced, title: debounced.title || ' ' } })
      .then((r) => live && setFindings(r.checkTerminology))
      .catch(() => undefined)
      .finally(() => live && setChecking(false));
    return () => {
      live = false;
    };
  }, [debounced, tenantId]);

  const blocking = findings.some((f) => f.severity === 'BLOCK');
  const fieldFindings = (field: string) => findings.filter((f) => f.blockIndex < 0 && f.field === field);
  const tenant = data?.tenant;

  const run = async (label: string, fn: () => Promise<StoryFull | null>, done?: string) => {
    setBusy(label);
    setActionError(null);
    try {
      const s = await fn();
      if (s) adopt(s);
      if (done) message.success(done);
      return s;
    } catch (err) {
      setActionError(errorText(err));
      return null;
    } finally {
      setBusy(null);
    }
  };

  const save = async (): Promise<StoryFull | null> => {
    if (!meta.title.trim()) throw new Error('title');
    const input = { ...textsOf(meta), tags: meta.tags, body: cleanBody(blocks) };
    if (!story) {
      const r = await gql<{ createStory: { story: StoryFull } }>(
        `mutation Create($tenantId: ID!, $input: NewStoryInput!) { createStory(tenantId: $tenantId, input: $input) { ${PAYLOAD} } }`,
        {
          tenantId,
          input: { kind: meta.kind, sectionId: meta.sectionId, unitId: meta.unitId, content: input },
        },
      );
      // the saved story's own address: a reload keeps it, the menu's 新建稿件 starts a new one
      replacePath(`/stories/${r.createStory.story.id}`);
      return r.createStory.story;
    }
    const r = await gql<{ saveStory: { story: StoryFull } }>(
      `mutation Save($tenantId: ID!, $id: ID!, $input: SaveStoryInput!) { saveStory(tenantId: $tenantId, id: $id, input: $input) { ${PAYLOAD} } }`,
      {
        tenantId,
        id: story.id,
        input: {
          content: input,
          baseRevision: story.currentRevision.number,
          sectionId: meta.sectionId,
          unitId: meta.unitId,
        },
      },
    );
    return r.saveStory.story;
  };
  const act = (mutation: string, vars: Record<string, unknown>, field: string) => async (): Promise<StoryFull> => {
    const r = await gql<Record<string, { story: StoryFull }>>(mutation, { tenantId, id: story!.id, ...vars });
    return r[field]!.story;
  };
  const ask = (title: string, placeholder: string, required: boolean, then: (text: string) => void) => {
    let text = '';
    modal.confirm({
      title,
      content: (
        <Input.TextArea
          autoFocus
          rows={3}
          placeholder={placeholder}
          onChange={(e) => (text = e.target.value)}
          data-testid="reason"
        />
      ),
      okText: '确定',
      cancelText: '取消',
      onOk: () => {
        if (required && !text.trim()) {
          message.error('请填写理由');
          return Promise.reject(new Error('reason'));
        }
        then(text.trim());
        return undefined;
      },
    });
  };

  if (loading && !data) return <Card loading />;
  if (error) return <ErrorBox error={error} />;
  if (id && !data?.story && !story) return <ErrorBox error="找不到该稿件" />;
  const status = story?.status ?? 'DRAFT';
  // what this viewer may do: the API's answer for this story (viewerCan), or for a new one the tenant's capabilities
  const can = story?.viewerCan;
  const editable = can ? can.edit : session.can.writeStories;
  const withReason = (
    title: string,
    placeholder: string,
    mutation: string,
    field: string,
    done: string,
    label: string,
  ) => ask(title, placeholder, true, (reason) => void run(label, act(mutation, { reason }, field), done));
  const steps = story?.review?.steps ?? [];
  const sectionName = tenant?.sections.find((s) => s.id === meta.sectionId)?.name;
  const portal = document.querySelector<HTMLMetaElement>('meta[name="yd-portal"]')?.content ?? '';

  const actions = (
    <Space wrap>
      {editable ? (
        <Button
          onClick={() =>
            void run(
              'save',
              () => {
                if (!meta.title.trim()) return Promise.reject(new Error(''));
                return save();
              },
              '已保存',
            )
          }
          loading={busy === 'save'}
          disabled={!meta.title.trim()}
          data-testid="save"
        >
          保存
        </Button>
      ) : null}
      {(can ? can.submit : session.can.writeStories) ? (
        <Button
          type="primary"
          disabled={blocking || !meta.title.trim()}
          loading={busy === 'submit'}
          data-testid="submit"
          onClick={() =>
            void run(
              'submit',
              async () => {
                const s = await save();
                const r = await gql<{ submitStory: { story: StoryFull } }>(
                  `mutation Submit($tenantId: ID!, $id: ID!) { submitStory(tenantId: $tenantId, id: $id) { ${PAYLOAD} } }`,
                  { tenantId, id: s!.id },
                );
                return r.submitStory.story;
              },
              '已提交审校',
            )
          }
        >
          提交审校
        </Button>
      ) : null}
      {can?.withdraw ? (
        <Button
          loading={busy === 'withdraw'}
          data-testid="withdraw"
          onClick={() =>
            void run(
              'withdraw',
              act(
                `mutation W($tenantId: ID!, $id: ID!) { withdrawStory(tenantId: $tenantId, id: $id) { ${PAYLOAD} } }`,
                {},
                'withdrawStory',
              ),
              '已撤回送审',
            )
          }
        >
          撤回送审
        </Button>
      ) : null}
      {can?.approve ? (
        <Button
          type="primary"
          loading={busy === 'approve'}
          data-testid="approve"
          onClick={() =>
            void run(
              'approve',
              act(
                `mutation A($tenantId: ID!, $id: ID!) { approveStory(tenantId: $tenantId, id: $id) { ${PAYLOAD} } }`,
                {},
                'approveStory',
              ),
              '已通过本步审校',
            )
          }
        >
          通过
        </Button>
      ) : null}
      {can?.reject ? (
        <Button
          danger
          data-testid="reject"
          onClick={() =>
            ask(
              '退回稿件',
              '退回理由（必填）',
              true,
              (reason) =>
                void run(
                  'reject',
                  act(
                    `mutation R($tenantId: ID!, $id: ID!, $reason: String!) { rejectStory(tenantId: $tenantId, id: $id, reason: $reason) { ${PAYLOAD} } }`,
                    { reason },
                    'rejectStory',
                  ),
                  '已退回',
                ),
            )
          }
        >
          退回
        </Button>
      ) : null}
      {can?.publish ? (
        <Button
          type="primary"
          loading={busy === 'publish'}
          data-testid="publish"
          onClick={() =>
            void run(
              'publish',
              act(
                `mutation P($tenantId: ID!, $id: ID!) { publishStory(tenantId: $tenantId, id: $id) { ${PAYLOAD} } }`,
                {},
                'publishStory',
              ),
              '已发布',
            )
          }
        >
          立即发布
        </Button>
      ) : null}
      {can?.schedule ? (
        <ScheduleButton
          onPick={(at) =>
            void run(
              'schedule',
              act(
                `mutation P($tenantId: ID!, $id: ID!, $at: DateTime) { publishStory(tenantId: $tenantId, id: $id, at: $at) { ${PAYLOAD} } }`,
                { at },
                'publishStory',
              ),
              '已设置定时发布',
            )
          }
        />
      ) : null}
      {can?.correct ? (
        <Button
          data-testid="correct"
          onClick={() =>
            ask(
              '发布更正说明',
              '更正说明（将显示在所有刊发门户）',
              true,
              (note) =>
                void run(
                  'correct',
                  act(
                    `mutation C($tenantId: ID!, $id: ID!, $note: String!) { correctStory(tenantId: $tenantId, id: $id, note: $note) { ${PAYLOAD} } }`,
                    { note },
                    'correctStory',
                  ),
                  '已发布更正',
                ),
            )
          }
        >
          更正
        </Button>
      ) : null}
      {can?.unpublish ? (
        <Button
          data-testid="unpublish"
          onClick={() =>
            withReason(
              '撤下稿件',
              '撤下理由（撤下后可重新发布）',
              `mutation U($tenantId: ID!, $id: ID!, $reason: String) { unpublishStory(tenantId: $tenantId, id: $id, reason: $reason) { ${PAYLOAD} } }`,
              'unpublishStory',
              '已撤下',
              'unpublish',
            )
          }
        >
          撤下
        </Button>
      ) : null}
      {can?.retract ? (
        <Button
          danger
          data-testid="retract"
          onClick={() =>
            withReason(
              '撤稿',
              '撤稿理由（撤稿后所有门户立即下线，不可恢复）',
              `mutation X($tenantId: ID!, $id: ID!, $reason: String!) { retractStory(tenantId: $tenantId, id: $id, reason: $reason) { ${PAYLOAD} } }`,
              'retractStory',
              '已撤稿',
              'retract',
            )
          }
        >
          撤稿
        </Button>
      ) : null}
      {status === 'PUBLISHED' && session.can.syndicate ? (
        <>
          <Button type="primary" onClick={() => setPushOpen(true)} data-testid="push">
            推送下级
          </Button>
          <Select<SharePolicy>
            value={story?.sharePolicy}
            style={{ width: 150 }}
            onChange={(policy) =>
              void run(
                'share',
                act(
                  `mutation S($tenantId: ID!, $id: ID!, $policy: SharePolicy!) { setSharePolicy(tenantId: $tenantId, storyId: $id, policy: $policy) { ${PAYLOAD} } }`,
                  { policy },
                  'setSharePolicy',
                ),
                '共享范围已更新',
              )
            }
            options={Object.entries(SHARE).map(([value, label]) => ({ value, label }))}
          />
        </>
      ) : null}
      {status === 'PUBLISHED' && portal && tenant ? (
        <Button href={`${portal.replace('{host}', tenant.host)}/a/${story?.id ?? ''}`} target="_blank">
          在门户查看
        </Button>
      ) : null}
      {checking ? <Typography.Text type="secondary">正在检查规范表述…</Typography.Text> : null}
    </Space>
  );

  return (
    <Card
      title={
        <Space wrap>
          <span data-testid="editor-title">{story ? story.currentRevision.title || '（无标题）' : '新建稿件'}</span>
          <Tag color={STATUS_COLOR[status]} data-testid="story-status">
            {STATUS[status]}
          </Tag>
          {status === 'IN_REVIEW' && story?.review ? (
            <Tag>
              第 {story.review.step}/{steps.length} 步：{REVIEW_ROLE[steps[story.review.step - 1]!] ?? ''}
            </Tag>
          ) : null}
          {story ? <Typography.Text type="secondary">第 {story.currentRevision.number} 版</Typography.Text> : null}
        </Space>
      }
      extra={<Button onClick={() => navigate('/stories')}>返回列表</Button>}
    >
      {story?.status === 'RETRACTED' ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="retracted"
          message={`本稿件已于 ${fmtTime(story.retractedAt)} 撤稿，所有门户已下线，不能再编辑或发布`}
          description={story.retractionReason ? `撤稿理由：${story.retractionReason}` : undefined}
        />
      ) : story?.status === 'UNPUBLISHED' ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message="本稿件已撤下，门户不再显示；修改后可重新送审发布"
        />
      ) : null}
      {actionError ? (
        <Alert
          type="error"
          showIcon
          message={actionError}
          style={{ marginBottom: 12 }}
          data-testid="action-error"
          closable
          onClose={() => setActionError(null)}
        />
      ) : null}
      {blocking ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="blocking"
          message="稿件含有禁用表述，修改后才能提交审校"
        />
      ) : null}
      <div style={{ marginBottom: 12 }}>{actions}</div>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'edit',
            label: '编辑',
            children: (
              <Row gutter={16}>
                <Col xs={24} lg={16}>
                  <Form layout="vertical" disabled={!editable}>
                    {STORY_TEXT_FIELDS.map((f) => {
                      const props = {
                        value: meta[f.name],
                        onChange: (e: { target: { value: string } }) => setMeta({ ...meta, [f.name]: e.target.value }),
                        'data-testid': f.name,
                        maxLength: f.max,
                        status: fieldFindings(f.name).some((x) => x.severity === 'BLOCK')
                          ? ('error' as const)
                          : ('' as const),
                      };
                      return (
                        <Form.Item key={f.name} label={f.label} required={f.required}>
                          {f.multiline ? <Input.TextArea autoSize={{ minRows: 2 }} {...props} /> : <Input {...props} />}
                          <FindingList findings={fieldFindings(f.name)} testId={`findings-${f.name}`} />
                        </Form.Item>
                      );
                    })}
                    <Form.Item label="正文">
                      <BlockEditor blocks={blocks} setBlocks={setBlocks} findings={findings} tenantId={tenantId} />
                    </Form.Item>
                  </Form>
                </Col>
                <Col xs={24} lg={8}>
                  <Form layout="vertical" disabled={!editable}>
                    <Form.Item label="类型">
                      <Select
                        value={meta.kind}
                        disabled={!!story}
                        onChange={(kind: StoryKind) => setMeta({ ...meta, kind })}
                        options={Object.entries(KIND).map(([value, label]) => ({ value, label }))}
                      />
                    </Form.Item>
                    <Form.Item label="栏目">
                      <Select
                        allowClear
                        value={meta.sectionId ?? undefined}
                        onChange={(v: string | undefined) => setMeta({ ...meta, sectionId: v ?? null })}
                        options={(tenant?.sections ?? []).map((s) => ({ value: s.id, label: s.name }))}
                        data-testid="section"
                      />
                    </Form.Item>
                    <Form.Item label="政务号">
                      <Select
                        allowClear
                        value={meta.unitId ?? undefined}
                        onChange={(v: string | undefined) => setMeta({ ...meta, unitId: v ?? null })}
                        options={(session.current.units.length ? session.current.units : (tenant?.units ?? [])).map(
                          (u) => ({ value: u.id, label: u.name }),
                        )}
                      />
                    </Form.Item>
                    <Form.Item label="标签">
                      <Select
                        mode="tags"
                        value={meta.tags}
                        onChange={(tags: string[]) => setMeta({ ...meta, tags })}
                        tokenSeparators={[',', '，']}
                      />
                    </Form.Item>
                  </Form>
                  {story ? (
                    <Descriptions size="small" column={1} bordered>
                      <Descriptions.Item label="作者">{story.createdBy?.name ?? '—'}</Descriptions.Item>
                      <Descriptions.Item label="更新">{fmtTime(story.updatedAt)}</Descriptions.Item>
                      <Descriptions.Item label="发布">{fmtTime(story.publishedAt)}</Descriptions.Item>
                      {story.scheduledAt ? (
                        <Descriptions.Item label="定时">{fmtTime(story.scheduledAt)}</Descriptions.Item>
                      ) : null}
                    </Descriptions>
                  ) : null}
                </Col>
              </Row>
            ),
          },
          {
            key: 'preview',
            label: '门户预览',
            children: tenant ? (
              <ArticlePreview
                face={tenant.face}
                meta={meta}
                blocks={cleanBody(blocks)}
                sectionName={sectionName}
                tenantName={session.current.tenant.name}
              />
            ) : null,
          },
          ...(story
            ? [
                {
                  key: 'history',
                  label: '修订历史',
                  children: <DiffView storyId={story.id} tenantId={tenantId} revisions={story.revisions} />,
                },
                {
                  key: 'coverage',
                  label: '关联任务',
                  children: <StoryCoverage tenantId={tenantId} storyId={story.id} draft={story.status === 'DRAFT'} />,
                },
                {
                  key: 'events',
                  label: '审校记录',
                  children: (
                    <>
                      {steps.length ? (
                        <Typography.Paragraph>
                          审校流程：{steps.map((s) => REVIEW_ROLE[s]).join(' → ')}
                        </Typography.Paragraph>
                      ) : null}
                      <Timeline
                        items={story.events.map((e) => ({
                          color: e.action === 'reject' ? 'red' : e.action === 'approve' ? 'green' : 'blue',
                          children: (
                            <span>
                              {fmtTime(e.at)} · {e.actorName} · {EVENT_ACTION[e.action] ?? e.action}
                              {e.step ? `（第 ${e.step} 步）` : ''} · 第 {e.revision} 版
                              {e.comment ? `：${e.comment}` : ''}
                            </span>
                          ),
                        }))}
                      />
                      {story.corrections.length ? (
                        <Alert
                          type="info"
                          message={story.corrections.map((c) => `${fmtTime(c.createdAt)} 更正：${c.note}`).join('；')}
                        />
                      ) : null}
                    </>
                  ),
                },
                ...(story.firstPublishedAt
                  ? [
                      {
                        key: 'where',
                        label: '稿件去向',
                        children: <StoryPlacements tenantId={tenantId} storyId={story.id} />,
                      },
                    ]
                  : []),
              ]
            : []),
        ]}
      />
      {story && pushOpen ? (
        <PushDialog
          open={pushOpen}
          onClose={() => setPushOpen(false)}
          storyId={story.id}
          title={story.currentRevision.title}
          sectionName={story.section?.name ?? null}
        />
      ) : null}
    </Card>
  );
}

function ScheduleButton({ onPick }: { onPick: (iso: string) => void }) {
  const [value, setValue] = useState<Dayjs | null>(null);
  return (
    <Space.Compact>
      <DatePicker
        showTime
        value={value}
        onChange={setValue}
        placeholder="定时发布时间"
        disabledDate={(d) => d.isBefore(dayjs(), 'day')}
      />
      <Button disabled={!value} onClick={() => value && onPick(value.toISOString())}>
        定时发布
      </Button>
    </Space.Compact>
  );
}
