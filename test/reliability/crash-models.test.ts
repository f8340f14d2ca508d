/**
 * Crash harness for `dagship models promote` and `models import`: each is SIGKILLed at
 * seeded-random points. After each kill the target's champion is the old version or the new one
 * (never a version that is missing or fails its checksums), aliases.json parses, no source version
 * was imported twice, and `dagship doctor` finds no damage (a stray staging folder or a dead lock at
 * most); the same command run again completes.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { registerVersion } from "../../runner/models/index.js";
import { buildBundle } from "../../runner/models/bundle.js";
import { ModelRegistry } from "../../runner/models/store.js";
import { assertBuilt } from "../e2e/cli.js";
import { deployRepo, type DeployRepo } from "../e2e/deploy-repo.js";
import { EVALUATOR, model, rowsCutAt, writeDataset } from "../integration/models/helpers.js";
import { recordFigures, trialCount } from "./figures.js";
import { runAndKill } from "./kill.js";
import { prng, replay, suiteSeed, trialNumbers, trialSeed } from "./seed.js";
import { aliasesOf, doctorDamage, versionsOf } from "./verify.js";

const seed = suiteSeed();
const trials = trialNumbers(trialCount(50));
const EVAL = { DAGSHIP_MODEL_EVALUATOR: EVALUATOR };
// Each dev version is better than the one before on the targets' datasets (its threshold nearer
// the cut at 0.6), so every completed promotion moves champion.
const GATE = "promotion:\n  gate:\n    metric: accuracy\n    greater_is_better: true\n    min_delta: 0.0001\n    dataset: eval/reviews\n";

let repo: DeployRepo;
const ws = (env: string) => path.join(repo.dir, ".dagship", env);
const timing = { promote: 0, import: 0 };

beforeAll(async () => {
  assertBuilt();
  repo = deployRepo();
  repo.write("environments/staging.yaml", repo.read("environments/staging.yaml") + GATE);
  repo.write("environments/prod.yaml", repo.read("environments/prod.yaml") + GATE);
  repo.commit("gates");
  for (const env of ["staging", "prod"]) writeDataset(ws(env), "eval/reviews", rowsCutAt(0.6, 1000));
  const count = trials.length + 1;
  for (let i = 0; i < count * 2; i++) await registerVersion(ws("dev"), "reviews", model(0.05 + (0.5 * i) / (count * 2)), { env: "dev" });
  // Calibration: one promotion and one import to completion.
  let started = Date.now();
  const p = await repo.cli(["models", "promote", "reviews", "--version", "1", "--from", "dev", "--to", "staging"], EVAL);
  timing.promote = Date.now() - started;
  if (p.code !== 0) throw new Error(`the calibration promotion failed: ${p.stderr}`);
  const file = bundleFile(1);
  started = Date.now();
  const i = await repo.cli(["models", "import", file, "--env", "prod"]);
  timing.import = Date.now() - started;
  if (i.code !== 0) throw new Error(`the calibration import failed: ${i.stderr}`);
}, 120_000);
afterAll(() => repo?.remove());

function bundleFile(version: number): string {
  const file = path.join(repo.dir, `reviews-${version}.tar.gz`);
  writeFileSync(file, buildBundle(new ModelRegistry(ws("dev"), "dev"), "reviews", version).bytes);
  return file;
}

/** The target's version imported from dev version `source`, if any; never more than one. */
function importedFrom(env: string, source: number): number | undefined {
  const found = versionsOf(ws(env), "reviews").filter((v) => v.source === source);
  expect(found.length, `dev v${source} was imported into ${env} ${found.length} times`).toBeLessThanOrEqual(1);
  return found[0]?.version;
}

