export * from './model.js';
export * from './errors.js';
export * from './events.js';
export { decodeSpreadsheetText, parseCsv, type CsvRow } from './csv.js';
export { FeedUnreadable, parseFeed, type FeedActivity } from './feed.js';
export { SHEET_COLUMNS, sheetCount, sheetDay, sheetInstant } from './sheet.js';
export { isXlsx, readSheetFile, readXlsxRows, writeXlsx } from './xlsx.js';
export {
  GOV_ACCOUNT_ROLES,
  IMPORT_MAX_ROWS,
  createGovAccount,
  feedsDue,
  recordFeedReading,
  type FeedDue,
  type FeedReading,
  exportGovAccountsCsv,
  exportGovAccountsXlsx,
  govAccountById,
  govAccountCapabilities,
  govAccountCounts,
  govAccountTemplateCsv,
  govAccountTemplateXlsx,
  govAccountThresholds,
  importGovAccounts,
  listGovAccounts,
  recordGovAccountActivity,
  retireGovAccount,
  setGovAccountThresholds,
  updateGovAccount,
  type GovAccountCapabilities,
  type ImportOptions,
  type ImportProblem,
  type ImportReport,
  type GovAccountPage,
  type GovThresholdsAnswer,
} from './service.js';
export * from './rounds/index.js';
export * from './closures/index.js';
export * from './dashboard/index.js';
