import type { TextUnit } from './types.js';

/** The story shape the checker reads; blocks stay unknown because they come from JSON. */
export interface CheckableStory {
  title: string;
  subtitle?: string | null;
  summary?: string | null;
  blocks: readonly unknown[];
}

/** Text-bearing fields of each known block type, in reading order. */
const BLOCK_TEXT_FIELDS = new Map<string, readonly string[]>(Object.entries({
  paragraph: ['text'],
  heading: ['text'],
  quote: ['text', 'cite'],
  list: ['items'],
  image: ['caption', 'alt'],
  video: ['caption'],
  embed: ['caption'],
}));

/** Keys of an unknown block type that are never prose. */
const NON_TEXT_KEYS = new Set(['type', 'id', 'url', 'assetId', 'level', 'ordered']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pushField(out: TextUnit[], blockIndex: number, key: string, value: unknown): void {
  if (typeof value === 'string') {
    if (value.length > 0) out.push({ field: `body.${key}`, blockIndex, text: value });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item === 'string' && item.length > 0) out.push({ field: `body.${key}[${i}]`, blockIndex, text: item });
    });
  }
}

/**
 * Every text of a story: title, subtitle and summary (blockIndex -1), then each block's
 * text-bearing fields. A block type this code does not know yet is checked on all its
 * string fields, so a new block type cannot slip wording past the checker.
 */
export function storyTexts(story: CheckableStory): TextUnit[] {
  const out: TextUnit[] = [];
  for (const field of ['title', 'subtitle', 'summary'] as const) {
    const text = story[field];
    if (typeof text === 'string' && text.length > 0) out.push({ field, blockIndex: -1, text });
  }
  story.blocks.forEach((block, blockIndex) => {
    if (!isRecord(block)) return;
    const known = typeof block.type === 'string' ? BLOCK_TEXT_FIELDS.get(block.type) : undefined;
    const keys = known ?? Object.keys(block).filter((k) => !NON_TEXT_KEYS.has(k));
    for (const key of keys) pushField(out, blockIndex, key, block[key]);
  });
  return out;
}
