/** Outbox topics the accounts context emits. */
export const ACCOUNT_TOPICS = {
  /** an account was registered, changed, retired or had its activity recorded; payload: GovAccountChanged */
  govAccountChanged: 'gov_account.changed',
  /** a tenant's activity thresholds changed (its subtree's health may change); payload: { tenantId } */
  govThresholdsChanged: 'gov_account.thresholds_changed',
  /** a closure (关停并转) moved a step; payload: { closureId, action } */
  govClosureChanged: 'gov_account_closure.changed',
} as const;

export interface GovAccountChanged {
  accountId: string;
  action: 'create' | 'update' | 'retire' | 'activity' | 'import';
}

/** One event per import, not per row: the payload names the accounts written. */
export interface GovAccountsImported {
  accountIds: string[];
  action: 'import';
}
