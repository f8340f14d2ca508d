/**
 * Promotion: a version moves into the target environment's registry only through a checksummed
 * bundle, then the TARGET's gate decides on the TARGET's evaluation dataset whether it replaces
 * the TARGET's champion. The gate runs under the model's alias lock, so concurrent promotions to
 * one target serialise; every decision (pass, fail, bootstrap, evaluation error) is appended to the
 * target's audit log before the alias moves, and the alias moves by an atomic file replacement.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { ConfigError, DagshipError } from "../errors.js";
import type { GateSpec } from "../spec/schema/environment.js";
import { writeAliases } from "./aliases.js";
import { appendAudit } from "./audit.js";
import { buildBundle, readBundle } from "./bundle.js";
import { runEvaluation, type EvaluationDataset, type Evaluator, type Metrics } from "./evaluate.js";
import { decideGate } from "./gate.js";
import { importBundle } from "./import.js";
import { ALIAS_LOCK_TIMEOUT_MS, withLock } from "./lock.js";
import type { ModelRegistry } from "./store.js";
import type { Actor, GateRecord } from "./types.js";

/** What the gate step needs: the target registry (with its env name), its gate, an evaluator, who acts. */
export interface GateContext {
  target: ModelRegistry;
  /** The target environment's `promotion.gate` (undefined: none configured, which refuses). */
  gate: GateSpec | undefined;
  evaluate: Evaluator;
  actor: Actor;
  /** The alias the gate moves; `champion` unless told. */
  alias?: string;
  lockTimeoutMs?: number;
}

/** The outcome of a promotion (the `--json` of `dagship models promote`). */
export interface PromotionResult {
  name: string;
  /** The source environment (the target itself when an existing target version was gated). */
  from: string | null;
  to: string | null;
  source_version: number;
  target_version: number;
  /** False when the target already held the bundle's version (it was not registered again). */
  imported: boolean;
  bundle_sha256: string | null;
  gate: Pick<GateRecord, "metric" | "challenger" | "champion" | "passed" | "champion_version" | "threshold" | "bootstrap" | "reason" | "dataset" | "greater_is_better" | "min_delta" | "challenger_metrics" | "champion_metrics">;
  /** Whether the alias moved to the target version. */
  promoted: boolean;
  alias: string;
  /** The version the alias names afterwards. */
  champion: number | null;
}

/**
 * The target's gate and dataset, checked before anything is imported: no gate, or a dataset that
 * is not a folder or file under `<workspace>/data/`, is a {@link ConfigError} `DS2020`.
 */
export function checkGate(ctx: Pick<GateContext, "target" | "gate">): { gate: GateSpec; dataset: EvaluationDataset } {
  const where = ctx.target.env ? `environments/${ctx.target.env}.yaml` : "the target environment";
  if (!ctx.gate) throw new ConfigError("DS2020", `${where} has no promotion gate, so nothing can be promoted into it`, { hint: "add promotion: { gate: { metric: auc, greater_is_better: true, min_delta: 0.001, dataset: eval } }" });
  const name = ctx.gate.dataset;
  const segments = name.split("/");
  if (name.includes("\0") || path.isAbsolute(name) || segments.some((s) => s === ".." || s === "" || s === ".")) throw new ConfigError("DS2020", `the gate dataset "${name}" of ${where} must be a relative path inside the workspace's data folder`);
  const datasetPath = path.join(ctx.target.workspace, "data", ...segments);
  try {
    statSync(datasetPath);
  } catch {
    throw new ConfigError("DS2020", `the evaluation dataset "${name}" of ${where} does not exist: ${datasetPath}`, { hint: "the gate evaluates on the target's own dataset; put it there first" });
  }
  return { gate: ctx.gate, dataset: { name, path: datasetPath, env: ctx.target.env, workspace: ctx.target.workspace } };
}

/**
 * Promotes `version` of model `name` from `source` into `ctx.target`: exports the bundle (reading
 * only the source version's files), verifies and imports it, then runs the target's gate.
 *
 * @example
 * ```ts
 * const r = await promote({ source: new ModelRegistry(devWs, "dev"), name: "reviews", version: 3 },
 *   { target: new ModelRegistry(stagingWs, "staging"), gate: staging.spec.promotion?.gate, evaluate, actor });
 * r.promoted; // true if champion moved
 * ```
 */
export async function promote(from: { source: ModelRegistry; name: string; version: number }, ctx: GateContext): Promise<PromotionResult> {
  checkGate(ctx);
  const { bytes, sha256 } = buildBundle(from.source, from.name, from.version);
  return promoteBundle(bytes, ctx, { expectedSha256: sha256, label: `the bundle of ${from.name} v${from.version} from ${from.source.where()}` });
}

/**
 * Verifies and imports a bundle into `ctx.target`, then runs the target's gate on the imported
 * version. A bundle that fails verification is refused (`DS2019`) with nothing changed, and so is
 * one exported from another environment than `verify.expectedEnv`, when given (`DS2031`).
 *
 * @example
 * ```ts
 * await promoteBundle(readFileSync("reviews-3.tar.gz"), ctx);
 * ```
 */
