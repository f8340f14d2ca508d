/**
 * A runner that dies (SIGKILL: no chance to clean up) must not leave its tasks running: each
 * attempt's process sees it has another parent now and kills its own process group.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanup, ended, ROOT, tempDir, waitForFile } from "./helpers.js";

afterAll(cleanup);

/** A stand-in runner: one attempt of hangs.ts `grandchild` (or the export in argv), whose group id goes to `groupFile`. */
const RUNNER = `
import path from "node:path";
import { writeFileSync } from "node:fs";
import { runProcessAttempt } from ${JSON.stringify(path.join(ROOT, "runner/executors/process.ts"))};
import { request } from ${JSON.stringify(path.join(ROOT, "test/integration/executor/helpers.ts"))};
const [dir, exported = "grandchild"] = process.argv.slice(2);
await runProcessAttempt(request("hangs.ts", {
  cacheDir: path.join(dir, "cache"),
  export: exported,
  params: { pidFile: path.join(dir, "sleep-pid"), goFile: path.join(dir, "go") },
  onSpawn: (pid) => writeFileSync(path.join(dir, "group"), String(pid)),
}));
`;

describe("a runner killed with SIGKILL", () => {
  it("takes its running tasks with it: the attempt's process and the processes it started end", async () => {
    const dir = tempDir();
    const script = path.join(dir, "runner.mts");
    writeFileSync(script, RUNNER);
    const runner = spawn(process.execPath, ["--import", "tsx", script, dir], { cwd: ROOT, stdio: "ignore" });
    try {
      const sleep = Number(await waitForFile(path.join(dir, "sleep-pid"), 20_000));
      const group = Number(await waitForFile(path.join(dir, "group")));
      expect(ended(group)).toBe(false);
      runner.kill("SIGKILL");
      for (const until = Date.now() + 3000; Date.now() < until && !(ended(group) && ended(sleep)); ) await new Promise((r) => setTimeout(r, 50));
      expect(ended(group)).toBe(true);
      expect(ended(sleep)).toBe(true);
    } finally {
      runner.kill("SIGKILL");
    }
  }, 30_000);

  // Found by the crash harness (test/reliability/crash-run.test.ts): a task that finished in the
  // moment between its runner's death and its watch noticing exited normally and left its
  // grandchild running, since the runner that ends an attempt's group after its exit was gone.
  it("a task that finishes right after its runner died still takes the processes it started with it", async () => {
    const dir = tempDir();
    const script = path.join(dir, "runner.mts");
    writeFileSync(script, RUNNER);
    const runner = spawn(process.execPath, ["--import", "tsx", script, dir, "grandchildUntil"], { cwd: ROOT, stdio: "ignore" });
    try {
      const sleep = Number(await waitForFile(path.join(dir, "sleep-pid"), 20_000));
      const group = Number(await waitForFile(path.join(dir, "group")));
      runner.kill("SIGKILL");
      await new Promise((r) => runner.once("close", r));
      writeFileSync(path.join(dir, "go"), "");
      for (const until = Date.now() + 3000; Date.now() < until && !(ended(group) && ended(sleep)); ) await new Promise((r) => setTimeout(r, 50));
      expect(ended(sleep)).toBe(true);
      expect(ended(group)).toBe(true);
    } finally {
      runner.kill("SIGKILL");
    }
  }, 30_000);
});
