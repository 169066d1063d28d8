export {
  DEFAULT_COST_PER_ACCOUNT,
  govAccountCost,
  govAccountDashboard,
  govOwnChannels,
  type GovOwnChannel,
  setGovAccountCost,
  type GovAccountCostAnswer,
  type GovAccountDashboard,
  type GovClosureMonth,
  type GovCostAvoided,
  type GovPlatformCounts,
  type GovRoundRate,
} from './service.js';
