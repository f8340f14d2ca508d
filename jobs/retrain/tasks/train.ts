import { defineTask } from "dagship";
import { seededRandom } from "../../lib/random.js";
import { csrFromTable, onnxToTable } from "../../lib/ml/arrow-tables.js";
import { parseFeaturizerConfig } from "../../lib/ml/features.js";
import { trainLogReg } from "../../lib/ml/logreg.js";
import { exportOnnx } from "../../lib/ml/onnx.js";
import { numberParam } from "../../lib/params.js";

interface Params {
  penalty: string;
  l1: string;
  l2: string;
  epochs: string;
  seed: string;
  label_flip: string;
}

/**
 * Trains logistic regression (FTRL-Proximal with L2 or elastic net) on the `train` features,
 * deterministically for the seed, and exports it as ONNX (the table `model`: the exact bytes that
 * are evaluated and registered). The params and training figures are recorded as values.
 *
 * `label_flip` (0..1) flips that share of the training labels, seeded: a way to train a worse
 * model on purpose (to see the gate keep the champion).
 */
export default defineTask<Params>({
  description: "logistic regression on sparse features, exported as ONNX",
  async run(ctx) {
    const penalty = ctx.params.penalty === "elasticnet" ? "elasticnet" : ctx.params.penalty === "l2" ? "l2" : undefined;
    if (!penalty) throw new Error(`parameter "penalty" must be "l2" or "elasticnet", got ${JSON.stringify(ctx.params.penalty)}`);
    const seed = numberParam(ctx.params, "seed", { integer: true, min: 0, max: 0xffffffff });
    const labelFlip = numberParam(ctx.params, "label_flip", { min: 0, max: 1 });
    const featurizer = parseFeaturizerConfig(ctx.values.get("featurize", "featurizer"));
    const { csr, labels } = csrFromTable(await ctx.tables.read("featurize", "train"), 2 ** featurizer.hashBits);
    let y: Uint8Array = labels;
    if (labelFlip > 0) {
      const rand = seededRandom(seed ^ 0x5eed);
      y = Uint8Array.from(labels, (l) => (rand() < labelFlip ? 1 - l : l));
      ctx.log.warn(`label_flip=${labelFlip}: flipped about ${Math.round(labelFlip * 100)}% of the training labels on purpose`);
    }
    const { model, stats } = trainLogReg(csr, y, {
      penalty,
      l2: numberParam(ctx.params, "l2", { min: 0 }),
      ...(penalty === "elasticnet" ? { l1: numberParam(ctx.params, "l1", { min: 0 }) } : {}),
      epochs: numberParam(ctx.params, "epochs", { integer: true, min: 1, max: 1000 }),
      seed,
      signal: ctx.signal,
      onProgress: (fraction, message) => {
        ctx.progress(fraction, message);
        ctx.log.info(message);
      },
    });
    // No run-specific metadata: the same data, params and seed give the same bytes (and sha256).
    const onnx = exportOnnx(model, { featurizer });
    await ctx.tables.write("model", onnxToTable(onnx));
    ctx.values.set("params", { ...stats.params, label_flip: labelFlip });
    ctx.values.set("stats", {
      rows: stats.rows,
      positives: stats.positives,
      epochs: stats.epochs,
      final_loss: Number(stats.epochLoss.at(-1)!.toFixed(6)),
      nonzero_weights: stats.nonZeroWeights,
      seconds: Number(stats.seconds.toFixed(3)),
      rows_per_second: Math.round(stats.rowsPerSecond),
    });
    ctx.values.set("onnx_bytes", onnx.length);
    ctx.log.info(`trained on ${stats.rows} rows in ${stats.seconds.toFixed(2)} s (${Math.round(stats.rowsPerSecond)} rows/s); ${stats.nonZeroWeights} non-zero weights`);
  },
});
