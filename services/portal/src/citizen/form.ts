/** A posted form or a query string as Fastify parses it: repeated fields arrive as lists. */
export type Form = Record<string, string | string[] | undefined>;

/** One field as text; a missing or repeated field is empty (never guessed at). */
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
