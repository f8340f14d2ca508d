/**
 * Crash harness for `dagship run`: the runner is SIGKILLed at seeded-random points of a real run
 * of the crash job (a diamond a → b, c → d → e; each task appends to a ledger, starts a grandchild
 * and works a few tens of ms). After each kill: `status --json` reads the run as interrupted (or
 * finished), no process of the run survives (by the pids and process groups of the record and by a
 * marker in their environment), and `repair` completes the run with every task that had succeeded
 * executed exactly once (ledger) and the values flowing as in an uninterrupted run.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { assertBuilt } from "../e2e/cli.js";
import { crashRepo, type CrashRepo } from "./crash-repo.js";
import { recordFigures, trialCount } from "./figures.js";
import { runAndKill } from "./kill.js";
import { executions, readLedger } from "./ledger.js";
import { liveGroup, processesWithMarker, untilNone } from "./processes.js";
import { prng, replay, suiteSeed, trialNumbers, trialSeed } from "./seed.js";

const SUITE = "crash-run";
const TASKS = ["a", "b", "c", "d", "e"] as const;
/** The values of an uninterrupted run: n = 1 + the sum of the inputs' n. */
const EXPECTED_N = { a: 1, b: 2, c: 2, d: 5, e: 6 };
const seed = suiteSeed();
const trials = trialNumbers(trialCount(50));

let repo: CrashRepo;
/** Milliseconds from the spawn to the run's record, and the run's own length, in an uninterrupted run. */
let startup = 0;
let runLength = 0;

