import { readFileSync } from "node:fs";
import path from "node:path";
import { tableFromIPC, type Table } from "apache-arrow";
import { defineTask } from "dagship";
import { REVIEWS_DIR } from "../../lib/ml/datasets.js";
import { listReviewBatches } from "../../lib/ml/review-files.js";
import { numberParam, stringParam } from "../../lib/params.js";

interface Params {
  data_dir: string;
  model: string;
  retrain_run: string;
  min_auc: string;
  margin: string;
}

/** An expectation the integration test makes that did not hold. */
export class AssertionFailed extends Error {
  override readonly name = "AssertionFailed";
}

/**
 * The integration test's assertions on what retrain and score produced; every failed one is
 * listed in the error (the task fails, so the run and the CI job fail).
 */
export default defineTask<Params>({
  description: "assert on the outputs of retrain and score",
  async run(ctx) {
    const dataDir = stringParam(ctx.params, "data_dir");
    const name = stringParam(ctx.params, "model");
    const minAuc = numberParam(ctx.params, "min_auc", { min: 0, max: 1 });
    const margin = numberParam(ctx.params, "margin", { min: 0, max: 0.5 });
    const failures: string[] = [];
    const expect = (ok: boolean, what: string) => {
      if (!ok) failures.push(what);
      else ctx.log.info(`ok: ${what}`);
    };

    const version = (await ctx.models.versions(name)).find((v) => v.lineage.run_id === ctx.params.retrain_run);
    expect(version !== undefined, `retrain run ${ctx.params.retrain_run} registered a version of "${name}"`);
    if (version) {
      expect(version.metrics.auc! >= minAuc, `v${version.version}: evaluation-set AUC ${version.metrics.auc} ≥ ${minAuc}`);
      expect(version.metrics.holdout_auc! >= minAuc, `v${version.version}: held-out AUC ${version.metrics.holdout_auc} ≥ ${minAuc}`);
      expect(version.lineage.input_tables.length >= 3 && version.lineage.input_tables.every((t) => /^[0-9a-f]{64}$/.test(t.sha256)), `v${version.version}: lineage lists its input tables with sha256`);
      expect(version.featurizer !== null, `v${version.version}: the featurizer config is stored with it`);
      ctx.values.set("version", version.version);
      ctx.values.set("auc", version.metrics.auc!);
    }
    const { champion } = await ctx.models.aliases(name);
    expect(champion !== undefined, `"${name}" has a champion`);

    const batch = listReviewBatches(path.join(dataDir, REVIEWS_DIR)).at(-1);
    expect(batch !== undefined, "the seed landed a batch");
    if (batch) {
      const rows = readTable(path.join(dataDir, REVIEWS_DIR, `${batch.id}.arrow`)).numRows;
      const predictions = readTable(path.join(dataDir, "predictions", `${batch.id}.arrow`));
      expect(predictions.numRows === rows, `a prediction for each of the ${rows} reviews (got ${predictions.numRows})`);
      const p = predictions.getChild("probability")?.toArray() as Float32Array | undefined;
      expect(p !== undefined && p.every((x) => x >= 0 && x <= 1), "probabilities in [0, 1]");
      const unsure = p ? p.filter((x) => Math.abs(x - 0.5) < margin).length : -1;
      const queue = readTable(path.join(dataDir, "labeling", `${batch.id}.arrow`));
      expect(queue.numRows === unsure, `the labeling queue holds the ${unsure} predictions within ±${margin} of 0.5 (got ${queue.numRows})`);
      ctx.values.set("predictions", predictions.numRows);
      ctx.values.set("to_label", queue.numRows);
    }
    if (failures.length > 0) throw new AssertionFailed(`${failures.length} check${failures.length > 1 ? "s" : ""} failed:\n- ${failures.join("\n- ")}`);
  },
});

function readTable(file: string): Table {
  try {
    return tableFromIPC(readFileSync(file));
  } catch (error) {
    throw new AssertionFailed(`cannot read ${file}: ${(error as Error).message}`);
  }
}
