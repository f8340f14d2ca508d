/**
 * `npm start`: the ML lifecycle end to end in the dev workspace. Generates data if the workspace
 * has none (a batch of reviews and dev's evaluation set, as `npm run data` does), runs the
 * `retrain` job (train, evaluate against the champion, register, gate, promote), then the `score`
 * job (the champion scores the newest batch), through the real CLI, and prints where the model,
 * the runs and their outputs are. Exit 1 when a run does not succeed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureEvaluationSet, landReviewBatch, REVIEWS_DIR } from "../jobs/lib/ml/datasets.js";
import { listReviewBatches } from "../jobs/lib/ml/review-files.js";
import { dataDirOf } from "./data.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "bin", "dagship.js");
const ENV = "dev";
const MODEL = "reviews";
const FIRST_BATCH_ROWS = 20_000;

const rel = (file: string) => path.relative(process.cwd(), file) || ".";
const say = (line = "") => process.stdout.write(`${line}\n`);

/** Runs the CLI with its output on this terminal; returns the exit code. */
function dagship(args: string[]): number {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: "inherit" });
  return r.status ?? 1;
}

/** Runs the CLI with --json and returns what it printed, parsed. */
function dagshipJson<T>(args: string[]): T {
  return JSON.parse(execFileSync(process.execPath, [CLI, ...args, "--json"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })) as T;
}

function latestRun(job: string): { run_id: string; state: string } {
  const { runs } = dagshipJson<{ runs: Array<{ run_id: string; state: string }> }>(["runs", job, "--env", ENV, "--limit", "1"]);
  if (!runs[0]) throw new Error(`no run of ${job} was recorded`);
  return runs[0];
}

async function main(): Promise<number> {
  if (!existsSync(path.join(ROOT, "dist", "runner", "cli", "main.js"))) {
    process.stderr.write("npm start: dagship is not built yet; run `npm run build` (npm ci does it)\n");
    return 2;
  }
  const dataDir = dataDirOf(ROOT, ENV);
  const evalSet = await ensureEvaluationSet(dataDir, ENV);
  if (evalSet.created) say(`▸ wrote the ${ENV} evaluation set: ${rel(evalSet.file)} (${evalSet.rows} reviews)`);
  if (listReviewBatches(path.join(dataDir, REVIEWS_DIR)).length === 0) {
    const batch = await landReviewBatch(dataDir, { rows: FIRST_BATCH_ROWS });
    say(`▸ no data in the ${ENV} workspace yet: landed ${batch.id} (${batch.rows} reviews) → ${rel(batch.file)}`);
  }

  say(`\n▸ dagship run retrain --env ${ENV}`);
  dagship(["run", "retrain", "--env", ENV]);
  const retrain = latestRun("retrain");
  say(`\n▸ dagship run score --env ${ENV}`);
  dagship(["run", "score", "--env", ENV]);
  const score = latestRun("score");

  const hasReport = existsSync(path.join(ROOT, "dist", "runner", "cli", "commands", "report.js"));
  const look = (id: string) => (hasReport ? `npx dagship report ${id} --env ${ENV} --html ${id}.html` : `npx dagship status ${id} --env ${ENV}`);
  say("\n────────────────────────────────────────────────────────────────────────");
  say(`retrain  ${retrain.run_id}  ${retrain.state.padEnd(8)}  ${look(retrain.run_id)}`);
  say(`score    ${score.run_id}  ${score.state.padEnd(8)}  ${look(score.run_id)}`);
  try {
    const champion = dagshipJson<{ version: number; metrics: Record<string, number> }>(["models", "show", MODEL, "--alias", "champion", "--env", ENV]);
    const dir = path.join(path.dirname(dataDir), "models", MODEL, "versions", String(champion.version));
    say(`model    ${MODEL} v${champion.version} is the champion (auc ${champion.metrics.auc}): ${rel(path.join(dir, "model.onnx"))}`);
    say(`         npx dagship models show ${MODEL} --alias champion --env ${ENV}   ·   npx dagship models audit ${MODEL} --env ${ENV}`);
  } catch {
    say(`model    ${MODEL} has no champion in ${ENV} yet`);
  }
  const newest = listReviewBatches(path.join(dataDir, REVIEWS_DIR)).at(-1);
  if (newest && score.state === "SUCCESS") {
    say(`outputs  ${rel(path.join(dataDir, "predictions", `${newest.id}.arrow`))} (predictions), ${rel(path.join(dataDir, "labeling", `${newest.id}.arrow`))} (to label)`);
  }
  say(`runs     npx dagship runs --env ${ENV}${hasReport ? "" : "   (an HTML report of a run: dagship report, once it exists)"}`);
  say(`next     npm run data -- --rows 20000 [--drift 0.5] && npm start   (a new batch: retrain, and the gate decides)`);
  return retrain.state === "SUCCESS" && score.state === "SUCCESS" ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm start: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
