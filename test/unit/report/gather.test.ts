import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gatherReport, DEFAULT_LIMITS } from "../../../runner/report/gather.js";
import { readTail } from "../../../runner/report/tail.js";
import type { RunRecord } from "../../../runner/workspace/records.js";

const root = mkdtempSync(path.join(tmpdir(), "dagship-gather-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const workspace = path.join(root, ".dagship", "dev");
const runId = "r20261121T000000-abcdef";
const runDir = path.join(workspace, "runs", runId);
const SECRET = "hunter2-secret";

function record(): RunRecord {
  const at = "2026-11-21T00:00:00.000Z";
  return {
    run_id: runId,
    job: "j",
    env: "dev",
    state: "FAILED",
    started_at: at,
    parameters: { token: `x${SECRET}` },
    runner: { pid: 1, host: "h", started_at: at },
    source: { kind: "working_tree", file: "jobs/j/job.json" },
    tasks: {
      ok: { state: "SUCCESS", attempts: [{ n: 1, state: "SUCCESS", started_at: at, ended_at: at, duration_ms: 5, log: "tasks/ok/attempt-1/log" }], duration_ms: 5, values: { [SECRET]: "v", big: "x".repeat(20_000) }, tables: {} },
      bad: {
        state: "FAILED",
        attempts: [{ n: 1, state: "FAILED", started_at: at, ended_at: at, duration_ms: 5, log: "tasks/bad/attempt-1/log", error: { reason: "exited", message: `boom ${SECRET}`, exit_code: 3, signal: null, stderr_tail: `stderr ${SECRET}` } }],
        duration_ms: 5,
        values: {},
        tables: { gone: { path: "tasks/bad/attempt-1/tables/gone.arrow", rows: 7, bytes: 100, schema: [{ name: "a", type: "Int32" }] } },
      },
    },
  };
}

function setup(): void {
  mkdirSync(path.join(root, "jobs", "j"), { recursive: true });
  writeFileSync(path.join(root, "jobs", "j", "job.json"), JSON.stringify({ name: "j", tasks: [{ task_key: "ok", ts_task: { module: "t.ts" } }, { task_key: "bad", depends_on: [{ task_key: "ok" }], run_if: "ALL_DONE", ts_task: { module: "t.ts", export: "bad" } }] }));
  for (const [task, text] of [["ok", "fine\n"], ["bad", Array.from({ length: 100 }, (_, i) => `line ${i} ${SECRET}`).join("\n") + "\n"]] as const) {
    mkdirSync(path.join(runDir, "tasks", task, "attempt-1"), { recursive: true });
    writeFileSync(path.join(runDir, "tasks", task, "attempt-1", "log"), text);
  }
}

describe("gatherReport", () => {
  setup();
  const env = { name: "dev", root, workspace, secrets: { TOKEN: SECRET } };

  it("masks the environment's secrets in every string and key", async () => {
    const data = await gatherReport(record(), runDir, env);
    expect(JSON.stringify(data)).not.toContain(SECRET);
    expect(data.parameters.token).toBe("x***");
    const bad = data.tasks.find((t) => t.key === "bad")!;
    expect(bad.attempts[0]!.error).toMatchObject({ message: "boom ***", stderr_tail: "stderr ***", exit_code: 3, reason: "exited" });
  });

  it("takes the graph, kind and run_if from the job file, and the log tail from the end of the log", async () => {
    const data = await gatherReport(record(), runDir, env);
    const bad = data.tasks.find((t) => t.key === "bad")!;
    expect(bad.depends_on).toEqual([{ task_key: "ok" }]);
    expect(bad.kind).toBe("ts_task t.ts#bad");
    expect(bad.run_if).toBe("ALL_DONE");
    const tail = bad.attempts[0]!.log_tail!.split("\n");
    expect(tail).toHaveLength(DEFAULT_LIMITS.logLines);
    expect(tail.at(-1)).toBe("line 99 ***");
  });

  it("masks before it cuts: a cut never leaves part of a secret", async () => {
    const r = record();
    r.tasks.ok!.values = { a: "y".repeat(80) + SECRET };
    const data = await gatherReport(r, runDir, env, { ...DEFAULT_LIMITS, valuesChars: 95 });
    expect(data.tasks.find((t) => t.key === "ok")!.values).not.toContain(SECRET.slice(0, 6));
  });

  it("cuts values to the budget and says so, and falls back on the record for a table file that is gone", async () => {
    const data = await gatherReport(record(), runDir, env, { ...DEFAULT_LIMITS, valuesChars: 100 });
    const ok = data.tasks.find((t) => t.key === "ok")!;
    expect(ok.values.length).toBe(100);
    expect(ok.values_note).toContain("cut to 100");
    const table = data.tasks.find((t) => t.key === "bad")!.tables[0]!;
    expect(table).toMatchObject({ name: "gone", rows: 7, source: "record" });
    expect(table.note).toContain("gone");
  });

  it("spends the log budget on failed tasks first", async () => {
    const data = await gatherReport(record(), runDir, env, { ...DEFAULT_LIMITS, logBudget: 10 });
    expect(data.tasks.find((t) => t.key === "bad")!.attempts[0]!.log_tail).toBeDefined();
    expect(data.tasks.find((t) => t.key === "ok")!.attempts[0]!.log_note).toContain("budget");
  });
});

describe("readTail", () => {
  it("reads only the end of a file and drops the partial first line of the window", () => {
    const file = path.join(root, "long.log");
    writeFileSync(file, Array.from({ length: 10_000 }, (_, i) => `line ${i}`).join("\n"));
    expect(readTail(file, 3, 4096).split("\n")).toEqual(["line 9997", "line 9998", "line 9999"]);
    expect(readTail(file, 1000, 30).split("\n")).toEqual(["line 9997", "line 9998", "line 9999"]);
  });
});
