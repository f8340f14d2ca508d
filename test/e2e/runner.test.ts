/**
 * `dagship run`, `status`, `runs` through the real CLI on a copy of test/fixtures/runner-repo:
 * run_if, conditions, retries, timeouts (with grandchildren), values and tables, parameters,
 * selection and secrets.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "./cli.js";
import { alive, eventually, tempRepo, type TempRepo } from "./runner-repo.js";

let repo: TempRepo;
beforeAll(() => {
  assertBuilt();
  repo = tempRepo();
});
afterAll(() => repo.remove());

const states = (run: any) => Object.fromEntries(Object.entries(run.tasks).map(([k, t]: [string, any]) => [k, t.state]));

describe("dagship run", () => {
  it("runs a chain, passing values and parameters downstream, and prints the contract's JSON", async () => {
    const { code, body } = await repo.json(["run", "chain", "--param", "n=21"]);
    expect(code).toBe(0);
    expect(body).toMatchObject({ job: "chain", env: "dev", state: "SUCCESS", parameters: { n: "21" } });
    expect(body.run_id).toMatch(/^r\d{8}T\d{6}-[0-9a-f]{6}$/);
    expect(states(body)).toEqual({ produce: "SUCCESS", double: "SUCCESS", report: "SUCCESS" });
    expect(body.tasks.double.values).toEqual({ doubled: 42, x_param: "21" });
    expect(body.tasks.report.values).toEqual({ summary: "doubled=42" });
    const attempt = body.tasks.produce.attempts[0];
    expect(attempt).toMatchObject({ n: 1, state: "SUCCESS" });
    expect(Date.parse(attempt.ended_at)).toBeGreaterThanOrEqual(Date.parse(attempt.started_at));
    expect(typeof body.tasks.produce.duration_ms).toBe("number");
    expect(readFileSync(path.join(repo.dir, ".dagship/dev/runs", body.run_id, attempt.log), "utf8")).toContain("produced 21");
  });

  it("prints the run id, plain timestamped progress lines and a task table without a TTY", async () => {
    const r = await repo.cli(["run", "chain"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run r\d{8}T\d{6}-[0-9a-f]{6} of job chain in dev\n/);
    expect(r.stdout).toMatch(/^produce +SUCCESS +1 /m);
    expect(r.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z produce RUNNING attempt 1$/m);
    expect(r.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z report SUCCESS/m);
  });

  it("applies every run_if value with the contract's semantics", async () => {
    const { code, body } = await repo.json(["run", "runif"]);
    expect(code).toBe(1);
    expect(body.state).toBe("FAILED");
    expect(states(body)).toEqual({
      ok: "SUCCESS",
      bad: "FAILED",
      all_success: "UPSTREAM_FAILED",
      at_least_one_success: "SUCCESS",
      none_failed: "UPSTREAM_FAILED",
      all_done: "SUCCESS",
      at_least_one_failed: "SUCCESS",
      all_failed: "SUCCESS",
      not_all_failed: "SKIPPED",
      after_upstream_failed: "SUCCESS",
    });
    expect(body.tasks.bad.attempts[0].error).toMatchObject({ reason: "threw", name: "Error", message: "bad on purpose", exit_code: expect.any(Number) });
    expect(body.tasks.bad.attempts[0].error.stack).toContain("bad on purpose");
  });

  it("shows the failing task's error and log tail in the human report", async () => {
    const r = await repo.cli(["run", "runif"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ bad: bad on purpose");
  });

  it("follows a condition's outcome, and --param changes it", async () => {
    const high = await repo.json(["run", "cond"]);
    expect(states(high.body)).toEqual({ score: "SUCCESS", gate: "SUCCESS", yes: "SUCCESS", no: "SKIPPED" });
    expect(high.body.tasks.gate.outcome).toBe("true");
    const low = await repo.json(["run", "cond", "--param", "threshold=10"]);
    expect(states(low.body)).toEqual({ score: "SUCCESS", gate: "SUCCESS", yes: "SKIPPED", no: "SUCCESS" });
    expect(low.code).toBe(0);
  });

  it("retries up to max_retries and records every attempt", async () => {
    const { body } = await repo.json(["run", "flaky"]);
    expect(body.tasks.eventually.state).toBe("SUCCESS");
    expect(body.tasks.eventually.attempts.map((a: any) => a.state)).toEqual(["FAILED", "FAILED", "SUCCESS"]);
    expect(body.tasks.eventually.values).toEqual({ attempt: 3 });
    expect(body.tasks.never.state).toBe("FAILED");
    expect(body.tasks.never.attempts).toHaveLength(2);
    expect(body.tasks.never.attempts[1].error.message).toBe("attempt 2 fails");
  });

  it("times a hung task out within 2 s of its limit and ends the grandchild it spawned", async () => {
    const pidfile = path.join(repo.dir, "sleep.pid");
    const started = Date.now();
    const { code, body } = await repo.json(["run", "hang", "--param", `pidfile=${pidfile}`]);
    const attempt = body.tasks.stuck.attempts[0];
    expect(code).toBe(1);
    expect(body.tasks.stuck.state).toBe("TIMEDOUT");
    expect(attempt.error.reason).toBe("timeout");
    expect(attempt.duration_ms).toBeLessThan(1000 + 2000);
    expect(Date.now() - started).toBeLessThan(15_000);
    const sleepPid = Number(readFileSync(pidfile, "utf8"));
    await eventually(() => (alive(sleepPid) ? undefined : true), 2000, "the sleep grandchild to be gone");
  });

  it("times the whole run out after the job's timeout_seconds", async () => {
    const { code, body } = await repo.json(["run", "jobtimeout"]);
    expect(code).toBe(1);
    expect(body.state).toBe("TIMEDOUT");
    expect(states(body)).toEqual({ forever: "TIMEDOUT", after: "CANCELED" });
  });

  it("hands an Arrow table from one task to the next", async () => {
    const { code, body } = await repo.json(["run", "tables"]);
    expect(code).toBe(0);
    expect(body.tasks.read.values).toEqual({ rows: 1000, sum: 499500, last: "row-999" });
    const table = body.tasks.write.tables.numbers;
    expect(table).toMatchObject({ rows: 1000 });
    const file = path.join(repo.dir, ".dagship/dev/runs", body.run_id, table.path);
    expect(statSync(file).size).toBe(table.bytes);
    expect(readFileSync(file).subarray(0, 6).toString()).toBe("ARROW1");
  });

  it("runs a run_job_task as a child run of the other job, with its parameters", async () => {
    const { code, body } = await repo.json(["run", "parent", "--param", "k=4"]);
    expect(code).toBe(0);
    expect(states(body)).toEqual({ child: "SUCCESS", after: "SUCCESS" });
    expect(body.tasks.after.outcome).toBe("true");
    const childId = body.tasks.child.child_run_id;
    const child = repo.runRecord(childId);
    expect(child).toMatchObject({ job: "chain", state: "SUCCESS", parent_run_id: body.run_id, parameters: { n: "4" } });
    expect(child.tasks.double.values.doubled).toBe(8);
  });

  it("rejects an unknown parameter, task or job with exit code 2", async () => {
    expect((await repo.cli(["run", "chain", "--param", "nn=1"])).stderr).toMatch(/DS2005 job "chain" has no parameter "nn" \(did you mean "n"\?\)/);
    expect((await repo.cli(["run", "chain", "--task", "nope"])).code).toBe(2);
    const unknown = await repo.cli(["run", "nojob"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no job "nojob"');
    expect((await repo.cli(["run", "chain", "--env", "nowhere"])).stderr).toContain('unknown environment "nowhere"');
  });

  it("masks the environment's secrets in output, records, values, errors and logs", async () => {
    const secret = "hunter2-very-secret";
    const r = await repo.cli(["run", "secrets", "--json"], { DAGSHIP_TEST_SECRET: secret });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(secret);
    const run = JSON.parse(r.stdout);
    expect(run.tasks.leak.values).toEqual({ copy: "value ***", nested: { deep: ["***"] } });
    expect(run.tasks.leak_and_throw.attempts[0].error.message).toBe("thrown ***");
    expect(run.tasks.leak_and_throw.attempts[0].error.stderr_tail).toContain("stderr ***");
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const files = walk(path.join(repo.dir, ".dagship/dev/runs", run.run_id));
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(readFileSync(f, "utf8"), f).not.toContain(secret);
  });
});

describe("dagship run --task / --from", () => {
  it("runs only the selected tasks, taking the others' values from the latest successful run", async () => {
    const full = await repo.json(["run", "chain", "--param", "n=5"]);
    expect(full.code).toBe(0);
    const one = await repo.json(["run", "chain", "--task", "report"]);
    expect(one.code).toBe(0);
    expect(states(one.body)).toEqual({ produce: "EXCLUDED", double: "EXCLUDED", report: "SUCCESS" });
    expect(one.body.tasks.report.values).toEqual({ summary: "doubled=10" });
    expect(one.body.tasks.double.source_run_id).toBe(full.body.run_id);
    const from = await repo.json(["run", "chain", "--from", "double", "--param", "n=7"]);
    expect(states(from.body)).toEqual({ produce: "EXCLUDED", double: "SUCCESS", report: "SUCCESS" });
  });

  it("refuses (exit 2) when no successful run exists to take excluded values from", async () => {
    const fresh = tempRepo();
    try {
      const r = await fresh.cli(["run", "chain", "--task", "report"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('no successful run of job "chain"');
    } finally {
      fresh.remove();
    }
  });
});

describe("dagship status and runs", () => {
  it("lists runs newest first and shows one run", async () => {
    const { body } = await repo.json(["runs", "chain", "--limit", "3"]);
    expect(body.runs.length).toBeGreaterThan(0);
    expect(body.runs.length).toBeLessThanOrEqual(3);
    const ids = body.runs.map((r: any) => r.run_id);
    expect(ids).toEqual([...ids].sort().reverse());
    expect(Object.keys(body.runs[0]).sort()).toEqual(["ended_at", "env", "job", "run_id", "source", "started_at", "state"]);
    const status = await repo.json(["status", ids[0]]);
    expect(status.body.run_id).toBe(ids[0]);
    const human = await repo.cli(["status", ids[0]]);
    expect(human.stdout).toMatch(/^task +state +attempts +duration +values$/m);
    expect(existsSync(path.join(repo.dir, ".dagship/dev/runs", ids[0], "job.json"))).toBe(true);
  });

  it("rejects a malformed or unknown run id with exit code 2", async () => {
    expect((await repo.cli(["status", "../../etc/passwd"])).code).toBe(2);
    expect((await repo.cli(["status", "r20990101T000000-abcdef"])).stderr).toContain("DS2006");
  });
});
