/** Small deterministic helpers for generated demo text: the same tenant gets the same stories every time. */

export interface Rng {
  /** in [0, 1) */
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** n distinct items, in random order */
  some<T>(items: readonly T[], n: number): T[];
  shuffle<T>(items: readonly T[]): T[];
  chance(p: number): boolean;
}

/** mulberry32: tiny, fast and good enough for picking phrasings. */
export function rng(seed: string): Rng {
  let a = 0x9e3779b9;
  for (const ch of seed) a = Math.imul(a ^ ch.codePointAt(0)!, 0x85ebca6b) + 0x632be5ab;
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    some: (items, n) => shuffle(items).slice(0, n),
    shuffle,
    chance: (p) => next() < p,
  };
}

// Stories are dated in China Standard Time, whatever the server's zone.
const CST_MS = 8 * 3600_000;

export function cstParts(at: Date): { year: number; month: number; day: number; hour: number } {
  const d = new Date(at.getTime() + CST_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours() };
}

/** "11月20日" (never "号": the province's terminology rules ask for 日). */
export function dayText(at: Date): string {
  const p = cstParts(at);
  return `${p.month}月${p.day}日`;
}

/** A moment on a China calendar day: `daysFromToday` days away, at hour:minute CST. */
export function cstAt(now: Date, daysFromToday: number, hour: number, minute = 0): Date {
  const p = cstParts(now);
  return new Date(Date.UTC(p.year, p.month - 1, p.day + daysFromToday, hour, minute) - CST_MS);
}

export type Season = 'spring' | 'summer' | 'autumn' | 'winter';

export function seasonOf(at: Date): Season {
  const m = cstParts(at).month;
  if (m >= 3 && m <= 5) return 'spring';
  if (m >= 6 && m <= 8) return 'summer';
  if (m >= 9 && m <= 11) return 'autumn';
  return 'winter';
}

/** 1.5 → "1.5", 3 → "3": figures as a Chinese newspaper prints them. */
export const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));