export async function promoteBundle(bytes: Uint8Array, ctx: GateContext, verify: { expectedSha256?: string; label?: string; expectedEnv?: string } = {}): Promise<PromotionResult> {
  checkGate(ctx);
  const bundle = readBundle(bytes, verify);
  if (verify.expectedEnv !== undefined && bundle.manifest.env !== verify.expectedEnv) {
    throw new DagshipError("DS2031", `${verify.label ?? "the bundle"} holds ${bundle.manifest.name} v${bundle.manifest.version} of ${bundle.manifest.env}, not of ${verify.expectedEnv}; nothing was imported`, {
      hint: `export the model from ${verify.expectedEnv}, or name the environment it comes from with --from ${bundle.manifest.env}`,
    });
  }
  const imported = await importBundle(ctx.target, bundle, ctx.actor);
  const outcome = await runGate(ctx, bundle.manifest.name, imported.meta.version);
  return { ...outcome, from: bundle.manifest.env, source_version: bundle.manifest.version, imported: imported.created, bundle_sha256: bundle.sha256 };
}

/**
 * Runs the target's gate on a version the target already holds (one imported with `import`, or
 * one trained in the target: the deploy-code mode).
 *
 * @example
 * ```ts
 * await promoteInPlace("reviews", 5, ctx);
 * ```
 */
export async function promoteInPlace(name: string, version: number, ctx: GateContext): Promise<PromotionResult> {
  checkGate(ctx);
  ctx.target.meta(name, version); // unknown model or version: DS2017 before anything else
  const outcome = await runGate(ctx, name, version);
  return { ...outcome, from: ctx.target.env, source_version: version, imported: false, bundle_sha256: null };
}

type GateOutcome = Omit<PromotionResult, "from" | "source_version" | "imported" | "bundle_sha256">;

async function runGate(ctx: GateContext, name: string, version: number): Promise<GateOutcome> {
  const { gate, dataset } = checkGate(ctx);
  const alias = ctx.alias ?? "champion";
  const { target, actor } = ctx;
  const paths = target.paths(name);
  return withLock(paths.aliasesLock, ctx.lockTimeoutMs ?? ALIAS_LOCK_TIMEOUT_MS, async () => {
    const aliases = target.aliases(name);
    const championVersion = aliases[alias] ?? null;
    const base = { name, to: target.env, target_version: version, alias };
    const gateFields = { dataset: gate.dataset, greater_is_better: gate.greater_is_better, min_delta: gate.min_delta };
    if (championVersion === version) {
      const reason = `v${version} is already the ${alias}`;
      return { ...base, gate: { ...gateFields, metric: gate.metric, challenger: null, champion: null, champion_version: version, threshold: null, bootstrap: false, passed: true, reason, challenger_metrics: {}, champion_metrics: null }, promoted: false, champion: version };
    }
    let challengerMetrics: Metrics = {};
    let championMetrics: Metrics | null = null;
    try {
      const model = (v: number) => ({ ...target.resolve(name, { version: v }), env: target.env });
      challengerMetrics = await runEvaluation(ctx.evaluate, model(version), dataset);
      if (championVersion !== null) championMetrics = await runEvaluation(ctx.evaluate, model(championVersion), dataset);
    } catch (error) {
      const message = (error as Error).message;
      const record: GateRecord = { version, alias, metric: gate.metric, ...gateFields, challenger: null, champion: null, champion_version: championVersion, threshold: null, bootstrap: championVersion === null, passed: false, from: championVersion, to: championVersion, reason: `evaluation failed: ${message}`, challenger_metrics: challengerMetrics, champion_metrics: championMetrics, error: message };
      appendAudit(paths, { event: "gate", at: new Date().toISOString(), env: target.env, model: name, who: actor.who, git_sha: actor.git_sha, ...record });
      if (error instanceof DagshipError) throw error;
      throw new DagshipError("DS2021", `evaluation failed: ${message}`, { cause: error });
    }
    const decision = decideGate(gate, { version, metrics: challengerMetrics }, championVersion === null ? null : { version: championVersion, metrics: championMetrics ?? {} });
    const to = decision.passed ? version : championVersion;
    const record: GateRecord = { version, alias, ...gateFields, ...decision, from: championVersion, to, challenger_metrics: challengerMetrics, champion_metrics: championMetrics };
    const at = new Date().toISOString();
    const who = { at, env: target.env, model: name, who: actor.who, git_sha: actor.git_sha };
    appendAudit(paths, { event: "gate", ...who, ...record });
    if (decision.passed) {
      appendAudit(paths, { event: "alias", ...who, alias, from: championVersion, to: version });
      writeAliases(target, name, aliases, alias, version);
    }
    const { from: _from, to: _to, version: _v, alias: _a, error: _e, ...reported } = record;
    return { ...base, gate: reported, promoted: decision.passed, champion: to };
  });
}
