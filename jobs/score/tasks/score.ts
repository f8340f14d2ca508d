import path from "node:path";
import { makeData, makeVector, Table, Utf8 } from "apache-arrow";
import { defineTask } from "dagship";
import { writeArrowFile } from "../../lib/ml/arrow-tables.js";
import { REVIEWS_DIR } from "../../lib/ml/datasets.js";
import { parseFeaturizerConfig } from "../../lib/ml/features.js";
import { scoreTextsWithOnnx } from "../../lib/ml/onnx-score.js";
import { listReviewBatches, readReviewBatch } from "../../lib/ml/review-files.js";
import { selectReviews, type Reviews } from "../../lib/ml/reviews.js";
import { numberParam, stringParam } from "../../lib/params.js";

interface Params {
  data_dir: string;
  model: string;
  alias: string;
  batch: string;
  margin: string;
  batch_rows: string;
}

/**
 * Loads the model version the alias names (`champion`) through `ctx.models.load`, scores a review
 * batch (the newest one in `<data_dir>/reviews/`, or `batch`) with onnxruntime-node, batch by
 * batch, using the featurizer config stored with the version, and writes:
 * - the table `predictions` (review_id, probability, predicted), also published as
 *   `<data_dir>/predictions/<batch>.arrow` for consumers outside the run;
 * - the table `to_label`: the reviews the model is unsure about (|p − 0.5| < margin), with their
 *   text, also published as `<data_dir>/labeling/<batch>.arrow`, the labeling queue.
 */
export default defineTask<Params>({
  description: "score the newest batch with the champion; queue uncertain rows for labeling",
  async run(ctx) {
    const dataDir = stringParam(ctx.params, "data_dir");
    const name = stringParam(ctx.params, "model");
    const margin = numberParam(ctx.params, "margin", { min: 0, max: 0.5 });
    const batchRows = numberParam(ctx.params, "batch_rows", { integer: true, min: 1 });
    const batches = listReviewBatches(path.join(dataDir, REVIEWS_DIR));
    const wanted = ctx.params.batch?.trim();
    const batch = wanted ? batches.find((b) => b.id === wanted) : batches.at(-1);
    if (!batch) throw new Error(wanted ? `no batch "${wanted}" in ${path.join(dataDir, REVIEWS_DIR)}` : `no review batches in ${path.join(dataDir, REVIEWS_DIR)}: land one first (npm run data)`);

    const { session, meta, featurizer } = await ctx.models.load(name, { alias: stringParam(ctx.params, "alias") });
    ctx.log.info(`scoring ${batch.id} with ${name} v${meta.version} (${ctx.params.alias})`);
    const reviews = readReviewBatch(batch.file);
    const started = performance.now();
    let p: Float32Array;
    try {
      p = await scoreTextsWithOnnx(session, reviews.text, parseFeaturizerConfig(featurizer), { batchRows, signal: ctx.signal });
    } finally {
      await session.release();
    }
    const seconds = (performance.now() - started) / 1000;

    const predicted = Uint8Array.from(p, (x) => (x >= 0.5 ? 1 : 0));
    const predictions = new Table({ review_id: makeVector(reviews.reviewId), probability: makeVector(p), predicted: makeVector(predicted) });
    const unsure: number[] = [];
    for (let i = 0; i < p.length; i++) if (Math.abs(p[i]! - 0.5) < margin) unsure.push(i);
    const toLabel = labelingTable(selectReviews(reviews, unsure), Float32Array.from(unsure, (i) => p[i]!));

    await ctx.tables.write("predictions", predictions);
    await ctx.tables.write("to_label", toLabel);
    await writeArrowFile(path.join(dataDir, "predictions", `${batch.id}.arrow`), predictions);
    await writeArrowFile(path.join(dataDir, "labeling", `${batch.id}.arrow`), toLabel);

    let sum = 0;
    let positives = 0;
    for (let i = 0; i < p.length; i++) {
      sum += p[i]!;
      positives += predicted[i]!;
    }
    ctx.values.set("batch", batch.id);
    ctx.values.set("model_version", meta.version);
    ctx.values.set("rows", reviews.length);
    ctx.values.set("mean_probability", Number((sum / Math.max(1, p.length)).toFixed(6)));
    ctx.values.set("predicted_positive_rate", Number((positives / Math.max(1, p.length)).toFixed(6)));
    ctx.values.set("to_label", unsure.length);
    ctx.values.set("rows_per_second", Math.round(reviews.length / Math.max(seconds, 1e-9)));
    ctx.log.info(`scored ${reviews.length} reviews in ${seconds.toFixed(2)} s; ${unsure.length} within ±${margin} of 0.5 queued for labeling`);
  },
});

/** The labeling queue's rows: id, product, text and the model's probability. */
function labelingTable(r: Reviews, probability: Float32Array): Table {
  const base = r.text.offsets[0]!;
  const offsets = base === 0 ? r.text.offsets : r.text.offsets.map((o) => o - base);
  const text = makeVector(makeData({ type: new Utf8(), length: r.length, nullCount: 0, valueOffsets: offsets, data: r.text.bytes.subarray(base, r.text.offsets[r.length]!) }));
  return new Table({ review_id: makeVector(r.reviewId), product_id: makeVector(r.productId), text, probability: makeVector(probability) });
}
