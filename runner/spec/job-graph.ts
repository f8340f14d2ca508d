import { readFileSync } from "node:fs";
import path from "node:path";
import type { Finding } from "./diagnostics.js";
import type { DraftJob } from "./draft.js";
import { findCycles } from "./graph.js";
import { JOB_NAME_PATTERN } from "./names.js";

const JOB_NAME = new RegExp(JOB_NAME_PATTERN);

/** A job being compiled: its file, its draft (when it parsed) and where its findings go. */
export interface JobUnit {
  path: string;
  draft?: DraftJob;
  findings: Finding[];
}

/**
 * DS1023 across jobs: jobs that run each other, directly or through others, via run_job_task.
 * The graph holds the jobs being compiled and, read from their files, every job they run
 * (transitively) beside them, so validating one job still finds a cycle through the others.
 * Every compiled job on a cycle gets the error, at its own run_job_task.
 */
export function reportRunJobCycles(units: readonly JobUnit[]): void {
  const byFolder = new Map(units.filter((u) => u.draft).map((u) => [path.dirname(u.path), u]));
  const edges = new Map<string, string[]>();
  const pending = [...byFolder.keys()];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    if (edges.has(folder)) continue;
    const targets = runTargets(folder, byFolder.get(folder)?.draft).filter((t) => t !== path.basename(folder));
    const next = targets.map((t) => path.join(path.dirname(folder), t));
    edges.set(folder, next);
    pending.push(...next);
  }
  for (const cycle of findCycles(edges)) {
    const ring = cycle.slice(0, -1);
    ring.forEach((folder, i) => {
      const unit = byFolder.get(folder);
      if (!unit) return;
      const target = path.basename(ring[(i + 1) % ring.length]!);
      const task = unit.draft!.tasks.find((t) => t.run_job_task?.job === target)!;
      const names = [...ring.slice(i), ...ring.slice(0, i), folder].map((f) => path.basename(f));
      unit.findings.push({
        pointer: `/tasks/${task.index}/run_job_task/job`,
        code: "DS1023",
        message: `run_job_task cycle between jobs: ${names.join(" → ")}`,
        hint: "each run would start child runs forever; break the cycle",
      });
    });
  }
}

/** The jobs a job runs: from its draft, or else read (leniently) from its job.json. */
function runTargets(folder: string, draft: DraftJob | undefined): string[] {
  if (draft) return [...new Set(draft.tasks.flatMap((t) => (t.run_job_task?.job ? [t.run_job_task.job] : [])))];
  try {
    const job = JSON.parse(readFileSync(path.join(folder, "job.json"), "utf8")) as { tasks?: Array<{ run_job_task?: { job?: unknown } }> };
    const jobs = (Array.isArray(job.tasks) ? job.tasks : []).map((t) => t?.run_job_task?.job);
    return [...new Set(jobs.filter((j): j is string => typeof j === "string" && JOB_NAME.test(j)))];
  } catch {
    return [];
  }
}
