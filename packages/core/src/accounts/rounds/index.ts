// Inspection rounds of the government new-media accounts (抽查): sampling, findings, scores,
// reports (通报) and fix orders (整改). A part of the accounts context, exported through it.
export * from './model.js';
export * from './errors.js';
export * from './events.js';
export { draftReport, type GovRoundReport, type ReportInput } from './report.js';
export {
  GOV_ROUND_ROLES,
  checkGovWording,
  closeGovRound,
  govRoundById,
  govRoundCapabilities,
  govRoundFindings,
  govRoundPassRates,
  govRoundReport,
  govRoundSamples,
  issueGovFixOrder,
  listGovFixOrders,
  listGovRounds,
  openGovRound,
  overdueGovFixOrders,
  recheckGovFixOrder,
  recordGovRoundFinding,
  removeGovRoundFinding,
  type FixOrderFilter,
  type GovRoundCapabilities,
} from './service.js';
