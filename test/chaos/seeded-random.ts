/**
 * A small deterministic random source (mulberry32), so that a chaos schedule and its workload are
 * a function of one printed seed: any failing run can be replayed with `--seed N`.
 */

/** Random choices drawn from one seed. */
export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [min, max]. */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  between(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A new source whose draws do not disturb this one's (the workload and the faults each get one). */
  fork(label: string): SeededRandom;
}

/** The source for `seed` (any 32-bit whole number). */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const random: SeededRandom = {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    fork: (label) => seededRandom(mix(seed, label)),
  };
  return random;
}

/** A new seed for a labelled sub-source (FNV-1a over the label, folded into the seed). */
function mix(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash >>> 0;
}
