/** Outbox topics the tenancy context writes; the worker's cache invalidation handles all three. */
export const TENANCY_TOPICS = {
  tenantChanged: 'tenant.changed',
  faceChanged: 'face.changed',
  domainChanged: 'domain.changed',
} as const;

/** The name these had when they lived in events/outbox.ts; the same object. */
export const TOPICS = TENANCY_TOPICS;

/** A tenant was created or its name, status, parent or settings changed. */
export type TenantChangedPayload = { tenantId: string };
/** A face changed; `version` is absent when newsroom's sections changed the navigation. */
export type FaceChangedPayload = { tenantId: string; version?: number };
/** A domain was added, removed or made primary. */
export type DomainChangedPayload = { tenantId: string; host: string };
