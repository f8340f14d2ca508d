import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { DagshipError } from "../errors.js";
import type { CompiledJob } from "../spec/compiled.js";
import { writeFileAtomic } from "../workspace/atomic.js";
import { acquireLock } from "../workspace/lock.js";
import { processStartTime, runnerAlive } from "../workspace/processes.js";
import type { RunRecord } from "../workspace/records.js";
import type { RunStore } from "../workspace/store.js";
import { admissionKey, reapRun } from "./reap.js";

/** The runner fields of a record for this process. */
export function thisRunner(): RunRecord["runner"] {
  const start = processStartTime(process.pid);
  return { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), ...(start === undefined ? {} : { start }) };
}

function activeDir(store: RunStore, key: string): string {
  return path.join(store.workspace, "active", key);
}

/**
 * Admits a run of `job` — counting its active runs across every process, under the job's lock —
 * and then `create`s it. A run beyond `max_concurrent_runs` is refused (exit 2) with a message
 * naming the active runs. Runs whose runner died are reaped (marked interrupted) on the way.
 * Returns the function that ends the run's admission.
 */
export async function admit(store: RunStore, job: CompiledJob, record: RunRecord, create: () => void): Promise<() => void> {
  const key = admissionKey(job.name, record);
  const release = await acquireLock(path.join(store.workspace, "locks", `${key}.lock`));
  const dir = activeDir(store, key);
  try {
    mkdirSync(dir, { recursive: true });
    const active: string[] = [];
    for (const id of readdirSync(dir)) {
      if (id.includes(".tmp-")) continue; // an entry being written when its runner died: not a run
      let runner: RunRecord["runner"];
      try {
        runner = JSON.parse(readFileSync(path.join(dir, id), "utf8")) as RunRecord["runner"];
      } catch {
        continue;
      }
      if (runnerAlive(runner)) active.push(id);
      else {
        reapRun(store, id);
        rmSync(path.join(dir, id), { force: true });
      }
    }
    if (active.length >= job.max_concurrent_runs) {
      throw new DagshipError("DS2007", `job "${job.name}" already has ${active.length} active run${active.length === 1 ? "" : "s"} (${active.sort().join(", ")}); max_concurrent_runs is ${job.max_concurrent_runs}`, {
        hint: `wait for ${active.length === 1 ? "it" : "one"} to end, or cancel: dagship cancel ${active[0]}`,
        exitCode: 2,
      });
    }
    create();
    // Atomic like every workspace record: a runner killed mid-write leaves no torn entry behind.
    writeFileAtomic(path.join(dir, record.run_id), JSON.stringify(record.runner));
  } finally {
    release();
  }
  return () => rmSync(path.join(dir, record.run_id), { force: true });
}
