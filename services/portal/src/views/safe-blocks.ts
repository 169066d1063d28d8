import { isUuid, type Block } from '@yiduan/core';

/**
 * Bodies are validated on write, but a row can be edited by hand or written by
 * an old version: every block is re-checked where it becomes HTML. Unknown or
 * malformed blocks are dropped; links must be https.
 */
const HTTPS = /^https:\/\/[^\s<>"]{1,1000}$/;

export function safeHttps(v: unknown): string | null {
  return typeof v === 'string' && HTTPS.test(v) ? v : null;
}

/** For a story's link target, which may be http too. */
export function safeWebUrl(v: unknown): string | null {
  return typeof v === 'string' && /^https?:\/\/[^\s<>"]{1,1000}$/.test(v) ? v : null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const opt = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function safeBlock(raw: unknown): Block | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const b = raw as Record<string, unknown>;
  switch (b.type) {
    case 'paragraph':
      return str(b.text) ? { type: 'paragraph', text: str(b.text) } : null;
    case 'heading':
      return str(b.text) ? { type: 'heading', text: str(b.text), level: b.level === 3 ? 3 : 2 } : null;
    case 'image':
      return typeof b.assetId === 'string' && isUuid(b.assetId)
        ? { type: 'image', assetId: b.assetId, caption: opt(b.caption), alt: opt(b.alt) }
        : null;
    case 'quote':
      return str(b.text) ? { type: 'quote', text: str(b.text), cite: opt(b.cite) } : null;
    case 'video': {
      const url = safeHttps(b.url);
      const poster = typeof b.posterAssetId === 'string' && isUuid(b.posterAssetId) ? b.posterAssetId : undefined;
      const videoId = typeof b.videoId === 'string' && isUuid(b.videoId) ? b.videoId : undefined;
      if (videoId) return { type: 'video', videoId, caption: opt(b.caption), posterAssetId: poster };
      return url ? { type: 'video', url, caption: opt(b.caption), posterAssetId: poster } : null;
    }
    case 'embed': {
      const url = safeHttps(b.url);
      return url ? { type: 'embed', url, caption: opt(b.caption) } : null;
    }
    case 'list': {
      const items = Array.isArray(b.items) ? b.items.filter((i): i is string => typeof i === 'string' && i !== '') : [];
      return items.length ? { type: 'list', ordered: b.ordered === true, items } : null;
    }
    default:
      return null;
  }
}

export function safeBlocks(body: unknown): Block[] {
  return Array.isArray(body) ? body.map(safeBlock).filter((b): b is Block => b !== null) : [];
}

/** The platform's videos a body shows. */
export function videoIdsOf(body: readonly Block[]): string[] {
  return body.flatMap((b) => (b.type === 'video' && b.videoId ? [b.videoId] : []));
}

/** Images a body shows (image blocks and video posters), for one size lookup. */
export function imageIdsOf(body: readonly Block[]): string[] {
  return body.flatMap((b) =>
    b.type === 'image' ? [b.assetId] : b.type === 'video' && b.posterAssetId ? [b.posterAssetId] : [],
  );
}
