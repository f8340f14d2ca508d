import { defineTask } from "dagship";
import { ensureEvaluationSet, landReviewBatch } from "../../lib/ml/datasets.js";
import { numberParam, stringParam } from "../../lib/params.js";

/** Lands one batch of `rows` reviews and an evaluation set of `eval_rows` in a fresh data folder. */
export default defineTask<{ data_dir: string; rows: string; eval_rows: string }>({
  description: "land a small batch and an evaluation set",
  async run(ctx) {
    const dataDir = stringParam(ctx.params, "data_dir");
    const evalSet = await ensureEvaluationSet(dataDir, ctx.job.env, { count: numberParam(ctx.params, "eval_rows", { integer: true, min: 100, max: 1_000_000 }) });
    const batch = await landReviewBatch(dataDir, { rows: numberParam(ctx.params, "rows", { integer: true, min: 100, max: 10_000_000 }) });
    ctx.values.set("batch", batch.id);
    ctx.values.set("rows", batch.rows);
    ctx.values.set("eval_rows", evalSet.rows);
    ctx.log.info(`landed ${batch.id} (${batch.rows} reviews) and an evaluation set of ${evalSet.rows} in ${dataDir}`);
  },
});
