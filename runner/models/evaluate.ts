/**
 * The seam between the registry's promotion gate and whatever computes a model's metrics.
 *
 * The gate calls an {@link Evaluator} twice — for the challenger and for the champion — on the
 * TARGET environment's evaluation dataset, `<workspace>/data/<promotion.gate.dataset>`, and
 * compares the figures with ./gate.ts. Which evaluator runs:
 *
 * 1. `DAGSHIP_MODEL_EVALUATOR=<module>` (a JavaScript module path, relative to the working folder)
 *    whose `evaluate` (or default) export is an {@link Evaluator} — for custom models and tests;
 * 2. otherwise the built-in ONNX evaluator, ./evaluators/onnx.ts: featurize the dataset with the
 *    version's stored featurizer config, score with onnxruntime-node, compute AUC, accuracy and
 *    log loss (provided by the ML core).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, DagshipError } from "../errors.js";
import type { ResolvedVersion } from "./store.js";

/** The version to evaluate: verified, with the absolute paths of its files. */
export interface EvaluationModel extends ResolvedVersion {
  /** The environment whose registry holds it (the promotion's target). */
  env: string | null;
}

/** The evaluation dataset of the target environment. */
export interface EvaluationDataset {
  /** `promotion.gate.dataset`, e.g. `eval/prod`. */
  name: string;
  /** `<workspace>/data/<name>`: a folder (or file) the evaluator reads. */
  path: string;
  env: string | null;
  workspace: string;
}

/** Metric name → value, e.g. `{ auc: 0.91, accuracy: 0.87, log_loss: 0.31 }`. */
export type Metrics = Record<string, number>;

/**
 * Computes a model version's metrics on a dataset. Must be deterministic for the same version and
 * dataset, and must not write into the registry.
 *
 * @example
 * ```ts
 * export const evaluate: Evaluator = async (model, dataset) => {
 *   const session = await InferenceSession.create(model.onnx);
 *   // ... featurize dataset.path with model.meta.featurizer, score, compare with the labels
 *   return { auc, accuracy, log_loss };
 * };
 * ```
 */
export type Evaluator = (model: EvaluationModel, dataset: EvaluationDataset) => Promise<Metrics> | Metrics;

/** The environment variable naming a custom evaluator module. */
export const EVALUATOR_ENV = "DAGSHIP_MODEL_EVALUATOR";

/**
 * The evaluator the gate uses (see the order above). A module that cannot be loaded or exports
 * no function is a {@link ConfigError} `DS2020` (exit 2).
 *
 * @example
 * ```ts
 * const evaluate = await loadEvaluator({ cwd: process.cwd(), processEnv: process.env });
 * ```
 */
export async function loadEvaluator(options: { cwd: string; processEnv: NodeJS.ProcessEnv }): Promise<Evaluator> {
  const custom = options.processEnv[EVALUATOR_ENV];
  if (custom) {
    const file = path.resolve(options.cwd, custom);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError("DS2020", `cannot load the model evaluator ${EVALUATOR_ENV}=${custom}: ${(error as Error).message}`, { cause: error });
    }
    const fn = mod.evaluate ?? mod.default;
    if (typeof fn !== "function") throw new ConfigError("DS2020", `the model evaluator ${custom} exports no function "evaluate" (or default)`);
    return fn as Evaluator;
  }
  const { evaluate } = await import("./evaluators/onnx.js");
  if (!evaluate) {
    throw new ConfigError("DS2020", "no model evaluator is available: the built-in ONNX evaluator is not part of this build", {
      hint: `set ${EVALUATOR_ENV}=<path of a JavaScript module exporting evaluate(model, dataset)>`,
    });
  }
  return evaluate;
}

/**
 * Runs `evaluate` and checks what it returns: an object of finite numbers. A throw or anything
 * else is a {@link DagshipError} `DS2021` (exit 1).
 *
 * @example
 * ```ts
 * const metrics = await runEvaluation(evaluate, model, dataset); // { auc: 0.91 }
 * ```
 */
export async function runEvaluation(evaluate: Evaluator, model: EvaluationModel, dataset: EvaluationDataset): Promise<Metrics> {
  const what = `evaluating model "${model.meta.name}" v${model.meta.version} on dataset "${dataset.name}"`;
  let result: unknown;
  try {
    result = await evaluate(model, dataset);
  } catch (error) {
    if (error instanceof DagshipError) throw error;
    throw new DagshipError("DS2021", `${what} failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  if (result === null || typeof result !== "object" || Array.isArray(result)) throw new DagshipError("DS2021", `${what} returned ${JSON.stringify(result)}, not an object of metrics`);
  const metrics: Metrics = {};
  for (const [k, v] of Object.entries(result as Record<string, unknown>)) {
    if (typeof v !== "number" || Number.isNaN(v)) throw new DagshipError("DS2021", `${what} returned metric "${k}" = ${JSON.stringify(v)}, not a number`);
    metrics[k] = v;
  }
  return metrics;
}
