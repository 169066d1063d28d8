/** Outbox topics the inspection rounds emit (no consumer yet). */
export const ROUND_TOPICS = {
  /** a round was opened (sampled) or closed; payload: { roundId, action } */
  govRoundChanged: 'gov_round.changed',
  /** a finding was recorded or removed, the sample rescored; payload: { roundId, accountId } */
  govRoundScored: 'gov_round.scored',
  /** a fix order was issued or rechecked; payload: { orderId, tenantId (the owner), action }; emitted in the round's tenant (the outbox is written in one's own scope) */
  govFixOrderChanged: 'gov_fix_order.changed',
} as const;
