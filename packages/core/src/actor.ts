/** Who does something: recorded in the audit log and checked by policies. */
export interface Actor {
  kind: 'operator' | 'staff' | 'citizen' | 'system';
  id: string;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'system', name: '系统' };
