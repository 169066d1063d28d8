export * from './model.js';
export * from './days.js';
export * from './csv.js';
export * from './beacon.js';
export * from './events.js';
export * from './errors.js';
export * from './ranking.js';
// the reads of figures and the partition upkeep were public before the repo existed; the rest of the repo is internal
export {
  canSeeTenant,
  childTenants,
  tenantSeries,
  tenantTotals,
  topStories,
  unitTotals,
  visibleTenantIds,
} from './repo/figures.js';
export { mostReadOnFace } from './repo/most-read.js';
export { topVideos } from './repo/videos.js';
export { dropPartitionsBefore, ensurePartitions, insertEvents, listPartitions } from './repo/partitions.js';
export { rollupPairs } from './repo/rollup.js';
export * from './service.js';
export * from './writer.js';
export * from './jobs.js';
