import { diffArrays, diffChars } from 'diff';
import type { StoryRevision } from '@yiduan/db';
import { bodyText, type Block } from './blocks.js';
import { STORY_TEXT_FIELDS } from './model.js';

export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface FieldDiff {
  field: string;
  changed: boolean;
  parts: DiffPart[];
}

// Character diffs suit Chinese, which has no spaces to split words on.
function textDiff(field: string, a: string, b: string): FieldDiff {
  const parts: DiffPart[] = diffChars(a, b).map((c) => ({
    op: c.added ? 'insert' : c.removed ? 'delete' : 'equal',
    text: c.value,
  }));
  return { field, changed: a !== b, parts };
}

/** One line per block with every attribute a reviewer must see change, not only its text. */
function blockLine(b: Block): string {
  switch (b.type) {
    case 'heading':
      return `[heading h${b.level}] ${b.text}`;
    case 'image':
      return `[image ${b.assetId}] ${b.caption ?? ''}${b.alt ? ` alt=${b.alt}` : ''}`;
    case 'video':
      return `[video ${b.videoId ? `video=${b.videoId}` : (b.url ?? '')}${b.posterAssetId ? ` poster=${b.posterAssetId}` : ''}] ${b.caption ?? ''}`;
    case 'embed':
      return `[embed ${b.url}] ${b.caption ?? ''}`;
    case 'list':
      return `[${b.ordered ? 'ordered list' : 'list'}] ${b.items.join(' | ')}`;
    default:
      return `[${b.type}] ${bodyText([b])}`;
  }
}

/** Field-by-field comparison of two revisions; the body is compared block by block, then by characters. */
export function compareRevisions(a: StoryRevision, b: StoryRevision): FieldDiff[] {
  const out: FieldDiff[] = [
    ...STORY_TEXT_FIELDS.map((f) => textDiff(f.name, a[f.column], b[f.column])),
    textDiff('tags', a.tags.join('、'), b.tags.join('、')),
    textDiff('cover', a.cover_asset_id ?? '', b.cover_asset_id ?? ''),
    textDiff('linkUrl', a.link_url ?? '', b.link_url ?? ''),
  ];
  const left = (a.body as Block[]).map(blockLine);
  const right = (b.body as Block[]).map(blockLine);
  const parts: DiffPart[] = [];
  const chunks = diffArrays(left, right);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    const next = chunks[i + 1];
    // a removed block followed by an added one is an edit: show it character by character
    if (c.removed && next?.added && c.value.length === next.value.length) {
      c.value.forEach((line, j) =>
        parts.push(...textDiff('body', line, next.value[j]!).parts, { op: 'equal', text: '\n' }),
      );
      i++;
      continue;
    }
    const op: DiffPart['op'] = c.added ? 'insert' : c.removed ? 'delete' : 'equal';
    parts.push({ op, text: c.value.map((l) => `${l}\n`).join('') });
  }
  out.push({ field: 'body', changed: left.join('\n') !== right.join('\n'), parts });
  return out;
}
