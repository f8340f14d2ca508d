import { defineTask } from "dagship";
import { onnxFromTable } from "../../lib/ml/arrow-tables.js";
import type { EvalMetrics } from "../../lib/ml/compare.js";
import { stringParam } from "../../lib/params.js";

/**
 * Registers the new model in the environment's registry, whatever the gate will say: the ONNX
 * bytes that were evaluated, the featurizer config scoring needs, the metrics (on the
 * evaluation set, and `holdout_*` on the held-out split), the training params, and the lineage
 * dagship fills in (run, deployment, git sha, and the sha256 of the tables it came from).
 */
export default defineTask<{ model: string }>({
  description: "register the new version with its metrics, params and lineage",
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
  },
});