async function promoteTrial(n: number): Promise<"old" | "new"> {
  const random = prng(trialSeed(seed, n));
  const source = 2 + n * 2;
  const old = aliasesOf(ws("staging"), "reviews").champion;
  const args = ["models", "promote", "reviews", "--version", String(source), "--from", "dev", "--to", "staging"];
  const kill = await runAndKill(args, { cwd: repo.dir, env: EVAL, delayMs: random() * timing.promote * 1.1 });
  const where = `promote of dev v${source} killed at ${kill.killedAtMs ?? "never (it finished first)"} ms`;
  const champion = aliasesOf(ws("staging"), "reviews").champion;
  const imported = importedFrom("staging", source);
  const isNew = imported !== undefined && champion === imported;
  expect(champion === old || isNew, `${where}: champion is v${champion}, neither the old v${old} nor the new v${imported}`).toBe(true);
  expect(await doctorDamage(repo.dir, "staging"), where).toEqual([]);
  const again = await repo.json([...args], EVAL);
  expect(again.code, `${where}: the promotion run again failed: ${again.stderr}`).toBe(0);
  expect(aliasesOf(ws("staging"), "reviews").champion, `${where}: after the promotion completed`).toBe(importedFrom("staging", source));
  return isNew ? "new" : "old";
}

async function importTrial(n: number): Promise<"absent" | "whole"> {
  const random = prng(trialSeed(seed, 10_000 + n));
  const source = 3 + n * 2;
  const before = aliasesOf(ws("prod"), "reviews");
  const file = bundleFile(source);
  const kill = await runAndKill(["models", "import", file, "--env", "prod"], { cwd: repo.dir, delayMs: random() * timing.import * 1.1 });
  const where = `import of dev v${source} killed at ${kill.killedAtMs ?? "never (it finished first)"} ms`;
  expect(aliasesOf(ws("prod"), "reviews"), `${where}: an import moved an alias`).toEqual(before);
  const imported = importedFrom("prod", source);
  expect(await doctorDamage(repo.dir, "prod"), where).toEqual([]);
  const again = await repo.cli(["models", "import", file, "--env", "prod"]);
  expect(again.code, `${where}: the import run again failed: ${again.stderr}`).toBe(0);
  const after = importedFrom("prod", source);
  expect(after, `${where}: the import run again did not register it`).toBeDefined();
  if (imported !== undefined) expect(after, `${where}: the import run again made another version`).toBe(imported);
  return imported === undefined ? "absent" : "whole";
}

describe("crash: dagship models promote and import killed with SIGKILL", () => {
  test(`${trials.length} seeded promotions: the target's champion is the old or the new version, the registry verifies`, async () => {
    const outcomes: string[] = [];
    const failures: string[] = [];
    for (const n of trials) {
      try {
        outcomes.push(await promoteTrial(n));
      } catch (error) {
        failures.push(`trial ${n}: ${(error as Error).message}\n  ${replay("crash-models", seed, n)}`);
      }
    }
    recordFigures({
      suite: "crash-promote",
      figures: { trials: trials.length, faults_survived: outcomes.length, champion_old: outcomes.filter((o) => o === "old").length, champion_new: outcomes.filter((o) => o === "new").length, failures: failures.length },
      notes: [`seed ${seed}; a full promotion took ${timing.promote} ms`],
    });
    expect(failures, failures.join("\n\n")).toEqual([]);
  });

  test(`${trials.length} seeded imports: the version is absent or whole, imported once, and no alias moved`, async () => {
    const outcomes: string[] = [];
    const failures: string[] = [];
    for (const n of trials) {
      try {
        outcomes.push(await importTrial(n));
      } catch (error) {
        failures.push(`trial ${n}: ${(error as Error).message}\n  ${replay("crash-models", seed, n)}`);
      }
    }
    recordFigures({
      suite: "crash-import",
      figures: { trials: trials.length, faults_survived: outcomes.length, version_absent: outcomes.filter((o) => o === "absent").length, version_whole: outcomes.filter((o) => o === "whole").length, failures: failures.length },
      notes: [`seed ${seed}; a full import took ${timing.import} ms`],
    });
    expect(failures, failures.join("\n\n")).toEqual([]);
  });
});
