import { readFileSync } from "node:fs";
import path from "node:path";
import type { RunRecord } from "../../workspace/records.js";
import { formatDuration, formatTable, formatValues } from "./table.js";

/** The table `status` and the end of `run` print: one row per task. */
export function runTable(run: RunRecord): string {
  const head = `run ${run.run_id}  job ${run.job}  env ${run.env}  ${run.state}${run.interrupted ? " (interrupted)" : ""}  ${formatDuration(run.duration_ms)}\n`;
  const rows = Object.entries(run.tasks).map(([key, t]) => [key, t.state + (t.outcome ? ` (${t.outcome})` : ""), String(t.attempts.length), formatDuration(t.duration_ms || undefined), formatValues(t.values)]);
  return head + formatTable(["task", "state", "attempts", "duration", "values"], rows);
}

/** For each task that failed: its error and the tail of its last attempt's log. */
export function failureDetails(run: RunRecord, runDir: string, lines = 15): string {
  let out = "";
  for (const [key, t] of Object.entries(run.tasks)) {
    if (t.state !== "FAILED" && t.state !== "TIMEDOUT") continue;
    const last = t.attempts[t.attempts.length - 1];
    if (!last?.error) continue;
    const e = last.error;
    out += `\n✗ ${key}: ${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message}\n`;
    out += `  reason ${e.reason}${e.exit_code !== null ? `, exit code ${e.exit_code}` : ""}${e.signal ? `, signal ${e.signal}` : ""}\n`;
    const tail = last.log ? logTail(path.join(runDir, last.log), lines) : e.stderr_tail;
    if (tail.trim()) out += tail.replace(/^/gm, "  │ ").trimEnd() + "\n";
  }
  return out;
}

function logTail(file: string, lines: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
