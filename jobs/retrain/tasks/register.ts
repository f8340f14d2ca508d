import { defineTask } from "dagship";
import { onnxFromTable } from "../../lib/ml/arrow-tables.js";
import type { EvalMetrics } from "../../lib/ml/compare.js";
import { EVAL_DIR } from "../../lib/ml/datasets.js";
import { boolParam, stringParam } from "../../lib/params.js";

/**
 * Registers the new model in the environment's registry, whatever the gate will say: the ONNX
 * bytes that were evaluated, the featurizer config scoring needs, the metrics (on the
 * evaluation set, and `holdout_*` on the held-out split), the training params, and the lineage
 * dagship fills in (run, deployment, git sha, and the sha256 of the tables it came from). Then it
 * records the gate decision `evaluate` made on this version — passed or not, with the figures and
 * the reason — in the registry's audit log, so a decision that keeps the champion is kept too.
 */
export default defineTask<{ model: string; greater_is_better: string }>({
  description: "register the new version with its metrics, params and lineage; record the gate decision on it",
  async run(ctx) {
    const name = stringParam(ctx.params, "model");
    const onnx = onnxFromTable(await ctx.tables.read("train", "model"));
    const onEval = ctx.values.get<EvalMetrics>("evaluate", "eval");
    const holdout = ctx.values.get<EvalMetrics>("evaluate", "holdout");
    const params = ctx.values.get<Record<string, string | number | boolean>>("train", "params");
    const meta = await ctx.models.register(name, {
      onnx,
      featurizer: ctx.values.get("featurize", "featurizer"),
      metrics: {
        auc: onEval.auc,
        accuracy: onEval.accuracy,
        log_loss: onEval.log_loss,
        holdout_auc: holdout.auc,
        holdout_accuracy: holdout.accuracy,
        holdout_log_loss: holdout.log_loss,
      },
      params: {
        ...params,
        train_rows: ctx.values.get<number>("featurize", "train_rows"),
        test_rows: ctx.values.get<number>("featurize", "test_rows"),
        batches: ctx.values.get<string[]>("ingest", "new_batches"),
      },
      // The training data, besides the model table this task reads.
      inputs: [
        { task_key: "ingest", name: "reviews" },
        { task_key: "featurize", name: "train" },
        { task_key: "featurize", name: "test" },
      ],
    });
    ctx.values.set("version", meta.version);
    ctx.values.set("onnx_sha256", meta.onnx_sha256);
    ctx.values.set("input_tables", meta.lineage.input_tables.map((t) => `${t.name} ${t.sha256.slice(0, 12)}`));
    ctx.log.info(`registered ${name} v${meta.version} (onnx ${meta.onnx_sha256.slice(0, 12)}, ${meta.onnx_bytes} bytes)`);

    const champion = ctx.values.get<(EvalMetrics & { version: number }) | null>("evaluate", "champion");
    const minDelta = ctx.values.get<number>("evaluate", "min_delta");
    const greaterIsBetter = boolParam(ctx.params, "greater_is_better");
    const championMetric = ctx.values.get<number | null>("evaluate", "champion_metric");
    const gate = await ctx.models.recordGate(name, {
      version: meta.version,
      metric: ctx.values.get<string>("evaluate", "metric"),
      greater_is_better: greaterIsBetter,
      min_delta: minDelta,
      dataset: EVAL_DIR,
      challenger: ctx.values.get<number | null>("evaluate", "challenger"),
      champion: championMetric,
      champion_version: champion?.version ?? null,
      threshold: championMetric === null ? null : Number((greaterIsBetter ? championMetric + minDelta : championMetric - minDelta).toFixed(12)),
      bootstrap: ctx.values.get<boolean>("evaluate", "bootstrap"),
      passed: ctx.values.get<boolean>("evaluate", "passed"),
      reason: ctx.values.get<string>("evaluate", "reason"),
      challenger_metrics: metricsOf(onEval),
      champion_metrics: champion === null ? null : metricsOf(champion),
    });
    ctx.values.set("gate_passed", gate.passed);
    ctx.log.info(`gate decision on v${meta.version} recorded: ${gate.passed ? "passed" : "not passed"} — ${gate.reason}`);
  },
});

/** The figures the gate compares, as the audit log keeps them. */
function metricsOf(m: EvalMetrics): Record<string, number> {
  return { auc: m.auc, accuracy: m.accuracy, log_loss: m.log_loss };
}
