/**
 * A run's record is never written before the job snapshot repair needs: a runner killed between
 * the two writes must leave a run that `dagship repair` can finish (the crash harness's check).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startRun } from "../../../runner/engine/start.js";
import { loadEnvironment } from "../../../runner/workspace/environment.js";
import { RunStore } from "../../../runner/workspace/store.js";
import { ROOT } from "../../e2e/cli.js";
import { ok, scripted } from "../../unit/engine/helpers.js";

let dir: string | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("creating a run", () => {
  it("writes the job snapshot before the run's record", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "dagship-create-"));
    cpSync(path.join(ROOT, "test", "fixtures", "crash-repo"), dir, { recursive: true });
    mkdirSync(path.join(dir, ".git"));
    const seen: boolean[] = [];
    const create = RunStore.prototype.create;
    vi.spyOn(RunStore.prototype, "create").mockImplementation(function (this: RunStore, record) {
      seen.push(existsSync(path.join(this.runDir(record.run_id), "job.json")));
      return create.call(this, record);
    });
    const executor = scripted(Object.fromEntries(["a", "b", "c", "d", "e"].map((k) => [k, [ok({ n: 1 })]])));
    const record = await startRun({ job: "crash", parameters: { ledger: path.join(dir, "ledger") }, tasks: [] }, { env: loadEnvironment(dir, "dev", {}), executor, concurrency: 2, signal: new AbortController().signal });
    expect(record.state).toBe("SUCCESS");
    expect(seen).toEqual([true]);
  });
});
