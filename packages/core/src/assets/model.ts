import type { Asset } from '@yiduan/db';
import type { ProbeLimits } from './probe.js';

export const ALT_MAX = 300;
const NAME_MAX = 200;

export interface NewAssetInput {
  tenantId: string;
  data: Buffer;
  /** kept for display only; never used to decide the type */
  filename: string;
  alt?: string;
  shared?: boolean;
  createdBy?: string | null;
  limits?: ProbeLimits;
}

export interface AssetListQuery {
  tenantId: string;
  /** also the assets other tenants share with the whole tree (shared media library) */
  includeShared?: boolean;
  /** default 50, at most 200 */
  limit?: number;
  /** id of the last asset of the previous page */
  before?: string;
}

/** An asset with whether anyone may fetch it: shared, or shown by a live published story. */
export interface ServedAsset {
  asset: Asset;
  public: boolean;
}

/** What a page needs to draw an image: its size (no layout shift) and its stored description. */
export type AssetImageSize = Pick<Asset, 'id' | 'width' | 'height' | 'alt' | 'mime'>;

/** What a face needs to serve an asset's bytes. */
export type AssetMediaRow = Pick<Asset, 'id' | 'mime' | 'bytes' | 'width' | 'storage_key' | 'shared'>;

/** Browsers may send a full path (C:\fakepath\x.jpg); keep the last segment, printable, bounded. */
export function cleanName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return Array.from(last.replace(/[\u0000-\u001f\u007f]/g, '').trim())
    .slice(0, NAME_MAX)
    .join('');
}

export function assetKey(tenantId: string, assetId: string, ext: string, at: Date): string {
  const yyyy = String(at.getUTCFullYear());
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  return `${tenantId.toLowerCase()}/${yyyy}/${mm}/${assetId}.${ext}`;
}
