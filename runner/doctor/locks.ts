/**
 * Dead locks: lock files (`deployments/deploy.lock`, `locks/<job>.lock`, a model's
 * `versions.lock` and `aliases.lock`) whose holder is no longer running. dagship takes such a
 * lock over when it next needs it; `--fix` releases it now. A lock that cannot be parsed is its
 * holder between creating and writing it, or one that died there, which `staleMs` tells apart.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { isAlive } from "../workspace/processes.js";
import { DOCTOR_CODES, type DoctorCheck, type DoctorContext, type Problem } from "./types.js";
import { mtimeMs, walk } from "./walk.js";

/**
 * Finds the workspace's locks held by dead processes.
 *
 * @example
 * ```ts
 * deadLocks.run(ctx); // [{ code: "DS2055", path: ".../deployments/deploy.lock", message: "held by process 4242, which is no longer running", fix }]
 * ```
 */
export const deadLocks: DoctorCheck = {
  name: "locks",
  run(ctx) {
    const problems: Problem[] = [];
    walk(
      ctx.workspace,
      (dir) => path.basename(dir) !== "data",
      (file, entry) => {
        if (!entry.isFile() || !file.endsWith(".lock")) return;
        const problem = checkLock(ctx, file);
        if (problem) problems.push(problem);
      },
    );
    return problems;
  },
};

function checkLock(ctx: DoctorContext, file: string): Problem | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined; // released meanwhile
  }
  let owner: { pid?: unknown; start?: unknown } | undefined;
  try {
    owner = JSON.parse(text) as { pid?: unknown; start?: unknown };
  } catch {
    owner = undefined;
  }
  const release = { action: "released it", apply: () => releaseIfUnchanged(file, text) };
  if (owner && typeof owner.pid === "number") {
    if (isAlive(owner.pid, typeof owner.start === "string" ? owner.start : undefined)) return undefined;
    return { code: DOCTOR_CODES.deadLock, check: "locks", path: file, message: `held by process ${owner.pid}, which is no longer running`, hint: "dagship takes it over when it next needs it; dagship doctor --fix releases it now", fix: release };
  }
  const age = ctx.now - (mtimeMs(file) ?? ctx.now);
  if (age < ctx.staleMs) return undefined; // its holder is between creating and writing it
  return { code: DOCTOR_CODES.deadLock, check: "locks", path: file, message: `does not name its holder (${Math.round(age / 1000)} s old): its holder died while taking it`, hint: "safe to release: dagship doctor --fix", fix: release };
}

/** Removes the lock only if it is still the one that was found dead (not one taken since). */
function releaseIfUnchanged(file: string, seen: string): void {
  let now: string;
  try {
    now = readFileSync(file, "utf8");
  } catch {
    return;
  }
  if (now === seen) rmSync(file, { force: true });
}
