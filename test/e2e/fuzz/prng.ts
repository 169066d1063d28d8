/**
 * A small seeded PRNG (mulberry32), so every fuzz run can be replayed:
 * the seed is printed in the tap output and read back from FUZZ_SEED.
 */
export interface Prng {
  readonly seed: number;
  /** a float in [0, 1) */
  next(): number;
  /** an integer in [0, n) */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seedFromEnv(fallback = 20261127): number {
  const raw = process.env.FUZZ_SEED;
  const n = raw ? Number.parseInt(raw, 10) : fallback;
  return Number.isFinite(n) ? n >>> 0 : fallback;
}

export function prng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    seed,
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)]!;
    },
    chance: (p: number) => next() < p,
  };
}
