import type { Actor } from '../../actor.js';

/** The staff member behind an actor, as review events and revisions record it (null for the system). */
export const staffId = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.id : null);
