/**
 * Reaping adopts an attempt that finished while its runner was dying: the task process wrote its
 * result file as its last act, so the task's work is not done a second time by repair.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { adoptFinishedAttempts } from "../../../runner/engine/adopt.js";
import type { RunRecord, TaskRecord } from "../../../runner/workspace/records.js";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const task = (state: TaskRecord["state"], attempts: TaskRecord["attempts"] = []): TaskRecord => ({ state, attempts, duration_ms: 0, values: {}, tables: {} });
const TABLE = { path: "tables/rows.arrow", rows: 3, bytes: 5, schema: [] };

function run(tasks: Record<string, TaskRecord>): RunRecord {
  return { run_id: "r1", job: "j", env: "dev", state: "RUNNING", started_at: "2026-11-21T00:00:00.000Z", parameters: {}, tasks, runner: { pid: 1, host: "h", started_at: "" }, source: { kind: "working_tree", file: "jobs/j/job.json" } };
}

/** Writes attempt n of `key`'s folder: its result file (as given, or raw text) and its table file. */
function attemptDir(key: string, n: number, result: unknown, table = true): void {
  const d = path.join(dir, "tasks", key, `attempt-${n}`);
  mkdirSync(path.join(d, "tables"), { recursive: true });
  if (table) writeFileSync(path.join(d, "tables", "rows.arrow"), "ARROW");
  writeFileSync(path.join(d, "result.json"), typeof result === "string" ? result : JSON.stringify(result));
}

const success = { ok: true, pid: 4242, pid_start: "99", started_at: "2026-11-21T00:00:01.000Z", ended_at: "2026-11-21T00:00:01.250Z", values: { n: 7 }, tables: { rows: TABLE } };

describe("adoptFinishedAttempts", () => {
  it("adopts a recorded running attempt and one the record never saw, with their values, tables and pids", () => {
    dir = mkdtempSync(path.join(tmpdir(), "dagship-adopt-"));
    const record = run({
      a: task("RUNNING", [{ n: 1, state: "RUNNING", started_at: "2026-11-21T00:00:01.000Z", pid: 4242 }]),
      b: task("PENDING"),
      c: task("SUCCESS"),
    });
    attemptDir("a", 1, success);
    attemptDir("b", 1, success);
    expect(adoptFinishedAttempts(record, dir)).toEqual(["a", "b"]);
    for (const key of ["a", "b"]) {
      const t = record.tasks[key]!;
      expect(t.state).toBe("SUCCESS");
      expect(t.values).toEqual({ n: 7 });
      expect(t.tables.rows!.path).toBe(path.join("tasks", key, "attempt-1", "tables", "rows.arrow"));
      expect(t.attempts).toHaveLength(1);
      expect(t.attempts[0]).toMatchObject({ n: 1, state: "SUCCESS", duration_ms: 250, pid: 4242, ended_at: success.ended_at });
    }
    expect(record.tasks.b!.attempts[0]!.pid_start).toBe("99");
  });

  it("adopts nothing but a complete success whose table files exist and whose names the runner accepts", () => {
    dir = mkdtempSync(path.join(tmpdir(), "dagship-adopt-"));
    const cases: Record<string, [unknown, boolean?]> = {
      none: [undefined],
      torn: ['{"ok":true,"pid":4242,"val'],
      failed: [{ ...success, ok: false }],
      badValue: [{ ...success, values: { "../x": 1 } }],
      badPath: [{ ...success, tables: { rows: { ...TABLE, path: "../../elsewhere.arrow" } } }],
      noPid: [{ ...success, pid: "x" }],
      missingTable: [success, false],
    };
    const record = run(Object.fromEntries(Object.keys(cases).map((k) => [k, task("PENDING")])));
    for (const [key, [result, table]] of Object.entries(cases)) if (result !== undefined) attemptDir(key, 1, result, table ?? true);
    expect(adoptFinishedAttempts(record, dir)).toEqual([]);
    for (const t of Object.values(record.tasks)) expect(t).toEqual(task("PENDING"));
  });
});
