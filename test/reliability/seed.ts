/**
 * Seeded randomness for the crash suites: every trial draws its kill time from a PRNG seeded by
 * the suite's seed and the trial's number, so a failure names the seed and trial that replay it
 * (`RELIABILITY_SEED=<seed> RELIABILITY_TRIAL=<n>`).
 */

/** The suite's seed: `RELIABILITY_SEED`, or a fresh one (printed in every failure message). */
export function suiteSeed(): number {
  const raw = process.env.RELIABILITY_SEED;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n >>> 0 : Math.floor(Math.random() * 2 ** 32);
}

/** The trials to run: all `count`, or only `RELIABILITY_TRIAL` (to replay one). */
export function trialNumbers(count: number): number[] {
  const only = Number(process.env.RELIABILITY_TRIAL);
  if (Number.isInteger(only) && only >= 0) return [only];
  return Array.from({ length: count }, (_, i) => i);
}

/**
 * mulberry32: a small, fast PRNG with a 32-bit state; returns floats in [0, 1).
 *
 * @example
 * const next = prng(trialSeed(42, 3)); next(); // the same sequence for seed 42, trial 3, every time
 */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One trial's seed, derived from the suite's seed and the trial's number. */
export function trialSeed(seed: number, trial: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(trial + 1, 0xc2b2ae35)) >>> 0;
}

/** How a failure names what replays it. */
export function replay(suite: string, seed: number, trial: number): string {
  return `[${suite}] replay: RELIABILITY_SEED=${seed} RELIABILITY_TRIAL=${trial} npx vitest run --project reliability test/reliability/${suite}.test.ts`;
}
