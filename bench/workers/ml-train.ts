/**
 * ML training worker, run in a fresh Node process by bench/figures/ml.ts:
 *
 *   node --import tsx bench/workers/ml-train.ts <rows> <seed>
 *
 * Does what a `train` task does with a day of data, in one process: generates <rows> reviews,
 * featurizes them (2^18 hashed words and bigrams) and trains logistic regression with the
 * default options (L2, 4 epochs); then checks the model on 20,000 held-out reviews (a broken
 * model is not a measurement) and prints a JSON report of each phase's time on stdout. With
 * <rows> = 0 it only loads the modules and exits: the floor of the memory figure.
 */
import { performance } from "node:perf_hooks";
import { DEFAULT_FEATURIZER, Featurizer } from "../../jobs/lib/ml/features.js";
import { predictProba, trainLogReg } from "../../jobs/lib/ml/logreg.js";
import { auc } from "../../jobs/lib/ml/metrics.js";
import { generateReviews } from "../../jobs/lib/ml/reviews.js";

/** What the worker prints. */
export interface TrainReport {
  rows: number;
  nnz: number;
  epochs: number;
  generateSeconds: number;
  featurizeSeconds: number;
  trainSeconds: number;
  nonZeroWeights: number;
  heldOutAuc: number;
}

const rows = Number(process.argv[2]);
const seed = Number(process.argv[3] ?? 1);
if (!Number.isInteger(rows) || rows < 0) {
  process.stderr.write("usage: ml-train.ts <rows> [seed]\n");
  process.exit(2);
}
if (rows > 0) {
  let t = performance.now();
  const reviews = generateReviews({ count: rows, seed });
  const generateSeconds = (performance.now() - t) / 1000;
  const featurizer = new Featurizer(DEFAULT_FEATURIZER);
  t = performance.now();
  const csr = featurizer.featurize(reviews.text);
  const featurizeSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const { model, stats } = trainLogReg(csr, reviews.label, { seed });
  const trainSeconds = (performance.now() - t) / 1000;
  const heldOut = generateReviews({ count: 20_000, seed: seed + 1_000_003 });
  const heldOutAuc = auc(heldOut.label, predictProba(model, featurizer.featurize(heldOut.text)));
  const report: TrainReport = { rows, nnz: stats.nnz, epochs: stats.epochs, generateSeconds, featurizeSeconds, trainSeconds, nonZeroWeights: stats.nonZeroWeights, heldOutAuc };
  process.stdout.write(JSON.stringify(report) + "\n");
}
