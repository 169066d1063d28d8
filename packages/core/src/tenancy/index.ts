// Tenancy: the tenant tree, domains and faces.
export {
  contrast,
  defaultFace,
  Face,
  faceFromRow,
  faceHost,
  Footer,
  HomeModule,
  isUuid,
  LEVELS,
  levelName,
  NavItem,
  normalizeHost,
  parentLevelAllowed,
  RESERVED_SLUGS,
  Theme,
  validateFace,
  type FacePatch,
  type NewTenantInput,
  type StoredFace,
  type TenantPatch,
} from './model.js';
export {
  ancestors,
  childrenOfTenants,
  descendants,
  domainsByTenantIds,
  domainsOf,
  isAncestor,
  listTenants,
  tenantById,
  tenantBySlug,
  tenantsByIds,
} from './repo.js';
export {
  addDomain,
  createTenant,
  faceOf,
  facesByTenantIds,
  removeDomain,
  resolveHost,
  setPrimaryDomain,
  updateFace,
  updateTenant,
} from './service.js';
export {
  TENANCY_TOPICS,
  TOPICS,
  type DomainChangedPayload,
  type FaceChangedPayload,
  type TenantChangedPayload,
} from './events.js';
export { TENANCY_ERROR_CODES } from './errors.js';
