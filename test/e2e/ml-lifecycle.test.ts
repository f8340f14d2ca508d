/**
 * The ML lifecycle through the real CLI, in a throw-away copy of this repository's ML jobs:
 * data lands, `retrain` registers and promotes, `score` serves the champion, the gate keeps a
 * worse model out, ingestion is trigger-once with a checkpoint that only a successful run
 * commits, and `models promote` moves a version dev → staging → prod with the repository's
 * evaluator (promotion.gate.evaluator). Rows are kept small (a few thousand).
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { assertBuilt } from "./cli.js";
import { mlRepo, type MlRepo } from "./ml-repo.js";

beforeAll(assertBuilt);

const SLOW = 240_000;
const checkpoint = (r: MlRepo) => {
  const file = path.join(r.ws(), "data", "checkpoints", "retrain.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { batches: string[]; run_id: string }) : null;
};

describe("retrain, score and promotion", () => {
  let repo: MlRepo;
  beforeAll(() => {
    repo = mlRepo();
  });
  afterAll(() => repo?.remove());

  test(
    "from an empty workspace: data, then retrain registers v1 with lineage and makes it champion; score writes predictions and a labeling table",
    async () => {
      expect(repo.data("--rows", "2500", "--eval-rows", "2000")).toMatch(/landed batch-000001: 2500 reviews/);
      const run = await repo.json(["run", "retrain"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.body.state).toBe("SUCCESS");
      const t = run.body.tasks;
      expect(t.ingest.values).toMatchObject({ new_batches: ["batch-000001"], new_rows: 2500 });
      expect(t.train.values.params).toMatchObject({ algorithm: "ftrl-proximal", penalty: "l2", seed: 7, epochs: 4, label_flip: 0 });
      expect(t.evaluate.values).toMatchObject({ bootstrap: true, passed: true, champion: null, metric: "auc" });
      expect(t.evaluate.values.eval.auc).toBeGreaterThan(0.75);
      expect(t.evaluate.values.holdout.auc).toBeGreaterThan(0.75);
      expect(t.register.values.version).toBe(1);
      expect(t.gate.outcome).toBe("true");
      expect(t.promote.values).toEqual({ champion: 1, previous: null });
      expect(repo.aliases()).toEqual({ champion: 1 });
      expect(checkpoint(repo)).toMatchObject({ batches: ["batch-000001"], run_id: run.body.run_id });

      const show = await repo.json(["models", "show", "reviews", "--version", "1", "--env", "dev"]);
      expect(show.body).toMatchObject({ verified: true, featurizer: { kind: "hashing", hashBits: 18 }, params: { seed: 7, batches: ["batch-000001"] } });
      expect(show.body.metrics.auc).toBe(t.evaluate.values.eval.auc);
      const lineage = show.body.lineage;
      expect(lineage).toMatchObject({ env: "dev", job: "retrain", run_id: run.body.run_id, task_key: "register", deployment_id: null });
      expect(lineage.git_sha).toMatch(/^[0-9a-f]{40}$/);
      expect(lineage.input_tables.map((x: { name: string }) => x.name)).toEqual(["featurize/test", "featurize/train", "ingest/reviews", "train/model"]);
      for (const x of lineage.input_tables) expect(x.sha256).toMatch(/^[0-9a-f]{64}$/);

      const score = await repo.json(["run", "score", "--param", "margin=0.15"]);
      expect(score.code, score.stderr).toBe(0);
      const s = score.body.tasks.score;
      expect(s.values).toMatchObject({ batch: "batch-000001", model_version: 1, rows: 2500 });
      expect(s.tables.predictions.rows).toBe(2500);
      const runDir = path.join(repo.ws(), "runs", score.body.run_id);
      const predictions = repo.readTable(path.join(runDir, s.tables.predictions.path));
      const p = predictions.getChild("probability")!.toArray() as Float32Array;
      const unsure = p.filter((x) => Math.abs(x - 0.5) < 0.15).length;
      expect(unsure).toBeGreaterThan(0);
      expect(s.values.to_label).toBe(unsure);
      const queue = repo.readTable(path.join(runDir, s.tables.to_label.path));
      expect(queue.numRows).toBe(unsure);
      expect(queue.schema.fields.map((f) => f.name)).toEqual(["review_id", "product_id", "text", "probability"]);
      expect([...(queue.getChild("probability")!.toArray() as Float32Array)].every((x) => Math.abs(x - 0.5) < 0.15)).toBe(true);
      expect(repo.readTable(path.join(repo.ws(), "data", "predictions", "batch-000001.arrow")).numRows).toBe(2500);
      expect(repo.readTable(path.join(repo.ws(), "data", "labeling", "batch-000001.arrow")).numRows).toBe(unsure);
    },
    SLOW,
  );

  test(
    "a new batch: retrain ingests only it and registers v2, moving champion only if the gate passed; a model made worse on purpose stays out; no new data trains nothing",
    async () => {
      repo.data("--rows", "6000");
      // In GitHub Actions mode: the summary compares the new version with the champion.
      const gh = { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: path.join(repo.dir, "summary.md"), GITHUB_OUTPUT: path.join(repo.dir, "output.txt") };
      const second = await repo.json(["run", "retrain"], gh);
      expect(second.body.state).toBe("SUCCESS");
      const t = second.body.tasks;
      const summary = readFileSync(gh.GITHUB_STEP_SUMMARY, "utf8");
      expect(summary).toContain("```mermaid\nflowchart TD");
      expect(summary).toContain(`### Model reviews v2 against champion v1 — ${t.evaluate.values.passed ? "promoted to champion" : "not promoted"}`);
      expect(summary).toMatch(/\| auc \| [0-9.]+ \| [0-9.]+ \| [-+0-9.]+ \|/);
      const outputs = readFileSync(gh.GITHUB_OUTPUT, "utf8");
      expect(outputs).toMatch(/^model_version<<(\S+)\n2\n\1$/m);
      expect(outputs).toMatch(new RegExp(`^promoted<<(\\S+)\\n${String(t.evaluate.values.passed)}\\n\\1$`, "m"));
      expect(t.ingest.values).toMatchObject({ new_batches: ["batch-000002"], new_rows: 6000 });
      expect(t.register.values.version).toBe(2);
      expect(t.evaluate.values.champion).toMatchObject({ version: 1 });
      const passed = t.evaluate.values.passed as boolean;
      expect(t.gate.outcome).toBe(String(passed));
      expect(repo.aliases()).toEqual({ champion: passed ? 2 : 1 });
      expect(t.promote.state).toBe(passed ? "SUCCESS" : "SKIPPED");
      expect(checkpoint(repo)!.batches).toEqual(["batch-000001", "batch-000002"]);
      const championBefore = repo.aliases().champion;

      repo.data("--rows", "3000");
      const worse = await repo.json(["run", "retrain", "--param", "label_flip=0.5"]);
      expect(worse.body.state).toBe("SUCCESS");
      const w = worse.body.tasks;
      expect(w.ingest.values.new_batches).toEqual(["batch-000003"]);
      expect(w.register.values.version).toBe(3);
      expect(w.train.values.params.label_flip).toBe(0.5);
      expect(w.evaluate.values).toMatchObject({ passed: false, bootstrap: false, champion_version: championBefore });
      expect(w.evaluate.values.improvement).toBeLessThan(0);
      expect(w.gate.outcome).toBe("false");
      expect(w.promote.state).toBe("SKIPPED");
      expect(w.commit.state).toBe("SUCCESS");
      expect(repo.aliases()).toEqual({ champion: championBefore });
      const audit = await repo.json(["models", "audit", "reviews", "--env", "dev"]);
      const moves = audit.body.entries.filter((e: { event: string }) => e.event === "alias");
      expect(moves.map((e: { to: number }) => e.to)).not.toContain(3);
      const first = moves.find((e: { from: number | null }) => e.from === null); // the log is listed newest first
      expect(first).toMatchObject({ alias: "champion", to: 1, run: { job: "retrain", task_key: "promote" } });
      expect(first.reason).toMatch(/bootstrap/);

      const idle = await repo.json(["run", "retrain"]);
      expect(idle.body.state).toBe("SUCCESS");
      expect(idle.body.tasks.ingest.values).toMatchObject({ new_batches: [], new_rows: 0 });
      expect(idle.body.tasks.has_new_data.outcome).toBe("false");
      expect(idle.body.tasks.register.state).toBe("SKIPPED");
      expect((await repo.json(["models", "list", "--env", "dev"])).body.models[0].versions).toHaveLength(3);
    },
    SLOW,
  );

  test(
    "models promote --from dev --to staging, then --from staging --to prod, gated by the repository's evaluator on each target's own evaluation set",
    async () => {
      repo.data("--env", "staging", "--eval-only", "--eval-rows", "2000");
      repo.data("--env", "prod", "--eval-only", "--eval-rows", "2000");
      const champion = repo.aliases().champion!;
      const toStaging = await repo.json(["models", "promote", "reviews", "--version", String(champion), "--from", "dev", "--to", "staging"]);
      expect(toStaging.code, toStaging.stderr).toBe(0);
      expect(toStaging.body).toMatchObject({ from: "dev", to: "staging", source_version: champion, target_version: 1, promoted: true, gate: { metric: "auc", bootstrap: true, passed: true, dataset: "eval" } });
      expect(Object.keys(toStaging.body.gate.challenger_metrics).sort()).toEqual(["accuracy", "auc", "log_loss"]);
      expect(toStaging.body.gate.challenger).toBeGreaterThan(0.75);

      const toProd = await repo.json(["models", "promote", "reviews", "--version", "1", "--from", "staging", "--to", "prod"]);
      expect(toProd.code, toProd.stderr).toBe(0);
      expect(toProd.body).toMatchObject({ from: "staging", to: "prod", target_version: 1, promoted: true });
      // Each target evaluated on its own set: the same model scores differently on staging's and prod's.
      expect(toProd.body.gate.challenger).not.toBe(toStaging.body.gate.challenger);
      const prodMeta = await repo.json(["models", "show", "reviews", "--alias", "champion", "--env", "prod"]);
      expect(prodMeta.body.lineage.source).toMatchObject({ env: "staging", version: 1, previous: { env: "dev", version: champion } });
      expect(prodMeta.body.lineage.job).toBe("retrain");

      // The model trained on flipped labels (dev v3) does not pass staging's gate.
      const worse = await repo.json(["models", "promote", "reviews", "--version", "3", "--from", "dev", "--to", "staging"]);
      expect(worse.code).toBe(0);
      expect(worse.body).toMatchObject({ target_version: 2, promoted: false, champion: 1, gate: { passed: false, champion_version: 1 } });
      expect(repo.aliases("staging")).toEqual({ champion: 1 });
    },
    SLOW,
  );
});

describe("trigger-once ingestion", () => {
  let repo: MlRepo;
  beforeAll(() => {
    repo = mlRepo();
  });
  afterAll(() => repo?.remove());

  test(
    "a failed run commits no checkpoint and registers nothing; the next run takes the same batch again",
    async () => {
      repo.data("--rows", "2000", "--eval-rows", "1000");
      const evalDir = path.join(repo.ws(), "data", "eval");
      rmSync(evalDir, { recursive: true });
      const failed = await repo.json(["run", "retrain"]);
      expect(failed.code).toBe(1);
      expect(failed.body.state).toBe("FAILED");
      expect(failed.body.tasks.evaluate.state).toBe("FAILED");
      expect(failed.body.tasks.evaluate.attempts[0].error.message).toMatch(/no review data at .*eval/);
      expect(failed.body.tasks.register.state).toBe("UPSTREAM_FAILED");
      expect(failed.body.tasks.commit.state).toBe("UPSTREAM_FAILED");
      expect(checkpoint(repo)).toBeNull();
      expect(existsSync(path.join(repo.ws(), "models", "reviews"))).toBe(false);

      repo.data("--eval-only", "--eval-rows", "1000");
      const again = await repo.json(["run", "retrain"]);
      expect(again.body.state).toBe("SUCCESS");
      expect(again.body.tasks.ingest.values.new_batches).toEqual(["batch-000001"]);
      expect(checkpoint(repo)).toMatchObject({ batches: ["batch-000001"], run_id: again.body.run_id });
    },
    SLOW,
  );

  test(
    "the integration-test job: retrain and score on a fresh sample, then its assertions pass",
    async () => {
      const run = await repo.json(["run", "integration-test", "--param", "rows=2000", "--param", "eval_rows=1000"]);
      expect(run.code, JSON.stringify(run.body.tasks?.check?.attempts?.[0]?.error ?? run.stderr)).toBe(0);
      expect(run.body.tasks.check.values).toMatchObject({ predictions: 2000 });
      expect(run.body.tasks.check.values.auc).toBeGreaterThan(0.7);
      expect(run.body.tasks.cleanup.state).toBe("SUCCESS");
      expect(existsSync(path.join(repo.ws(), "data", "integration", run.body.run_id))).toBe(false);
      expect(repo.aliases("dev", "reviews-it")).toMatchObject({ champion: 1 });
    },
    SLOW,
  );

  test(
    "a run of a deployment records the deployment in the version's lineage",
    async () => {
      const deploy = await repo.json(["deploy", "--env", "dev"]);
      expect(deploy.code, deploy.stderr).toBe(0);
      const deploymentId = deploy.body.jobs.retrain.deployment_id as string;
      repo.data("--rows", "2000");
      const run = await repo.json(["run", "retrain", "--deployed"]);
      expect(run.body.state, run.stderr).toBe("SUCCESS");
      const version = run.body.tasks.register.values.version as number;
      const show = await repo.json(["models", "show", "reviews", "--version", String(version), "--env", "dev"]);
      expect(show.body.lineage).toMatchObject({ deployment_id: deploymentId, run_id: run.body.run_id });
      expect(show.body.lineage.git_sha).toMatch(/^[0-9a-f]{40}$/);
    },
    SLOW,
  );
});
