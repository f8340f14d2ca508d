/**
 * `dagship doctor`: runs every check on one environment's workspace and, with `fix`, applies the
 * safe repairs, then checks again: what is still found is left for a human.
 */
import { existsSync } from "node:fs";
import { bundleChecksums } from "./bundles.js";
import { checkpoints } from "./checkpoints.js";
import { deploymentRecords } from "./deployments.js";
import { deadLocks } from "./locks.js";
import { modelRegistry } from "./models.js";
import { runRecords } from "./runs.js";
import { strayTempFiles } from "./temp-files.js";
import type { DoctorCheck, DoctorContext, Problem } from "./types.js";

/**
 * Every check, in the order they run (and their fixes apply): reaping runs first, files last.
 *
 * @example
 * ```ts
 * CHECKS.map((c) => c.name); // ["runs", "deployments", "bundles", "models", "checkpoints", "locks", "temp-files"]
 * ```
 */
export const CHECKS: readonly DoctorCheck[] = [runRecords, deploymentRecords, bundleChecksums, modelRegistry, checkpoints, deadLocks, strayTempFiles];

/** How old a stray temporary file or an unreadable lock must be before it is removed. */
export const STALE_MS = 5_000;

/** A problem as reported: what `--fix` did about it, if anything. */
export type ReportedProblem = Omit<Problem, "fix"> & { fixable: boolean; fixed?: string; fix_error?: string };

/** What doctor found and did. */
export interface DoctorReport {
  workspace: string;
  env: string | null;
  /** Whether the workspace exists at all (a fresh environment has none: nothing to check). */
  exists: boolean;
  /** What the first pass found, with what `--fix` did. */
  problems: ReportedProblem[];
  /** What is still wrong (after the fixes, when `fix` was set). */
  remaining: ReportedProblem[];
  checks: string[];
}

export interface DoctorOptions {
  env?: string | null;
  fix?: boolean;
  now?: () => number;
  staleMs?: number;
  /** Only these checks (by name). */
  only?: readonly string[];
}

/**
 * Checks a workspace and, with `fix`, repairs what is safe to repair.
 *
 * @example
 * ```ts
 * const report = runDoctor("/repo/.dagship/dev", { env: "dev", fix: true });
 * report.remaining.length === 0; // healthy, or everything was fixed
 * ```
 */
export function runDoctor(workspace: string, options: DoctorOptions = {}): DoctorReport {
  const now = options.now ?? Date.now;
  const checks = CHECKS.filter((c) => !options.only || options.only.includes(c.name));
  const ctx = (): DoctorContext => ({ workspace, env: options.env ?? null, now: now(), staleMs: options.staleMs ?? STALE_MS });
  const base = { workspace, env: options.env ?? null, checks: checks.map((c) => c.name) };
  if (!existsSync(workspace)) return { ...base, exists: false, problems: [], remaining: [] };
  const found = checks.flatMap((c) => c.run(ctx()));
  const problems = found.map((p): ReportedProblem => {
    const { fix, ...rest } = p;
    const reported: ReportedProblem = { ...rest, fixable: fix !== undefined };
    if (options.fix && fix) {
      try {
        fix.apply();
        reported.fixed = fix.action;
      } catch (error) {
        reported.fix_error = (error as Error).message;
      }
    }
    return reported;
  });
  if (!options.fix || !problems.some((p) => p.fixed)) return { ...base, exists: true, problems, remaining: problems };
  const again = checks.flatMap((c) => c.run(ctx())).map(({ fix, ...rest }): ReportedProblem => ({ ...rest, fixable: fix !== undefined }));
  // A fix that did not take (the same problem found again) is reported as not done.
  for (const p of problems) if (p.fixed && again.some((a) => a.code === p.code && a.path === p.path && a.message === p.message)) delete p.fixed;
  return { ...base, exists: true, problems, remaining: again };
}
