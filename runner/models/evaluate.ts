/**
 * The seam between the registry's promotion gate and whatever computes a model's metrics.
 *
 * The gate calls an {@link Evaluator} twice — for the challenger and for the champion — on the
 * TARGET environment's evaluation dataset, `<workspace>/data/<promotion.gate.dataset>`, and
 * compares the figures with ./gate.ts. Which evaluator runs:
 *
 * 1. `DAGSHIP_MODEL_EVALUATOR=<module>` (a JavaScript module path, relative to the working folder)
 *    whose `evaluate` (or default) export is an {@link Evaluator} — an override, for tests and
 *    one-off checks;
 * 2. the repository's choice: `promotion.gate.evaluator` of the target environment, a module
 *    (TypeScript or JavaScript, relative to the repository root) bundled with esbuild like a
 *    task's module (cached by content in the workspace) and imported; its default (or
 *    `evaluate`) export is the {@link Evaluator};
 * 3. otherwise the built-in evaluator of ./evaluators/onnx.ts, if this build has one.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, DagshipError } from "../errors.js";
import type { GateSpec } from "../spec/schema/environment.js";
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

/** Where {@link loadEvaluator} looks. */
export interface EvaluatorSource {
  /** The folder `DAGSHIP_MODEL_EVALUATOR` is relative to. */
  cwd: string;
  processEnv: NodeJS.ProcessEnv;
  /** The target environment's gate: its `evaluator` names the repository's evaluator module. */
  gate?: Pick<GateSpec, "evaluator">;
  /** The repository root (`gate.evaluator` is relative to it; it must stay inside). */
  root?: string;
  /** Where the bundled evaluator is cached (e.g. `<workspace>/cache/bundles`). */
  cacheDir?: string;
}

/**
 * The evaluator the gate uses (see the order above). A module that cannot be found, bundled or
 * loaded, or that exports no function, is a {@link ConfigError} `DS2020` (exit 2).
 *
 * @example
 * ```ts
 * const evaluate = await loadEvaluator({ cwd: process.cwd(), processEnv: process.env, gate: env.spec.promotion?.gate, root, cacheDir });
 * ```
 */
export async function loadEvaluator(options: EvaluatorSource): Promise<Evaluator> {
  const custom = options.processEnv[EVALUATOR_ENV];
  if (custom) return importEvaluator(pathToFileURL(path.resolve(options.cwd, custom)).href, `${EVALUATOR_ENV}=${custom}`);
  const module = options.gate?.evaluator;
  if (module && options.root) return repositoryEvaluator(module, options.root, options.cacheDir ?? path.join(options.root, ".dagship", "cache", "bundles"));
  const { evaluate } = await import("./evaluators/onnx.js");
  if (!evaluate) {
    throw new ConfigError("DS2020", "no model evaluator is available: the target's promotion.gate names no evaluator module", {
      hint: `add promotion.gate.evaluator: <module exporting a default Evaluator> to the environment file, or set ${EVALUATOR_ENV}=<JavaScript module>`,
    });
  }
  return evaluate;
}

/** Bundles the repository's evaluator module (cached by content) and imports it. */
async function repositoryEvaluator(module: string, root: string, cacheDir: string): Promise<Evaluator> {
  const label = `promotion.gate.evaluator "${module}"`;
  const file = path.resolve(root, module);
  const rel = path.relative(root, file);
  if (rel.startsWith("..") || path.isAbsolute(rel)) throw new ConfigError("DS2020", `${label} must be a path inside the repository`);
  const { existsSync } = await import("node:fs");
  if (!existsSync(file)) throw new ConfigError("DS2020", `${label} does not exist: ${file}`, { hint: "the path is relative to the repository root" });
  const [{ bundleTask }, { sdkFiles }] = await Promise.all([import("../executors/bundle.js"), import("../executors/group.js")]);
  const bundle = await bundleTask(file, root, cacheDir, sdkFiles().sdk);
  if (!bundle.ok) throw new ConfigError("DS2020", `cannot load the model evaluator: ${bundle.message}`);
  return importEvaluator(pathToFileURL(bundle.file).href, label);
}

async function importEvaluator(url: string, label: string): Promise<Evaluator> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError("DS2020", `cannot load the model evaluator ${label}: ${(error as Error).message}`, { cause: error });
  }
  const fn = mod.evaluate ?? mod.default;
  if (typeof fn !== "function") throw new ConfigError("DS2020", `the model evaluator ${label} exports no function "evaluate" (or default)`);
  return fn as Evaluator;
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
