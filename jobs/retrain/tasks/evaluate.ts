import path from "node:path";
import { defineTask } from "dagship";
import { csrFromTable, onnxFromTable } from "../../lib/ml/arrow-tables.js";
import { EVAL_DIR, readReviews } from "../../lib/ml/datasets.js";
import { parseFeaturizerConfig } from "../../lib/ml/features.js";
import { classificationMetrics } from "../../lib/ml/metrics.js";
import { loadOnnxSession, scoreTextsWithOnnx, scoreWithOnnx } from "../../lib/ml/onnx-score.js";
import { compareToChampion, roundMetrics, type EvalMetrics } from "../../lib/ml/compare.js";
import { boolParam, numberParam, stringParam } from "../../lib/params.js";

interface Params {
  data_dir: string;
  model: string;
  metric: string;
  greater_is_better: string;
  min_delta: string;
}

/**
 * Scores the new model (its ONNX bytes, with onnxruntime-node) on the held-out split and on the
 * environment's evaluation set (`<data_dir>/eval`), and the current champion on the same set;
 * publishes every figure and the comparison the `gate` condition reads (`passed`), with the
 * same rule as the promotion gate: better by at least `min_delta`, or no champion yet.
 */
export default defineTask<Params>({
  description: "held-out and evaluation-set metrics of the new model and the champion",
  async run(ctx) {
    const dataDir = stringParam(ctx.params, "data_dir");
    const modelName = stringParam(ctx.params, "model");
    const metric = stringParam(ctx.params, "metric");
    const greaterIsBetter = boolParam(ctx.params, "greater_is_better");
    const minDelta = numberParam(ctx.params, "min_delta", { min: 0 });
    const featurizer = parseFeaturizerConfig(ctx.values.get("featurize", "featurizer"));

    const session = await loadOnnxSession(onnxFromTable(await ctx.tables.read("train", "model")));
    const test = csrFromTable(await ctx.tables.read("featurize", "test"), 2 ** featurizer.hashBits);
    const evalSet = readReviews(path.join(dataDir, EVAL_DIR));
    let holdout: EvalMetrics;
    let onEval: EvalMetrics;
    try {
      holdout = roundMetrics(classificationMetrics(test.labels, await scoreWithOnnx(session, test.csr)));
      onEval = roundMetrics(classificationMetrics(evalSet.label, await scoreTextsWithOnnx(session, evalSet.text, featurizer)));
    } finally {
      await session.release();
    }
    ctx.log.info(`new model: held-out auc ${holdout.auc} (${holdout.rows} rows); evaluation set auc ${onEval.auc} (${onEval.rows} rows)`);

    const { champion: championVersion } = await ctx.models.aliases(modelName);
    let champion: (EvalMetrics & { version: number }) | null = null;
    if (championVersion !== undefined) {
      const loaded = await ctx.models.load(modelName, { version: championVersion });
      try {
        const p = await scoreTextsWithOnnx(loaded.session, evalSet.text, parseFeaturizerConfig(loaded.featurizer));
        champion = { version: championVersion, ...roundMetrics(classificationMetrics(evalSet.label, p)) };
      } finally {
        await loaded.session.release();
      }
      ctx.log.info(`champion v${championVersion}: evaluation set auc ${champion.auc}`);
    } else ctx.log.info(`model "${modelName}" has no champion yet`);

    const decision = compareToChampion({ metric, greaterIsBetter, minDelta }, onEval, champion);
    ctx.values.set("holdout", holdout);
    ctx.values.set("eval", onEval);
    ctx.values.set("champion", champion);
    ctx.values.set("champion_version", champion?.version ?? null);
    for (const [k, v] of Object.entries(decision)) ctx.values.set(k, v);
    ctx.log.info(`gate: ${decision.passed ? "passes" : "does not pass"} — ${decision.reason}`);
  },
});
