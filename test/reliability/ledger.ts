/**
 * The crash job's ledger: one line per step of a task execution, `<task> <run> <attempt> <pid>
 * start|done`, appended by the task itself (test/fixtures/crash-repo/jobs/crash/tasks/step.ts).
 * Each process is one execution, so the pid tells executions apart even when a run reuses an
 * attempt number.
 */
import { readFileSync } from "node:fs";

export interface LedgerLine {
  task: string;
  run: string;
  attempt: number;
  pid: number;
  what: "start" | "done";
}

/** The ledger's lines (none when it does not exist yet). */
export function readLedger(file: string): LedgerLine[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [task, run, attempt, pid, what] = l.split(" ");
      if (!task || !run || !what || (what !== "start" && what !== "done")) throw new Error(`ledger ${file}: malformed line "${l}"`);
      return { task, run, attempt: Number(attempt), pid: Number(pid), what };
    });
}

/** What a ledger says about one run: per task, the executions (pid) that started and that finished. */
export function executions(lines: readonly LedgerLine[], task: string): Map<number, { start: number; done: number }> {
  const out = new Map<number, { start: number; done: number }>();
  for (const l of lines) {
    if (l.task !== task) continue;
    const e = out.get(l.pid) ?? { start: 0, done: 0 };
    e[l.what]++;
    out.set(l.pid, e);
  }
  return out;
}
