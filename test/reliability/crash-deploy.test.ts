/**
 * Crash harness for `dagship deploy`: a deploy of a changed job is SIGKILLed at seeded-random
 * points. After each kill the current deployment is the previous one or the new one, whole:
 * every bundle it names matches its manifest's checksums (and the previous one's too), doctor
 * finds no damage (at most a stray temporary file or the dead deploy lock); the next deploy
 * succeeds, taking over the stale lock, and makes the new code current.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { assertBuilt } from "../e2e/cli.js";
import { deployRepo, type DeployRepo } from "../e2e/deploy-repo.js";
import { recordFigures, trialCount } from "./figures.js";
import { runAndKill } from "./kill.js";
import { prng, replay, suiteSeed, trialNumbers, trialSeed } from "./seed.js";
import { bundleProblems, currentDeployment, doctorDamage } from "./verify.js";

const SUITE = "crash-deploy";
const seed = suiteSeed();
const trials = trialNumbers(trialCount(50));
let repo: DeployRepo;
let ws: string;
let deployMs = 0;

beforeAll(async () => {
  assertBuilt();
  repo = deployRepo();
  ws = path.join(repo.dir, ".dagship", "staging");
  const first = await repo.json(["deploy", "--env", "staging"]);
  if (first.code !== 0) throw new Error(`the first deploy failed: ${first.stderr}`);
  repo.write("jobs/lib/version.ts", `export const VERSION = "calibration";\n`);
  const started = Date.now();
  const second = await repo.cli(["deploy", "--env", "staging"]);
  if (second.code !== 0) throw new Error(`the calibration deploy failed: ${second.stderr}`);
  deployMs = Date.now() - started;
}, 120_000);
afterAll(() => repo?.remove());

/** Whether the bundle of job `etl` holds `version` (its code is bundled into the deployment). */
function deploysVersion(id: string, version: string): boolean {
  const code = path.join(ws, "deployments", "objects", "etl", id, "code");
  return readdirSync(code).some((f) => readFileSync(path.join(code, f), "utf8").includes(JSON.stringify(version)));
}

async function trial(n: number): Promise<"before" | "after"> {
  const random = prng(trialSeed(seed, n));
  const before = currentDeployment(ws)!;
  const version = `crash-${seed}-${n}`;
  repo.write("jobs/lib/version.ts", `export const VERSION = ${JSON.stringify(version)};\n`);
  const kill = await runAndKill(["deploy", "--env", "staging"], { cwd: repo.dir, delayMs: random() * deployMs * 1.6 });
  const where = `deploy killed at ${kill.killedAtMs ?? "never (it finished first)"} ms`;

  const after = currentDeployment(ws)!;
  const committed = after.seq !== before.seq;
  if (committed) expect(deploysVersion(after.jobs.etl!, version), `${where}: the new current deployment is not the new code`).toBe(true);
  else expect(after, `${where}: current.json changed without a new deployment`).toEqual(before);
  for (const [job, id] of Object.entries({ ...before.jobs, ...after.jobs })) expect(bundleProblems(ws, job, id), `${where}: bundle ${job}/${id.slice(0, 12)}`).toEqual([]);
  expect(await doctorDamage(repo.dir, "staging"), `${where}: doctor`).toEqual([]);

  const next = await repo.json(["deploy", "--env", "staging"]);
  expect(next.code, `${where}: the next deploy failed: ${next.stderr}`).toBe(0);
  const now = currentDeployment(ws)!;
  expect(deploysVersion(now.jobs.etl!, version), `${where}: after the next deploy, the current code is not the new one`).toBe(true);
  expect(bundleProblems(ws, "etl", now.jobs.etl!)).toEqual([]);
  return committed ? "after" : "before";
}

describe("crash: dagship deploy killed with SIGKILL", () => {
  test(`${trials.length} seeded trials: the previous deployment stays current and intact, or the new one is whole; the next deploy succeeds`, async () => {
    const outcomes: string[] = [];
    const failures: string[] = [];
    for (const n of trials) {
      try {
        outcomes.push(await trial(n));
      } catch (error) {
        failures.push(`trial ${n}: ${(error as Error).message}\n  ${replay(SUITE, seed, n)}`);
      }
    }
    recordFigures({
      suite: SUITE,
      figures: { trials: trials.length, faults_survived: outcomes.length, killed_before_commit: outcomes.filter((o) => o === "before").length, killed_after_commit: outcomes.filter((o) => o === "after").length, failures: failures.length },
      notes: [`seed ${seed}; a full deploy of the change took ${deployMs} ms`],
    });
    expect(failures, failures.join("\n\n")).toEqual([]);
  });
});
