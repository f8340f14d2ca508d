/**
 * The reliability suite's figures. Each suite (crash trials, concurrency, bad input, secrets,
 * isolation) records what it tried and what it found in `test-output/reliability/<suite>.json`;
 * `npm run bench -- --reliability` runs the suite and prints them as one table.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../e2e/cli.js";

/** Where the suites write their figures. */
export const FIGURES_DIR = path.join(ROOT, "test-output", "reliability");

/** One suite's figures: counts such as `trials`, `faults_survived`, `inputs_tried`, `secrets_found`. */
export interface ReliabilityFigures {
  suite: string;
  figures: Record<string, number>;
  notes?: string[];
}

/**
 * Writes one suite's figures (atomically, so a reader never sees half a file).
 *
 * @example
 * recordFigures({ suite: "crash-run", figures: { trials: 50, faults_survived: 50 } });
 */
export function recordFigures(result: ReliabilityFigures): string {
  mkdirSync(FIGURES_DIR, { recursive: true });
  const file = path.join(FIGURES_DIR, `${result.suite}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(result, null, 2) + "\n");
  renameSync(tmp, file);
  return file;
}

/** How many seeded trials a crash suite runs: `RELIABILITY_TRIALS`, or the CI-friendly default. */
export function trialCount(defaultTrials: number): number {
  const raw = process.env.RELIABILITY_TRIALS;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : defaultTrials;
}
