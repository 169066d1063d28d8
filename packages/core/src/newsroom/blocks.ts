import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { DomainError, type FieldProblem } from '../errors.js';

/** A story body is an ordered list of typed blocks, validated on every write. */
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Opt = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const Uuid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
// only web links: no javascript:, data: or relative tricks inside content
const WebUrl = Type.String({ pattern: '^https://[^\\s<>"]{1,1000}$' });
const closed = { additionalProperties: false } as const;

const VARIANTS = {
  paragraph: Type.Object({ type: Type.Literal('paragraph'), text: Text(10_000) }, closed),
  heading: Type.Object(
    { type: Type.Literal('heading'), text: Text(200), level: Type.Union([Type.Literal(2), Type.Literal(3)]) },
    closed,
  ),
  image: Type.Object({ type: Type.Literal('image'), assetId: Uuid, caption: Opt(300), alt: Opt(300) }, closed),
  quote: Type.Object({ type: Type.Literal('quote'), text: Text(2_000), cite: Opt(200) }, closed),
  video: Type.Object(
    {
      type: Type.Literal('video'),
      // a video uploaded to the platform (videoId), or one hosted elsewhere (url): one of the two
      videoId: Type.Optional(Uuid),
      url: Type.Optional(WebUrl),
      caption: Opt(300),
      posterAssetId: Type.Optional(Uuid),
    },
    closed,
  ),
  embed: Type.Object({ type: Type.Literal('embed'), url: WebUrl, caption: Opt(300) }, closed),
  list: Type.Object(
    {
      type: Type.Literal('list'),
      ordered: Type.Boolean(),
      items: Type.Array(Text(1_000), { minItems: 1, maxItems: 50 }),
    },
    closed,
  ),
};
export const Block = Type.Union([
  VARIANTS.paragraph,
  VARIANTS.heading,
  VARIANTS.image,
  VARIANTS.quote,
  VARIANTS.video,
  VARIANTS.embed,
  VARIANTS.list,
]);
export const Body = Type.Array(Block, { maxItems: 500 });

export type Block = Static<typeof Block>;
export type BlockType = Block['type'];
export const BLOCK_TYPES: readonly BlockType[] = ['paragraph', 'heading', 'image', 'quote', 'video', 'embed', 'list'];

// one checker per type, so a problem is reported against the block's own shape
const checkers = Object.fromEntries(
  Object.entries(VARIANTS).map(([type, schema]) => [type, Compile(schema)]),
) as Record<BlockType, ReturnType<typeof Compile>>;

const FIELD_NAMES: Record<string, string> = {
  text: '文字',
  level: '标题级别',
  assetId: '图片',
  caption: '说明',
  alt: '替代文字',
  cite: '出处',
  url: '链接',
  posterAssetId: '封面图',
  videoId: '视频',
  ordered: '列表类型',
  items: '列表项',
};

function problemText(keyword: string, field: string): string {
  const name = FIELD_NAMES[field] ?? field;
  switch (keyword) {
    case 'required':
      return `缺少${name}`;
    case 'additionalProperties':
      return '含有不支持的字段';
    case 'pattern':
      return `${name}格式不正确${field === 'url' ? '（须为 https 链接）' : ''}`;
    case 'minLength':
      return `${name}不能为空`;
    case 'maxLength':
      return `${name}过长`;
    case 'minItems':
      return `${name}不能为空`;
    case 'maxItems':
      return `${name}过多`;
    default:
      return `${name}不符合要求`;
  }
}

/** Validates a body; every problem names the block index, so the editor can point at it. */
export function validateBody(value: unknown): Block[] {
  if (!Array.isArray(value))
    throw new DomainError('BLOCK_INVALID', '正文必须是内容块列表', [{ path: 'body', message: '必须是列表' }]);
  if (value.length > 500)
    throw new DomainError('BLOCK_INVALID', '正文最多 500 个内容块', [{ path: 'body', message: '内容块过多' }]);
  const problems: FieldProblem[] = [];
  value.forEach((block: unknown, i) => {
    const type =
      typeof block === 'object' && block !== null && 'type' in block ? String((block as { type: unknown }).type) : '';
    const checker = BLOCK_TYPES.includes(type as BlockType) ? checkers[type as BlockType] : undefined;
    if (!checker) {
      problems.push({
        path: `body[${i}].type`,
        message: `第 ${i + 1} 个内容块的类型${type ? ` ${type.slice(0, 20)} ` : ''}不受支持`,
      });
      return;
    }
    if (checker.Check(block)) {
      const v = block as { type: string; videoId?: string; url?: string };
      if (v.type === 'video' && !v.videoId === !v.url) {
        problems.push({ path: `body[${i}].videoId`, message: `第 ${i + 1} 个内容块（video）须选择一个视频` });
        return;
      }
      const texts = ['text']
        .filter((k) => k in (block as object))
        .map((k) => String((block as Record<string, unknown>)[k]));
      if (texts.some((t) => !t.trim()))
        problems.push({ path: `body[${i}].text`, message: `第 ${i + 1} 个内容块的文字不能为空` });
      return;
    }
    const first = [...checker.Errors(block)].find((e) => e.keyword !== 'anyOf' && e.keyword !== 'boolean');
    const missing = (first?.params as { requiredProperties?: string[] } | undefined)?.requiredProperties?.[0];
    const extra = (first?.params as { additionalProperties?: string[] } | undefined)?.additionalProperties?.[0];
    const field = missing ?? extra ?? first?.instancePath.split('/')[1] ?? '';
    const path = `body[${i}]${field ? `.${field}` : ''}`;
    problems.push({ path, message: `第 ${i + 1} 个内容块（${type}）${problemText(first?.keyword ?? '', field)}` });
  });

  if (problems.length) throw new DomainError('BLOCK_INVALID', problems[0]!.message, problems.slice(0, 20));
  return value as Block[];
}

/** Asset ids a body refers to, for reference checks. */
export function assetIdsOf(body: readonly Block[]): string[] {
  const ids = new Set<string>();
  for (const b of body) {
    if (b.type === 'image') ids.add(b.assetId);
    if (b.type === 'video' && b.posterAssetId) ids.add(b.posterAssetId);
  }
  return [...ids];
}

/** Uploaded videos a body shows, for reference checks. */
export function videoIdsOf(body: readonly Block[]): string[] {
  return [...new Set(body.flatMap((b) => (b.type === 'video' && b.videoId ? [b.videoId] : [])))];
}

/** Plain text of a body, for search, summaries and diffs. */
export function bodyText(body: readonly Block[]): string {
  return body
    .map((b) => {
      switch (b.type) {
        case 'paragraph':
        case 'heading':
          return b.text;
        case 'quote':
          return b.cite ? `${b.text} ——${b.cite}` : b.text;
        case 'list':
          return b.items.join('\n');
        case 'image':
        case 'video':
        case 'embed':
          return b.caption ?? '';
      }
    })
    .filter(Boolean)
    .join('\n');
}
