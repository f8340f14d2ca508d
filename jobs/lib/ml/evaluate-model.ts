/**
 * The promotion gate's evaluator for this repository's review models (`promotion.gate.evaluator`
 * in environments/*.yaml): dagship bundles this module and calls its default export for the
 * challenger and for the champion on the TARGET environment's dataset
 * (`<workspace>/data/<gate.dataset>`, Arrow review batch files as ./review-files.ts writes them).
 *
 * It featurizes the dataset's texts with the featurizer config stored with the version — the
 * same code the score job uses — scores them with onnxruntime-node, and returns AUC, accuracy
 * and log loss against the labels. Deterministic; reads the version's files and the dataset only.
 */
import { readFileSync } from "node:fs";
import type { EvaluationDataset, EvaluationModel, Evaluator } from "dagship";
import { readReviews } from "./datasets.js";
import { OnnxModelError } from "./errors.js";
import { parseFeaturizerConfig } from "./features.js";
import { classificationMetrics } from "./metrics.js";
import { loadOnnxSession, scoreTextsWithOnnx } from "./onnx-score.js";

/**
 * Evaluates a model version on a labelled review dataset: `{ auc, accuracy, log_loss }`.
 * Throws {@link OnnxModelError} when the version has no usable featurizer config or ONNX model,
 * `ReviewDataError` when the dataset holds no review batches.
 *
 * @example
 * ```ts
 * const metrics = await evaluateModel(resolved, { name: "eval", path: ".dagship/prod/data/eval", env: "prod", workspace: ".dagship/prod" });
 * metrics.auc; // e.g. 0.93
 * ```
 */
export async function evaluateModel(model: EvaluationModel, dataset: EvaluationDataset): Promise<{ auc: number; accuracy: number; log_loss: number }> {
  const what = `model "${model.meta.name}" v${model.meta.version}`;
  let featurizer;
  try {
    featurizer = parseFeaturizerConfig(model.meta.featurizer);
  } catch (error) {
    throw new OnnxModelError(`${what} has no usable featurizer config: ${(error as Error).message}`, { cause: error });
  }
  const reviews = readReviews(dataset.path);
  const session = await loadOnnxSession(readFileSync(model.onnx));
  try {
    const p = await scoreTextsWithOnnx(session, reviews.text, featurizer);
    const { auc, accuracy, log_loss } = classificationMetrics(reviews.label, p);
    return { auc, accuracy, log_loss };
  } finally {
    await session.release();
  }
}

/** The {@link Evaluator} dagship loads from `promotion.gate.evaluator`. */
const evaluate: Evaluator = evaluateModel;
export default evaluate;
