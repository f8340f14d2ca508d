/**
 * The built-in evaluator of the promotion gate, used when neither `DAGSHIP_MODEL_EVALUATOR` nor
 * the target's `promotion.gate.evaluator` names one (see ../evaluate.ts).
 *
 * dagship itself ships none: what a model's metrics mean depends on the model and its data, so
 * the repository names its own evaluator module (this repository's is
 * jobs/lib/ml/evaluate-model.ts: featurize with the version's stored config, score with
 * onnxruntime-node, AUC / accuracy / log loss). While `evaluate` is undefined, a promotion into
 * an environment without an evaluator is refused (DS2020) before anything is imported.
 */
import type { Evaluator } from "../evaluate.js";

/**
 * The default {@link Evaluator}, or undefined while the ML core has not provided it (then
 * `loadEvaluator` refuses a promotion before anything is imported).
 */
export const evaluate: Evaluator | undefined = undefined;
