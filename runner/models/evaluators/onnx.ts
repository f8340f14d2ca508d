/**
 * SEAM — the built-in evaluator of the promotion gate, for the ML core to provide.
 *
 * What it must do (see ../evaluate.ts for the types): load `model.onnx` with onnxruntime-node
 * (`InferenceSession.create(model.onnx)`), featurize the rows of `dataset.path`
 * (`<workspace>/data/<dataset>`, Arrow IPC files of labelled reviews) with the featurizer config
 * stored in `model.meta.featurizer` — the same code scoring uses — score them in batches, and
 * return `{ auc, accuracy, log_loss }` computed against the labels. It must be deterministic and
 * must not write into the registry.
 *
 * Until it is wired, `evaluate` is undefined: the gate then needs `DAGSHIP_MODEL_EVALUATOR=<module>`
 * and a promotion without one is refused (DS2020) before anything is imported.
 */
import type { Evaluator } from "../evaluate.js";

/**
 * The default {@link Evaluator}, or undefined while the ML core has not provided it (then
 * `loadEvaluator` refuses a promotion before anything is imported).
 */
export const evaluate: Evaluator | undefined = undefined;
