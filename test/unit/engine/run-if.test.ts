import { describe, expect, it } from "vitest";
import { decide, runOutcome } from "../../../runner/engine/run-if.js";
import type { RunIf } from "../../../runner/spec/compiled.js";
import type { TaskState } from "../../../runner/workspace/records.js";

const task = (run_if: RunIf, n = 2, outcomes: Array<"true" | "false" | undefined> = []) => ({
  run_if,
  depends_on: Array.from({ length: n }, (_, i) => (outcomes[i] ? { task_key: `u${i}`, outcome: outcomes[i]! } : { task_key: `u${i}` })),
});
const up = (...s: TaskState[]) => s.map((state) => ({ state }));

describe("decide (run_if)", () => {
  it.each([
    ["ALL_SUCCESS", up("SUCCESS", "SUCCESS"), "RUN"],
    ["ALL_SUCCESS", up("SUCCESS", "FAILED"), "UPSTREAM_FAILED"],
    ["ALL_SUCCESS", up("SUCCESS", "TIMEDOUT"), "UPSTREAM_FAILED"],
    ["ALL_SUCCESS", up("SUCCESS", "UPSTREAM_FAILED"), "UPSTREAM_FAILED"],
    ["ALL_SUCCESS", up("SUCCESS", "SKIPPED"), "SKIPPED"],
    ["ALL_SUCCESS", up("SUCCESS", "CANCELED"), "SKIPPED"],
    ["NONE_FAILED", up("SUCCESS", "SKIPPED"), "RUN"],
    ["NONE_FAILED", up("SKIPPED", "SKIPPED"), "SKIPPED"],
    ["NONE_FAILED", up("SUCCESS", "FAILED"), "UPSTREAM_FAILED"],
    ["AT_LEAST_ONE_SUCCESS", up("FAILED", "SUCCESS"), "RUN"],
    ["AT_LEAST_ONE_SUCCESS", up("FAILED", "FAILED"), "SKIPPED"],
    ["ALL_DONE", up("FAILED", "SKIPPED"), "RUN"],
    ["AT_LEAST_ONE_FAILED", up("SUCCESS", "TIMEDOUT"), "RUN"],
    ["AT_LEAST_ONE_FAILED", up("SUCCESS", "SUCCESS"), "SKIPPED"],
    ["ALL_FAILED", up("FAILED", "UPSTREAM_FAILED"), "RUN"],
    ["ALL_FAILED", up("FAILED", "SUCCESS"), "SKIPPED"],
  ] as const)("%s with upstream %j → %s", (runIf, upstream, expected) => {
    expect(decide(task(runIf), upstream)).toBe(expected);
  });

  it("runs a task without dependencies whatever its run_if", () => {
    expect(decide(task("ALL_FAILED", 0), [])).toBe("RUN");
  });

  it("counts an edge with an outcome as success only on that outcome", () => {
    expect(decide(task("ALL_SUCCESS", 1, ["true"]), [{ state: "SUCCESS", outcome: "true" }])).toBe("RUN");
    expect(decide(task("ALL_SUCCESS", 1, ["true"]), [{ state: "SUCCESS", outcome: "false" }])).toBe("SKIPPED");
    expect(decide(task("AT_LEAST_ONE_SUCCESS", 2, ["true", "false"]), [{ state: "SUCCESS", outcome: "false" }, { state: "SUCCESS", outcome: "false" }])).toBe("RUN");
  });
});

describe("runOutcome", () => {
  it("is SUCCESS when no task failed, timed out, was upstream-failed or canceled", () => {
    expect(runOutcome(["SUCCESS", "SKIPPED", "EXCLUDED"], "normal")).toBe("SUCCESS");
    for (const bad of ["FAILED", "TIMEDOUT", "UPSTREAM_FAILED", "CANCELED"] as const) expect(runOutcome(["SUCCESS", bad], "normal")).toBe("FAILED");
  });

  it("is CANCELED or TIMEDOUT when the run was canceled or timed out", () => {
    expect(runOutcome(["SUCCESS"], "canceled")).toBe("CANCELED");
    expect(runOutcome(["SUCCESS"], "timedout")).toBe("TIMEDOUT");
  });
});
