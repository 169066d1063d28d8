// Closures of government new-media accounts (关停并转): proposal, the parent's decision, the notice,
// content import with redirects, 注销 and the filing. Exported through the accounts context.
export * from './model.js';
export * from './errors.js';
export { ARCHIVE_MAX_ITEMS, parseArchive, plainParagraphs, type ArchiveItem } from './archive.js';
export {
  GOV_CLOSURE_ROLES,
  closureRedirect,
  decideGovAccountClosure,
  deregisterGovAccount,
  draftGovAccountClosureNotice,
  govAccountClosureById,
  importGovAccountClosureContent,
  listGovAccountClosures,
  proposeGovAccountClosure,
  publishGovAccountClosureContent,
  publishGovAccountClosureNotice,
  recordGovAccountClosureFiling,
  withdrawGovAccountClosure,
  type ClosureImportReport,
  type GovClosureFilter,
} from './service.js';
