// Identity: staff, sessions, grants and access, operator organisations. No events.ts: it emits no
// outbox event (logins and grants are audited instead). passwords.ts, tokens.ts, roles.ts and
// capabilities.ts are pure rules beside the roles.
export {
  Access,
  accessFromRoles,
  LOGIN_LIMITS,
  SESSION_TTL_MS,
  STAFF_ROLES,
  staffActor,
  type GrantInput,
  type HeldRole,
  type LoginInput,
  type LoginResult,
  type NewStaff,
  type OrganisationInput,
  type OrganisationView,
  type QualificationPatch,
  type SessionAccess,
  type SessionInfo,
  type UnitMemberInput,
} from './model.js';
export {
  grantsOfTenant,
  listOrganisations,
  organisationById,
  organisationsByIds,
  revokeSession,
  staffById,
  staffByIds,
  staffByIdsByLogin,
  staffByLogin,
  tenantsOfStaff,
  tenantsWithOwnGrants,
  type SessionAccessRow,
} from './repo.js';
export {
  accessFor,
  addUnitMember,
  attemptLogin,
  checkGrantParty,
  createOrganisation,
  createSession,
  createStaff,
  grantRole,
  login,
  revokeAllSessions,
  revokeGrant,
  sessionAccessIn,
  sessionAccessOf,
  sessionByToken,
  setStaffStatus,
  updateQualification,
} from './service.js';
export { IDENTITY_ERROR_CODES } from './errors.js';
export * from './passwords.js';
export { newSessionToken, tokenDigest } from './tokens.js';
export * from './capabilities.js';
export * from './roles.js';
