import path from "node:path";
import { defineTask } from "dagship";
import { checkpointFile, readCheckpoint } from "../../lib/checkpoint.js";
import { REVIEWS_DIR } from "../../lib/ml/datasets.js";
import { listReviewBatches, readReviewBatch, reviewsToTable } from "../../lib/ml/review-files.js";
import { concatReviews } from "../../lib/ml/reviews.js";
import { stringParam } from "../../lib/params.js";

/**
 * Trigger-once ingestion: the review batches in `<data_dir>/reviews/` that the checkpoint does
 * not list (they arrived since the last successful run) become the table `reviews`. The
 * checkpoint itself is committed by the job's last task, only when the run succeeds.
 */
export default defineTask<{ data_dir: string; checkpoint: string }>({
  description: "read the review batches that arrived since the last successful run",
  async run(ctx) {
    const dataDir = stringParam(ctx.params, "data_dir");
    const file = checkpointFile(dataDir, stringParam(ctx.params, "checkpoint"));
    const checkpoint = readCheckpoint(file);
    const seen = new Set(checkpoint.batches);
    const all = listReviewBatches(path.join(dataDir, REVIEWS_DIR));
    const fresh = all.filter((b) => !seen.has(b.id));
    ctx.log.info(`${all.length} batches in ${path.join(dataDir, REVIEWS_DIR)}, ${seen.size} in the checkpoint (last committed by ${checkpoint.run_id ?? "no run yet"}), ${fresh.length} new`);
    ctx.values.set("new_batches", fresh.map((b) => b.id));
    if (fresh.length === 0) {
      ctx.values.set("new_rows", 0);
      ctx.log.info("nothing new to train on");
      return;
    }
    const reviews = concatReviews(fresh.map((b) => readReviewBatch(b.file)));
    await ctx.tables.write("reviews", reviewsToTable(reviews));
    let positives = 0;
    for (let i = 0; i < reviews.length; i++) positives += reviews.label[i]!;
    ctx.values.set("new_rows", reviews.length);
    ctx.values.set("positive_rate", Number((positives / reviews.length).toFixed(4)));
    ctx.log.info(`ingested ${reviews.length} reviews from ${fresh.map((b) => b.id).join(", ")}`);
  },
});
