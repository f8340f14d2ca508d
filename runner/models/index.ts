/**
 * The model registry of an environment's workspace: immutable, verified versions with lineage,
 * aliases, an append-only audit log, checksummed export bundles and gated promotion.
 *
 * The two calls the Task SDK's `ctx.models.register` / `ctx.models.load` build on are
 * {@link registerVersion} and {@link resolveVersion}; the `dagship models` commands use the rest.
 */
import { processActor } from "./actor.js";
import { ModelRegistry, type ResolvedVersion, type VersionRef } from "./store.js";
import type { Actor, ModelVersionMeta } from "./types.js";
import { writeVersion, type NewVersion } from "./write-version.js";

export { actorOf, processActor } from "./actor.js";
export { AliasConflictError, moveAlias, type AliasMove, type AliasMoveOptions, type AliasRun } from "./aliases.js";
export { buildBundle, readBundle, type BundleManifest, type VerifiedBundle } from "./bundle.js";
export { EVALUATOR_ENV, loadEvaluator, runEvaluation, type EvaluationDataset, type EvaluationModel, type Evaluator, type Metrics } from "./evaluate.js";
export { decideGate, type GateDecision } from "./gate.js";
export { importBundle, type ImportResult } from "./import.js";
export { checkAliasName, checkFilePath, checkModelName, parseVersion } from "./names.js";
export { GateDecisionError, recordGateDecision, type GateDecisionInput } from "./record-gate.js";
export { checkGate, promote, promoteBundle, promoteInPlace, type GateContext, type PromotionResult } from "./promote.js";
export { ModelRegistry, type ResolvedVersion, type VersionRef } from "./store.js";
export type * from "./types.js";
export type { NewVersion } from "./write-version.js";

/**
 * Registers a new version of model `name` in the workspace's registry: the next number (1, 2, 3,
 * ...) under the model's lock, written whole or not at all, recorded in the audit log. `env` is the
 * environment's name (recorded in the audit entry); the actor defaults to `$GITHUB_ACTOR` or the
 * user name, with `lineage.git_sha`.
 *
 * @example
 * ```ts
 * const meta = await registerVersion("/repo/.dagship/dev", "reviews", {
 *   onnx: modelBytes,
 *   featurizer: { kind: "hashing", n_features: 262144 },
 *   metrics: { auc: 0.91, accuracy: 0.86 },
 *   params: { l2: 0.001, epochs: 5 },
 *   lineage: { env: "dev", job: "retrain", run_id, task_key: "register", deployment_id: null, git_sha, input_tables: [{ name: "features", sha256 }] },
 * });
 * meta.version; // 1 for the first version
 * ```
 */
export async function registerVersion(workspace: string, name: string, input: NewVersion, options: { env?: string; actor?: Actor } = {}): Promise<ModelVersionMeta> {
  const registry = new ModelRegistry(workspace, options.env ?? input.lineage?.env ?? null);
  const actor = options.actor ?? processActor(process.env, input.lineage?.git_sha ?? null);
  return (await writeVersion(registry, name, input, { actor })).meta;
}

/**
 * The verified version of model `name` that `{ version }` or `{ alias }` names, with the absolute
 * paths of `model.onnx` and its further files. An unknown model, version or alias is `DS2017`; a
 * version whose files differ from their checksums is `DS2018`.
 *
 * @example
 * ```ts
 * const champion = resolveVersion("/repo/.dagship/prod", "reviews", { alias: "champion" });
 * const session = await InferenceSession.create(champion.onnx);
 * champion.meta.featurizer; // the config to featurize with
 * ```
 */
export function resolveVersion(workspace: string, name: string, ref: VersionRef): ResolvedVersion {
  return new ModelRegistry(workspace).resolve(name, ref);
}
