/**
 * Run records: every `runs/<id>/run.json` and job snapshot parses and has the shape the runner
 * writes; a run recorded as running whose runner is dead is reaped by `--fix` (the same reaping
 * `status` does: its leftover task processes are killed and it ends interrupted, ready for
 * `dagship repair`); an admission marker (`active/<job>/<id>`) of a dead runner is removed.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { reapRun } from "../engine/reap.js";
import { runnerAlive } from "../workspace/processes.js";
import { RUN_STATES, TASK_STATES, type RunRecord } from "../workspace/records.js";
import { RunStore } from "../workspace/store.js";
import { tempOwner } from "./temp-files.js";
import { DOCTOR_CODES, type DoctorCheck, type DoctorContext, type Problem } from "./types.js";
import { entries, mtimeMs } from "./walk.js";

const RUN_ID = /^r\d{8}T\d{6}-[0-9a-f]{6}$/;
const ACTIVE = new Set(["PENDING", "RUNNING"]);

/**
 * Checks every run of the workspace.
 *
 * @example
 * ```ts
 * runRecords.run(ctx); // [{ code: "DS2056", path: ".../runs/r2026…/run.json", message: "recorded RUNNING, but its runner (pid 4242) is dead", fix }]
 * ```
 */
export const runRecords: DoctorCheck = {
  name: "runs",
  run(ctx) {
    const store = new RunStore(ctx.workspace);
    const problems: Problem[] = [];
    for (const entry of entries(store.runsDir, (e) => problems.push(unreadableDir(store.runsDir, e)))) {
      if (!entry.isDirectory() || !RUN_ID.test(entry.name)) continue;
      problems.push(...checkRun(ctx, store, entry.name));
    }
    problems.push(...staleMarkers(ctx, store));
    return problems;
  },
};

function checkRun(ctx: DoctorContext, store: RunStore, id: string): Problem[] {
  const dir = path.join(store.runsDir, id);
  const file = path.join(dir, "run.json");
  const problem = (code: Problem["code"], message: string, hint: string, fix?: Problem["fix"]): Problem => ({ code, check: "runs", path: file, message, hint, ...(fix ? { fix } : {}) });
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") return [problem(DOCTOR_CODES.unreadable, `cannot be read (${(error as NodeJS.ErrnoException).code})`, "check the file's permissions")];
    // A run folder whose creation was cut short holds at most the job snapshot and temporary files.
    const leftovers = readdirSync(dir);
    const old = ctx.now - (mtimeMs(dir) ?? ctx.now) >= ctx.staleMs;
    if (leftovers.every((f) => f === "job.json" || tempOwner(f) !== undefined) && old) {
      return [{ code: DOCTOR_CODES.strayTemp, check: "runs", path: dir, message: "a run folder without a record: its runner died while creating it", hint: "safe to remove: dagship doctor --fix", fix: { action: "removed the folder", apply: () => rmSync(dir, { recursive: true, force: true }) } }];
    }
    return [problem(DOCTOR_CODES.unreadable, "is missing: the run's folder has no record", old ? "inspect the folder; dagship runs and status ignore it" : "it may be a run being created; check again in a few seconds")];
  }
  let record: RunRecord;
  try {
    record = JSON.parse(text) as RunRecord;
  } catch (error) {
    return [problem(DOCTOR_CODES.unreadable, `is not valid JSON (${(error as Error).message})`, "records are written atomically, so something else changed it; restore it from a backup or remove the run's folder")];
  }
  const wrong = shapeError(record, id);
  if (wrong) return [problem(DOCTOR_CODES.unreadable, `is not a run record: ${wrong}`, "restore it from a backup or remove the run's folder")];
  const problems: Problem[] = [];
  try {
    JSON.parse(readFileSync(path.join(dir, "job.json"), "utf8"));
  } catch (error) {
    problems.push({ code: DOCTOR_CODES.unreadable, check: "runs", path: path.join(dir, "job.json"), message: `the job the run started with ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "is missing" : "does not parse"}`, hint: "dagship repair needs it; the run can be shown but not repaired" });
  }
  if (ACTIVE.has(record.state) && !runnerAlive(record.runner)) {
    problems.push(problem(DOCTOR_CODES.deadRunner, `recorded ${record.state}, but its runner (pid ${record.runner.pid}) is dead`, `dagship doctor --fix (or dagship status ${id}) marks it interrupted; then: dagship repair ${id}`, { action: "marked it interrupted and ended its leftover task processes", apply: () => void reapRun(store, id) }));
  }
  return problems;
}

/** What is wrong with a parsed run record's shape, or undefined. */
function shapeError(r: RunRecord, id: string): string | undefined {
  if (r === null || typeof r !== "object") return "not an object";
  if (r.run_id !== id) return `its run_id is ${JSON.stringify(r.run_id)}, not the folder's ${id}`;
  if (typeof r.job !== "string") return "no job";
  if (!(RUN_STATES as readonly string[]).includes(r.state)) return `unknown state ${JSON.stringify(r.state)}`;
  if (!r.runner || typeof r.runner.pid !== "number") return "no runner";
  if (!r.tasks || typeof r.tasks !== "object") return "no tasks";
  for (const [key, t] of Object.entries(r.tasks)) {
    if (!t || !(TASK_STATES as readonly string[]).includes(t.state) || !Array.isArray(t.attempts)) return `task ${key} is malformed`;
  }
  return undefined;
}

/** Admission markers of runners that are dead (admission removes them itself at the next run of the job). */
function staleMarkers(ctx: DoctorContext, store: RunStore): Problem[] {
  const problems: Problem[] = [];
  const activeDir = path.join(ctx.workspace, "active");
  for (const key of entries(activeDir)) {
    for (const marker of entries(path.join(activeDir, key.name))) {
      const file = path.join(activeDir, key.name, marker.name);
      let runner: RunRecord["runner"] | undefined;
      try {
        runner = JSON.parse(readFileSync(file, "utf8")) as RunRecord["runner"];
      } catch {
        runner = undefined;
      }
      if (runner && typeof runner.pid === "number" && runnerAlive(runner)) continue;
      if (!runner && ctx.now - (mtimeMs(file) ?? ctx.now) < ctx.staleMs) continue; // being written
      problems.push({
        code: DOCTOR_CODES.deadRunner,
        check: "runs",
        path: file,
        message: runner ? `run ${marker.name} is counted as active, but its runner (pid ${runner.pid}) is dead` : `run ${marker.name} is counted as active by a marker that does not parse`,
        hint: "the next run of the job removes it; dagship doctor --fix removes it now",
        fix: {
          action: "reaped the run and removed the marker",
          apply: () => {
            if (RUN_ID.test(marker.name)) {
              try {
                reapRun(store, marker.name);
              } catch {
                // no record: only the marker is left
              }
            }
            rmSync(file, { force: true });
          },
        },
      });
    }
  }
  return problems;
}

/**
 * The problem of a folder that exists but cannot be listed.
 *
 * @example
 * ```ts
 * entries(dir, (e) => problems.push(unreadableDir(dir, e)));
 * ```
 */
export function unreadableDir(dir: string, error: NodeJS.ErrnoException): Problem {
  return { code: DOCTOR_CODES.unreadableDir, check: "workspace", path: dir, message: `cannot be read (${error.code})`, hint: "check its permissions: doctor cannot check what is inside" };
}
