import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GRACE_MS, runProcessAttempt } from "../../../runner/executors/process.js";
import { cleanup, ended, probe, request, tempDir, waitForFile } from "./helpers.js";

const cacheDir = path.join(tempDir(), "cache");
afterAll(cleanup);

describe("timeouts and cancels end the whole process group", () => {
  it("times out a hanging task and kills the `sleep 30` it spawned", async () => {
    const dir = tempDir();
    let group = 0;
    const started = Date.now();
    const result = await runProcessAttempt(
      request("hangs.ts", { cacheDir, export: "grandchild", timeoutMs: 500, params: { pidFile: path.join(dir, "pid") }, onSpawn: (pid) => (group = pid) }),
    );
    const elapsed = Date.now() - started;
    expect(!result.ok && result.error).toMatchObject({ reason: "timeout", message: "the task timed out after 0.5 s" });
    expect(elapsed).toBeGreaterThanOrEqual(500);
    expect(elapsed).toBeLessThan(500 + 2000);
    const sleep = Number(await waitForFile(path.join(dir, "pid")));
    expect(probe(sleep)).toBe("ESRCH");
    expect(probe(-group)).toBe("ESRCH"); // nothing is left in the group
  });

  it("kills a task that ignores SIGTERM (and its grandchild that ignores it too) after the grace period", async () => {
    const dir = tempDir();
    const started = Date.now();
    const result = await runProcessAttempt(request("hangs.ts", { cacheDir, export: "stubborn", timeoutMs: 300, params: { pidFile: path.join(dir, "pid") } }));
    const elapsed = Date.now() - started;
    expect(!result.ok && result.error).toMatchObject({ reason: "timeout", signal: "SIGKILL", exit_code: null });
    expect(!result.ok && result.error.message).toContain("did not stop within the 1 s grace period and was killed");
    expect(elapsed).toBeGreaterThanOrEqual(300 + GRACE_MS - 50);
    expect(elapsed).toBeLessThan(300 + 2000);
    expect(ended(Number(await waitForFile(path.join(dir, "pid"))))).toBe(true);
  });

  it("lets a cooperative task stop on ctx.signal, which says it timed out", async () => {
    const dir = tempDir();
    const started = Date.now();
    const result = await runProcessAttempt(request("hangs.ts", { cacheDir, export: "cooperative", timeoutMs: 300, params: { reasonFile: path.join(dir, "reason") } }));
    expect(!result.ok && result.error).toMatchObject({ reason: "timeout", exit_code: 1, signal: null });
    expect(Date.now() - started).toBeLessThan(300 + GRACE_MS);
    expect(await waitForFile(path.join(dir, "reason"))).toBe("TimeoutError");
  });

  it("cancels a running task through the AbortSignal", async () => {
    const dir = tempDir();
    const controller = new AbortController();
    let group = 0;
    const req = request("hangs.ts", {
      cacheDir,
      export: "cooperative",
      signal: controller.signal,
      params: { reasonFile: path.join(dir, "reason") },
      onSpawn: (pid) => (group = pid),
      onLog: (line) => {
        if (line.message === "waiting") controller.abort();
      },
    });
    const started = Date.now();
    const result = await runProcessAttempt(req);
    expect(!result.ok && result.error).toMatchObject({ reason: "canceled", message: "the run was canceled" });
    expect(Date.now() - started).toBeLessThan(GRACE_MS);
    expect(await waitForFile(path.join(dir, "reason"))).toBe("AbortError");
    expect(probe(-group)).toBe("ESRCH");
  });
});
