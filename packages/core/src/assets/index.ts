// Assets: uploaded images. No events.ts: assets emit no outbox event (uploads, shares and deletes
// are audited). probe.ts, structure.ts, samples.ts and variants.ts are pure helpers (no SQL).
export * from './errors.js';
export * from './probe.js';
export { sniffFormat } from './structure.js';
export {
  assetKey,
  type AssetImageSize,
  type AssetListQuery,
  type AssetMediaRow,
  type NewAssetInput,
  type ServedAsset,
} from './model.js';
export { assetById, assetsByIds, listAssets, mediaRowById, shownOnFace } from './repo.js';
export { assetForServing, createAsset, deleteAsset, imageSizes, setAssetShared } from './service.js';
export * from './samples.js';
export * from './variants.js';
