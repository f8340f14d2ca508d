import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../errors.js";
import { writeFileAtomic, writeFileAtomicAsync } from "./atomic.js";
import type { RunRecord } from "./records.js";

const RUN_ID = /^r\d{8}T\d{6}-[0-9a-f]{6}$/;
/** The millisecond of the last id this process handed out (ids are strictly increasing). */
let lastIdMs = 0;

/**
 * The runs of one environment's workspace: `<workspace>/runs/<run_id>/run.json`, plus each
 * run's attempt folders. Run ids sort by start time (see {@link RunStore.newRunId}). Every
 * record write is atomic.
 *
 * @example
 * ```ts
 * const store = new RunStore("/repo/.dagship/dev");
 * for (const run of store.list({ job: "train", limit: 5 })) console.log(run.run_id, run.state);
 * ```
 */
export class RunStore {
  readonly runsDir: string;
  constructor(readonly workspace: string) {
    this.runsDir = path.join(workspace, "runs");
  }

  /**
   * A new, unique run id such as `r20261120T234800-1f4a9c`: the UTC second, then the millisecond
   * as three hex digits, then three random ones. Ids therefore sort by start time to the
   * millisecond (`runs` lists newest first by id), and one process never hands out two ids in
   * the same millisecond. An id already taken in this workspace is never returned.
   */
  newRunId(now = Date.now()): string {
    for (;;) {
      const ms = (lastIdMs = Math.max(now, lastIdMs + 1));
      const stamp = new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "");
      const id = `r${stamp}-${(ms % 1000).toString(16).padStart(3, "0")}${randomBytes(2).toString("hex").slice(1)}`;
      if (!existsSync(path.join(this.runsDir, id))) return id;
    }
  }

  /** The folder of a run; throws a {@link ConfigError} for a malformed id (no path tricks). */
  runDir(runId: string): string {
    if (!RUN_ID.test(runId)) throw new ConfigError("DS2006", `"${runId.slice(0, 80)}" is not a run id`, { hint: "run ids look like r20261120T234800-7f3a9c; see: dagship runs" });
    return path.join(this.runsDir, runId);
  }

  create(record: RunRecord): string {
    const dir = this.runDir(record.run_id);
    mkdirSync(dir, { recursive: true });
    this.save(record);
    return dir;
  }

  /** Saves a run's record atomically. Compact JSON: it is rewritten on every task state change. */
  save(record: RunRecord): void {
    writeFileAtomic(path.join(this.runDir(record.run_id), "run.json"), JSON.stringify(record));
  }

  /**
   * Saves a run's record atomically off the event loop (see {@link writeFileAtomicAsync}). The
   * record is serialized at once: later changes to it are not part of this write. With `after`,
   * the write starts once that settles (what the record refers to is on disk first).
   */
  async saveAsync(record: RunRecord, after?: Promise<unknown>): Promise<void> {
    const file = path.join(this.runDir(record.run_id), "run.json");
    const json = JSON.stringify(record);
    await after;
    await writeFileAtomicAsync(file, json);
  }

  /** Reads a run; a missing one is a {@link ConfigError} (exit 2). */
  read(runId: string): RunRecord {
    const file = path.join(this.runDir(runId), "run.json");
    if (!existsSync(file)) throw new ConfigError("DS2006", `no run "${runId}" in ${this.workspace}`, { hint: "see: dagship runs --env <env>" });
    return JSON.parse(readFileSync(file, "utf8")) as RunRecord;
  }

  /** Runs, newest first, optionally of one job only. Unreadable records are skipped. */
  list(filter: { job?: string; limit?: number } = {}): RunRecord[] {
    let ids: string[];
    try {
      ids = readdirSync(this.runsDir).filter((id) => RUN_ID.test(id)).sort().reverse();
    } catch {
      return [];
    }
    const out: RunRecord[] = [];
    for (const id of ids) {
      if (filter.limit !== undefined && out.length >= filter.limit) break;
      let run: RunRecord;
      try {
        run = JSON.parse(readFileSync(path.join(this.runsDir, id, "run.json"), "utf8")) as RunRecord;
      } catch {
        continue;
      }
      if (filter.job === undefined || run.job === filter.job) out.push(run);
    }
    return out;
  }
}
