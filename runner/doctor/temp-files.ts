/**
 * Stray temporary files: what an atomic write (`<file>.tmp-<pid>-<n>`), a job bundle being
 * assembled (`objects/<job>/.tmp-<id>-<pid>/`), a model version being staged
 * (`models/<name>/.staging/<pid>-<hex>/`) or a namespace being removed (`deployments/trash/`)
 * leaves behind when its process dies. One whose process is alive is a write in progress and is
 * left alone; `--fix` removes the others once they are `staleMs` old.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { isAlive } from "../workspace/processes.js";
import { DOCTOR_CODES, type DoctorCheck, type DoctorContext, type Problem } from "./types.js";
import { mtimeMs, walk } from "./walk.js";

/**
 * The pid that owns a temporary entry, or undefined when `file` is not one.
 *
 * @example
 * ```ts
 * tempOwner(".dagship/dev/runs/r1/run.json.tmp-4242-7"); // 4242
 * tempOwner(".dagship/dev/runs/r1/run.json");            // undefined
 * ```
 */
export function tempOwner(file: string): number | undefined {
  const name = path.basename(file);
  const parent = path.basename(path.dirname(file));
  const m =
    /\.tmp-(?:[0-9a-f]{12}-)?(\d+)(?:-\d+)?$/.exec(name) ??
    (parent === ".staging" ? /^(\d+)-[0-9a-f]+$/.exec(name) : null) ??
    (parent === "trash" && path.basename(path.dirname(path.dirname(file))) !== "trash" ? /-(\d+)-\d+$/.exec(name) : null);
  return m ? Number(m[1]) : undefined;
}

/**
 * Finds the workspace's stray temporary files and folders.
 *
 * @example
 * ```ts
 * strayTempFiles.run({ workspace: ".dagship/dev", env: "dev", now: Date.now(), staleMs: 5000 });
 * // [{ code: "DS2054", path: ".../run.json.tmp-4242-3", fix: { action: "removed it", ... } }]
 * ```
 */
export const strayTempFiles: DoctorCheck = {
  name: "temp-files",
  run(ctx) {
    const problems: Problem[] = [];
    const found = new Set<string>();
    walk(
      ctx.workspace,
      (dir) => !found.has(dir),
      (file) => {
        const pid = tempOwner(file);
        if (pid === undefined || isAlive(pid)) return;
        found.add(file);
        problems.push(stray(ctx, file, pid));
      },
    );
    return problems;
  },
};

function stray(ctx: DoctorContext, file: string, pid: number): Problem {
  const age = ctx.now - (mtimeMs(file) ?? ctx.now);
  const old = age >= ctx.staleMs;
  return {
    code: DOCTOR_CODES.strayTemp,
    check: "temp-files",
    path: file,
    message: `a temporary ${path.basename(path.dirname(file)) === ".staging" || !/\.tmp-\d+(-\d+)?$/.test(file) ? "folder" : "file"} of process ${pid}, which is no longer running (${Math.round(age / 1000)} s old): a write it did not finish`,
    hint: old ? "safe to remove: dagship doctor --fix" : `it is recent; dagship doctor --fix removes it once it is ${Math.round(ctx.staleMs / 1000)} s old`,
    ...(old ? { fix: { action: "removed it", apply: () => rmSync(file, { recursive: true, force: true }) } } : {}),
  };
}
