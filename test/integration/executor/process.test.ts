import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runProcessAttempt } from "../../../runner/executors/process.js";
import { cleanup, FIXTURES, request, ROOT, tempDir } from "./helpers.js";

const cacheDir = path.join(tempDir(), "cache");
afterAll(cleanup);

describe("runProcessAttempt: running tasks", () => {
  it("runs a defineTask module in its own process and returns its values", async () => {
    const pids: number[] = [];
    const req = request("basic.ts", { cacheDir, params: { rows: "21" }, job: { name: "demo", run_id: "r-7", env: "staging", attempt: 2 }, onSpawn: (pid) => pids.push(pid) });
    const result = await runProcessAttempt(req);
    expect(result.ok).toBe(true);
    expect(result.values.rows).toBe(42);
    expect(result.values.seen).toEqual({ params: { rows: "21" }, job: { name: "demo", run_id: "r-7", env: "staging", attempt: 2 }, cwd: ROOT });
    expect(pids).toHaveLength(1);
    expect(pids[0]).not.toBe(process.pid);
    expect(result.log).toBe("log");
    expect(existsSync(path.join(req.attemptDir, result.log))).toBe(true);
    expect(result.duration_ms).toBeGreaterThan(0);
  });

  it("runs a plain function export (its return value becomes the value `result`) and a named export", async () => {
    const plain = await runProcessAttempt(request("plain.ts", { cacheDir, params: { a: 1, b: 2 } }));
    expect(plain).toMatchObject({ ok: true, values: { result: { sum: 3 } } });
    const named = await runProcessAttempt(request("plain.ts", { cacheDir, export: "named" }));
    expect(named).toMatchObject({ ok: true, values: { which: "named" } });
  });

  it("fails an attempt whose export is missing, naming the exports that exist", async () => {
    const result = await runProcessAttempt(request("plain.ts", { cacheDir, export: "nope" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.reason).toBe("spawn");
    expect(result.error.message).toBe('test/fixtures/tasks/plain.ts has no export "nope"; its exports: default, named, notATask');
    const notATask = await runProcessAttempt(request("plain.ts", { cacheDir, export: "notATask" }));
    expect(!notATask.ok && notATask.error.message).toMatch(/export "notATask" of .* is not a task: expected defineTask\(\{ run\(ctx\) \}\) or a function, got number/);
  });
});

describe("runProcessAttempt: typed failures", () => {
  it("reports a thrown error with its name, message, source-mapped stack, exit code and stderr tail", async () => {
    const result = await runProcessAttempt(request("fails.ts", { cacheDir, export: "throws", params: { rows: -1 } }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ reason: "threw", name: "BadInput", message: "rows must be positive, got -1", exit_code: 1, signal: null });
    expect(result.error.stack).toContain(`${path.join(FIXTURES, "fails.ts")}:12:`);
    expect(result.error.stack).not.toContain("child.js");
    const tail = result.error.stderr_tail.split("\n");
    expect(tail).toHaveLength(20);
    expect(tail[0]).toBe("problem line 11");
    expect(tail[19]).toBe("problem line 30");
    expect(result.values).toEqual({ before: "set before the failure" });
  });

  it("reports a process that exits on its own", async () => {
    const result = await runProcessAttempt(request("fails.ts", { cacheDir, export: "exits" }));
    expect(!result.ok && result.error).toMatchObject({ reason: "exited", exit_code: 3, signal: null, message: "the task's process exited with code 3 before the task finished" });
  });

  it("reports a process killed by a signal", async () => {
    const result = await runProcessAttempt(request("fails.ts", { cacheDir, export: "killed" }));
    expect(!result.ok && result.error).toMatchObject({ reason: "exited", exit_code: null, signal: "SIGKILL" });
  });

  it("fails (without spawning) a module with a syntax error or a missing import", async () => {
    const spawned: number[] = [];
    const syntax = await runProcessAttempt(request("syntax-error.ts", { cacheDir, onSpawn: (pid) => spawned.push(pid) }));
    expect(!syntax.ok && syntax.error.reason).toBe("spawn");
    expect(!syntax.ok && syntax.error.message).toMatch(/^could not bundle test\/fixtures\/tasks\/syntax-error\.ts:\n {2}test\/fixtures\/tasks\/syntax-error\.ts:3:13: /);
    const missing = await runProcessAttempt(request("missing-import.ts", { cacheDir, onSpawn: (pid) => spawned.push(pid) }));
    expect(!missing.ok && missing.error.message).toContain('missing-import.ts:1:25: Could not resolve "./lib/does-not-exist.js"');
    expect(spawned).toEqual([]);
  });

  it("does not start a task whose run is already canceled", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runProcessAttempt(request("basic.ts", { cacheDir, signal: controller.signal }));
    expect(!result.ok && result.error.reason).toBe("canceled");
  });
});

describe("runProcessAttempt: bundling and its cache", () => {
  it("bundles a task's imports and rebuilds when an imported file changes", async () => {
    const root = tempDir();
    cpSync(path.join(FIXTURES, "helper-user.ts"), path.join(root, "tasks/helper-user.ts"));
    cpSync(path.join(FIXTURES, "lib/helper.ts"), path.join(root, "tasks/lib/helper.ts"));
    const cache = path.join(tempDir(), "cache");
    const run = () => runProcessAttempt(request(path.join(root, "tasks/helper-user.ts"), { cacheDir: cache, root }));
    const bundles = () => readdirSync(path.join(cache, "bundles")).filter((f) => f.endsWith(".mjs"));

    expect((await run()).values).toEqual({ answer: 1 });
    const first = bundles();
    expect(first).toHaveLength(1);
    expect((await run()).values).toEqual({ answer: 1 });
    expect(bundles()).toEqual(first); // reused, not rebuilt

    const helper = path.join(root, "tasks/lib/helper.ts");
    writeFileSync(helper, readFileSync(helper, "utf8").replace("return 1;", "return 2;"));
    expect((await run()).values).toEqual({ answer: 2 });
    expect(bundles()).toHaveLength(2);
  });

  it("lets concurrent attempts of the same module share one cache", async () => {
    const cache = path.join(tempDir(), "cache");
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => runProcessAttempt(request("basic.ts", { cacheDir: cache, params: { rows: String(i) } }))));
    expect(results.map((r) => r.values.rows)).toEqual([0, 2, 4, 6]);
    expect(readdirSync(path.join(cache, "bundles")).filter((f) => f.endsWith(".mjs"))).toHaveLength(1);
    expect(readdirSync(path.join(cache, "tasks")).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });
});
