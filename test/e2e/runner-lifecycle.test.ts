/**
 * Runs that outlive one command: cancel, max_concurrent_runs across processes, repair after a
 * failure, and a runner killed with SIGKILL mid-run whose run is then reaped and repaired.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "./cli.js";
import { alive, eventually, latestRunId, tempRepo, type TempRepo } from "./runner-repo.js";

let repo: TempRepo;
beforeAll(() => {
  assertBuilt();
  repo = tempRepo();
});
afterAll(() => repo.remove());

/** The id of the newest run once its record says `wait` is RUNNING with a live process. */
async function runningRun(job: string): Promise<{ runId: string; pid: number }> {
  return eventually(() => {
    const runId = latestRunId(repo);
    if (!runId) return undefined;
    const run = repo.runRecord(runId);
    const task = Object.values<any>(run.tasks)[0];
    const pid = task?.attempts.at(-1)?.pid;
    return run.job === job && run.state === "RUNNING" && pid ? { runId, pid } : undefined;
  }, 20_000, `a RUNNING run of ${job}`);
}

/** The run whose `ledger` parameter is this file (not merely the newest run of the repo). */
function runWithLedger(ledger: string): string | undefined {
  return readdirSync(path.join(repo.dir, ".dagship", "dev", "runs")).find((id) => {
    try {
      return repo.runRecord(id).parameters?.ledger === ledger;
    } catch {
      return false;
    }
  });
}

describe("dagship cancel", () => {
  it("ends a running run CANCELED and its task process", async () => {
    const bg = repo.background(["run", "slow", "--param", "ms=30000"]);
    const { runId, pid } = await runningRun("slow");
    const { code, body } = await repo.json(["cancel", runId]);
    expect(code).toBe(0);
    expect(body.state).toBe("CANCELED");
    expect(body.tasks.wait.state).toBe("CANCELED");
    expect(body.tasks.wait.attempts[0].error.reason).toBe("canceled");
    const done = await bg.done;
    expect(done.code).toBe(1);
    await eventually(() => (alive(pid) ? undefined : true), 3000, "the task process to end");
  });
});

describe("max_concurrent_runs", () => {
  it("refuses a run beyond the limit, naming the active run, and admits one after it ends", async () => {
    const bg = repo.background(["run", "slow", "--param", "ms=4000"]);
    const { runId } = await runningRun("slow");
    const refused = await repo.cli(["run", "slow", "--param", "ms=10"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`job "slow" already has 1 active run (${runId}); max_concurrent_runs is 1`);
    expect((await bg.done).code).toBe(0);
    expect((await repo.cli(["run", "slow", "--param", "ms=10"])).code).toBe(0);
  });
});

describe("dagship repair", () => {
  it("reruns failed tasks and their dependants, keeping what succeeded", async () => {
    const ledger = path.join(repo.dir, "repair-ledger.txt");
    writeFileSync(ledger, "");
    writeFileSync(`${ledger}.fail-b`, "");
    const failing = await repo.json(["run", "ledger", "--param", `ledger=${ledger}`]);
    expect(failing.code).toBe(1);
    expect(Object.fromEntries(Object.entries<any>(failing.body.tasks).map(([k, t]) => [k, t.state]))).toEqual({ a: "SUCCESS", b: "FAILED", c: "UPSTREAM_FAILED" });
    const runId = failing.body.run_id;
    rmSync(`${ledger}.fail-b`);
    writeFileSync(ledger, "");
    const repaired = await repo.json(["repair", runId]);
    expect(repaired.code).toBe(0);
    expect(repaired.body.run_id).toBe(runId);
    expect(repaired.body.state).toBe("SUCCESS");
    expect(readFileSync(ledger, "utf8")).toBe("b start\nb done\nc start\nc done\n");
    expect(repaired.body.tasks.a.attempts).toHaveLength(1);
    expect(repaired.body.tasks.b.attempts.map((a: any) => a.state)).toEqual(["FAILED", "SUCCESS"]);
    expect(repaired.body.repairs).toHaveLength(1);
  });

  it("finishes a run whose runner was killed with SIGKILL, without rerunning what succeeded", async () => {
    const ledger = path.join(repo.dir, "kill-ledger.txt");
    writeFileSync(ledger, "");
    writeFileSync(`${ledger}.hold-b`, "");
    const bg = repo.background(["run", "ledger", "--param", `ledger=${ledger}`]);
    const runId = await eventually(() => (readFileSync(ledger, "utf8").includes("b start") ? runWithLedger(ledger) : undefined), 20_000, "task b to start");
    const taskPid = await eventually(() => repo.runRecord(runId).tasks.b.attempts.at(-1)?.pid as number | undefined, 5000, "b's pid");
    bg.child.kill("SIGKILL");
    await bg.done;

    const status = await repo.json(["status", runId]);
    expect(status.body).toMatchObject({ state: "FAILED", interrupted: true });
    expect(status.body.tasks.a.state).toBe("SUCCESS");
    expect(status.body.tasks.b.attempts[0].error.reason).toBe("interrupted");
    await eventually(() => (alive(taskPid) ? undefined : true), 3000, "the orphaned task process to be reaped");

    rmSync(`${ledger}.hold-b`);
    const repaired = await repo.json(["repair", runId]);
    expect(repaired.code).toBe(0);
    expect(repaired.body.state).toBe("SUCCESS");
    expect(readFileSync(ledger, "utf8")).toBe("a start\na done\nb start\nb start\nb done\nc start\nc done\n");
  }, 60_000);
});