beforeAll(async () => {
  assertBuilt();
  repo = crashRepo();
  // One uninterrupted run: warms the task bundle cache and measures where the run's time goes.
  const started = Date.now();
  let created = 0;
  const before = runIds();
  const probe = setInterval(() => {
    if (!created && runIds().some((id) => !before.includes(id) && existsSync(path.join(repo.runsDir, id, "run.json")))) created = Date.now() - started;
  }, 5);
  const r = await repo.json(["run", "crash", "--param", `ledger=${path.join(repo.dir, "calibration.ledger")}`, "--concurrency", "2"]);
  clearInterval(probe);
  if (r.code !== 0 || r.body?.state !== "SUCCESS") throw new Error(`the calibration run failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  startup = created || 200;
  runLength = Math.max(100, Date.now() - started - startup);
}, 120_000);
afterAll(() => repo?.remove());

function runIds(): string[] {
  try {
    return readdirSync(repo.runsDir);
  } catch {
    return [];
  }
}

interface TrialResult {
  phase: "before_run" | "mid_run" | "after_end";
  processes: number;
  rerunCompletions: number;
}

async function trial(n: number): Promise<TrialResult> {
  const random = prng(trialSeed(seed, n));
  const marker = `dagship-crash-${seed}-${n}-${process.pid}`;
  const ledger = path.join(repo.dir, `trial-${n}.ledger`);
  const before = runIds();
  const newRun = () => runIds().find((id) => !before.includes(id) && existsSync(path.join(repo.runsDir, id, "run.json")));
  // One kill in ten lands during start-up (before the record exists, or as it is written); the
  // others anywhere from the record's creation to a little past the run's end.
  const early = random() < 0.1;
  const delayMs = early ? random() * startup * 1.2 : random() * runLength * 1.15;
  const kill = await runAndKill(["run", "crash", "--param", `ledger=${ledger}`, "--concurrency", "2", "--json"], {
    cwd: repo.dir,
    env: { DAGSHIP_CRASH_MARKER: marker },
    ...(early ? {} : { after: () => newRun() !== undefined }),
    delayMs,
  });
  const where = `kill at ${kill.killedAtMs ?? "never (it finished first)"} ms after the spawn (${early ? "start-up" : `${Math.round(delayMs)} ms after the record appeared`})`;

  const runId = newRun();
  if (runId === undefined) {
    // Killed before the run's record existed: nothing may have run, and nothing may be left.
    const left = await untilNone(() => processesWithMarker(marker));
    expect(left, `processes survived a kill before the run existed (${where})`).toEqual([]);
    expect(readLedger(ledger), `a task ran although the run's record was never written (${where})`).toEqual([]);
    return { phase: "before_run", processes: 0, rerunCompletions: 0 };
  }

  const status = await repo.json(["status", runId]);
  expect(status.code, `status of ${runId} after the ${where}: ${status.stderr}`).toBe(0);
  const atKill = status.body;
  expect(atKill?.run_id).toBe(runId);
  if (atKill.state !== "SUCCESS") expect({ state: atKill.state, interrupted: atKill.interrupted }, `run ${runId} after the ${where}`).toEqual({ state: "FAILED", interrupted: true });
  for (const t of TASKS) expect(atKill.tasks[t].state, `task ${t} of ${runId} after the ${where}`).not.toBe("RUNNING");

  // No process of the run survives: every recorded attempt's process group, and anything that
  // carries the marker (task processes whose pid the record never got, grandchildren).
  const pids: number[] = TASKS.flatMap((t) => atKill.tasks[t].attempts.map((a: any) => a.pid).filter((p: unknown) => typeof p === "number"));
  const groups = await untilNone(() => pids.flatMap((p) => liveGroup(p)));
  expect(groups, `processes of the run's task groups survived the ${where}`).toEqual([]);
  const marked = await untilNone(() => processesWithMarker(marker));
  expect(marked, `processes of run ${runId} survived the ${where}`).toEqual([]);

  const repaired = await repo.json(["repair", runId]);
  expect(repaired.code, `repair ${runId} after the ${where}: ${repaired.stdout.slice(0, 2000)}\n${repaired.stderr}`).toBe(0);
  const final = repaired.body;
  expect(final.state).toBe("SUCCESS");
  expect(Object.fromEntries(TASKS.map((t) => [t, final.tasks[t].values.n]))).toEqual(EXPECTED_N);

  // The ledger: every task's recorded success is exactly one execution that started and finished;
  // a task recorded SUCCESS at the kill never ran again; and no execution that finished ran
  // again either: one the kill caught before the runner recorded it left its result file, which
  // the reaping adopted (runner/engine/adopt.ts). Other executions are ones the kill interrupted.
  const lines = readLedger(ledger);
  expect(lines.every((l) => l.run === runId), `ledger lines of another run in ${ledger}`).toBe(true);
  let rerunCompletions = 0;
  for (const t of TASKS) {
    const success = final.tasks[t].attempts.at(-1);
    expect(success.state).toBe("SUCCESS");
    const execs = executions(lines, t);
    expect(execs.get(success.pid), `task ${t}: its successful attempt (pid ${success.pid}) in the ledger`).toEqual({ start: 1, done: 1 });
    for (const [pid, e] of execs) {
      expect(e.start, `task ${t}: execution ${pid} started ${e.start} times`).toBe(1);
      expect(e.done).toBeLessThanOrEqual(1);
      if (pid !== success.pid && e.done === 1) rerunCompletions++;
    }
    expect(rerunCompletions, `task ${t}: an execution that had finished ran again`).toBe(0);
    if (atKill.tasks[t].state === "SUCCESS") {
      expect([...execs.keys()], `task ${t} had succeeded before the kill but ran again`).toEqual([success.pid]);
      expect(final.tasks[t].attempts).toEqual(atKill.tasks[t].attempts);
    }
  }
  return { phase: atKill.state === "SUCCESS" ? "after_end" : "mid_run", processes: pids.length, rerunCompletions };
}

describe("crash: the runner killed with SIGKILL mid-run", () => {
  test(`${trials.length} seeded trials: status reads the run, no process survives, repair completes it exactly once`, async () => {
    const results: TrialResult[] = [];
    const failures: string[] = [];
    const started = Date.now();
    for (const n of trials) {
      try {
        results.push(await trial(n));
      } catch (error) {
        failures.push(`trial ${n}: ${(error as Error).message}\n  ${replay(SUITE, seed, n)}`);
      }
    }
    const count = (phase: TrialResult["phase"]) => results.filter((r) => r.phase === phase).length;
    recordFigures({
      suite: SUITE,
      figures: {
        trials: trials.length,
        faults_survived: results.length,
        killed_before_run: count("before_run"),
        killed_mid_run: count("mid_run"),
        killed_after_end: count("after_end"),
        task_processes_checked: results.reduce((s, r) => s + r.processes, 0),
        completions_rerun: results.reduce((s, r) => s + r.rerunCompletions, 0),
        failures: failures.length,
      },
      notes: [`seed ${seed}; calibration: record after ${startup} ms, run ${runLength} ms; ${Math.round((Date.now() - started) / 1000)} s`],
    });
    expect(failures, failures.join("\n\n")).toEqual([]);
  });
});
