import { describe, expect, it } from "vitest";
import type { AttemptRequest } from "../../../runner/executors/types.js";
import { execute, fail, job, ok, scripted, states } from "./helpers.js";

describe("executeRun", () => {
  it("runs a chain in dependency order and succeeds", async () => {
    const ex = scripted({});
    const run = await execute(job([{ key: "a" }, { key: "b", deps: ["a"] }, { key: "c", deps: ["b"] }]), ex);
    expect(run.state).toBe("SUCCESS");
    expect(ex.calls.map((c) => c.task_key)).toEqual(["a", "b", "c"]);
    expect(run.ended_at).toBeDefined();
  });

  it("marks dependants of a failed task UPSTREAM_FAILED, and runs ALL_DONE and AT_LEAST_ONE_FAILED tasks", async () => {
    const run = await execute(
      job([
        { key: "a" },
        { key: "b", deps: ["a"] },
        { key: "c", deps: ["b"] },
        { key: "cleanup", deps: ["b"], run_if: "ALL_DONE" },
        { key: "alert", deps: ["b"], run_if: "AT_LEAST_ONE_FAILED" },
        { key: "only_ok", deps: ["a"], run_if: "ALL_FAILED" },
      ]),
      scripted({ b: [fail()] }),
    );
    expect(states(run)).toEqual({ a: "SUCCESS", b: "FAILED", c: "UPSTREAM_FAILED", cleanup: "SUCCESS", alert: "SUCCESS", only_ok: "SKIPPED" });
    expect(run.state).toBe("FAILED");
    expect(run.tasks.b!.attempts[0]!.error).toMatchObject({ reason: "threw", message: "boom", exit_code: 1 });
  });

  it("follows a condition's outcome and skips the other branch and what depends on it", async () => {
    const j = job([
      { key: "score" },
      { key: "gate", deps: ["score"], type: "condition_task", condition_task: { op: "GREATER_THAN", left: "{{tasks.score.values.auc}}", right: "0.8" } } as never,
      { key: "promote", deps: [{ task_key: "gate", outcome: "true" }] },
      { key: "notify", deps: ["promote"] },
      { key: "reject", deps: [{ task_key: "gate", outcome: "false" }] },
    ]);
    const good = await execute(j, scripted({ score: [ok({ auc: 0.91 })] }));
    expect(states(good)).toEqual({ score: "SUCCESS", gate: "SUCCESS", promote: "SUCCESS", notify: "SUCCESS", reject: "SKIPPED" });
    expect(good.tasks.gate!.outcome).toBe("true");
    const bad = await execute(j, scripted({ score: [ok({ auc: 0.5 })] }));
    expect(states(bad)).toEqual({ score: "SUCCESS", gate: "SUCCESS", promote: "SKIPPED", notify: "SKIPPED", reject: "SUCCESS" });
    expect(bad.state).toBe("SUCCESS");
  });

  it("retries a failing task up to max_retries, waiting min_retry_interval_millis between attempts", async () => {
    const ex = scripted({ a: [fail(), fail(), ok()] });
    const run = await execute(job([{ key: "a", max_retries: 2, min_retry_interval_millis: 50 }]), ex);
    expect(run.state).toBe("SUCCESS");
    expect(run.tasks.a!.attempts.map((a) => a.state)).toEqual(["FAILED", "FAILED", "SUCCESS"]);
    expect(ex.calls.map((c) => c.job.attempt)).toEqual([1, 2, 3]);
    const [first, second] = run.tasks.a!.attempts;
    expect(Date.parse(second!.started_at) - Date.parse(first!.ended_at!)).toBeGreaterThanOrEqual(45);
  });

  it("gives up after max_retries + 1 attempts", async () => {
    const run = await execute(job([{ key: "a", max_retries: 1 }]), scripted({ a: [fail()] }));
    expect(run.tasks.a!.attempts).toHaveLength(2);
    expect(run.tasks.a!.state).toBe("FAILED");
  });

  it("does not retry a timeout unless retry_on_timeout is set", async () => {
    const once = await execute(job([{ key: "a", max_retries: 3, timeout_seconds: 1 }]), scripted({ a: [fail("timeout")] }));
    expect(once.tasks.a!.attempts).toHaveLength(1);
    expect(once.tasks.a!.state).toBe("TIMEDOUT");
    const again = await execute(job([{ key: "a", max_retries: 2, timeout_seconds: 1, retry_on_timeout: true }]), scripted({ a: [fail("timeout"), ok()] }));
    expect(again.tasks.a!.attempts.map((a) => a.state)).toEqual(["TIMEDOUT", "SUCCESS"]);
  });

  it("passes the task timeout to the executor in milliseconds", async () => {
    const ex = scripted({});
    await execute(job([{ key: "a", timeout_seconds: 7 }]), ex);
    expect(ex.calls[0]!.timeoutMs).toBe(7000);
  });

  it("never runs more tasks at once than the concurrency limit", async () => {
    const ex = scripted({});
    const run = await execute(job(Array.from({ length: 12 }, (_, i) => ({ key: `t${i}` }))), ex, { concurrency: 3 });
    expect(run.state).toBe("SUCCESS");
    expect(ex.maxParallel).toBe(3);
  });

  it("resolves references to parameters and upstream values when a task starts", async () => {
    const ex = scripted({ a: [ok({ n: 3, obj: { k: 1 } })] });
    await execute(
      job([{ key: "a" }, { key: "b", deps: ["a"], ts_task: { module: "m.ts", path: "/repo/m.ts", export: "default", parameters: { p: "{{job.parameters.x}}", n: "{{tasks.a.values.n}}", o: "{{tasks.a.values.obj}}", k: "{{task.key}}", id: "{{job.run_id}}" } } }]),
      ex,
      { parameters: { x: "hello" } },
    );
    const b = ex.calls.find((c) => c.task_key === "b")!;
    expect(b.params).toEqual({ p: "hello", n: "3", o: '{"k":1}', k: "b", id: expect.stringMatching(/^r\d{8}T/) });
    expect(b.values).toEqual({ a: { n: 3, obj: { k: 1 } } });
  });

  it("ends running tasks and the run CANCELED when canceled, starting nothing new", async () => {
    const controller = new AbortController();
    const waitForAbort = (r: AttemptRequest) =>
      new Promise<ReturnType<typeof fail>>((resolve) => r.signal.addEventListener("abort", () => resolve(fail("canceled", "canceled")), { once: true }));
    const ex = scripted({ a: [waitForAbort] });
    setTimeout(() => controller.abort(), 50);
    const run = await execute(job([{ key: "a" }, { key: "b", deps: ["a"] }]), ex, { signal: controller.signal });
    expect(run.state).toBe("CANCELED");
    expect(states(run)).toEqual({ a: "CANCELED", b: "CANCELED" });
    expect(ex.calls.map((c) => c.task_key)).toEqual(["a"]);
  });

  it("times the whole run out after the job's timeout_seconds", async () => {
    const waitForAbort = (r: AttemptRequest) =>
      new Promise<ReturnType<typeof fail>>((resolve) => r.signal.addEventListener("abort", () => resolve(fail("canceled", "canceled")), { once: true }));
    const started = Date.now();
    const run = await execute(job([{ key: "a" }, { key: "b", deps: ["a"] }], { timeout_seconds: 1 }), scripted({ a: [waitForAbort] }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(run.state).toBe("TIMEDOUT");
    expect(states(run)).toEqual({ a: "TIMEDOUT", b: "CANCELED" });
    expect(run.tasks.a!.attempts[0]!.error!.reason).toBe("timeout");
  });

  it("runs a run_job_task as a child run and ends with its outcome", async () => {
    const j = job([{ key: "child", type: "run_job_task", run_job_task: { job: "other", job_parameters: { x: "{{job.parameters.p}}" } } } as never]);
    const seen: unknown[] = [];
    const run = await execute(j, scripted({}), {
      parameters: { p: "42" },
      startChildRun: async (req) => {
        seen.push(req);
        return { run_id: "r20260101T000000-abcdef", job: "other", state: "FAILED" } as never;
      },
    });
    expect(seen).toMatchObject([{ job: "other", parameters: { x: "42" } }]);
    expect(run.tasks.child!.state).toBe("FAILED");
    expect(run.tasks.child!.child_run_id).toBe("r20260101T000000-abcdef");
  });

  it("saves the record so that a reader sees final task states", async () => {
    const { readFileSync, readdirSync } = await import("node:fs");
    const ex = scripted({});
    const run = await execute(job([{ key: "a" }]), ex);
    const dir = ex.calls[0]!.attemptDir.split("/tasks/")[0]!;
    expect(readdirSync(dir)).toContain("run.json");
    expect(JSON.parse(readFileSync(`${dir}/run.json`, "utf8")).state).toBe(run.state);
  });
});
