/** What one audit row records; the actor comes separately (who did it). */
export interface AuditRecord {
  tenantId: string | null;
  action: string;
  targetKind?: string;
  targetId?: string;
  revision?: number;
  detail?: Record<string, unknown>;
}

export interface AuditQuery {
  tenantId?: string;
  actorId?: string;
  targetKind?: string;
  targetId?: string;
  limit?: number;
  /** id of the last row seen, for paging backwards in time */
  before?: number;
}
