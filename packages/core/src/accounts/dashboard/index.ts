export {
  DEFAULT_COST_PER_ACCOUNT,
  govAccountCost,
  govAccountDashboard,
  setGovAccountCost,
  type GovAccountCostAnswer,
  type GovAccountDashboard,
  type GovClosureMonth,
  type GovCostAvoided,
  type GovPlatformCounts,
  type GovRoundRate,
} from './service.js';
