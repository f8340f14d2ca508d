/**
 * Recording a gate decision made inside a job (a retrain's evaluate step compared the new version
 * with the champion): the same `gate` audit entry a promotion writes, with the run that decided,
 * so every decision — passed or not — is in the model's audit log, not only the alias moves.
 */
import { DagshipError } from "../errors.js";
import type { AliasRun } from "./aliases.js";
import { appendAudit } from "./audit.js";
import { ALIAS_LOCK_TIMEOUT_MS, withLock } from "./lock.js";
import type { ModelRegistry } from "./store.js";
import type { Actor, GateRecord } from "./types.js";

/** A decision as a task reports it: the record without `from` / `to`, which follow from it. */
export type GateDecisionInput = Omit<GateRecord, "from" | "to" | "alias" | "error"> & { alias?: string };

/**
 * Appends `{ event: "gate", ... }` for `version` of model `name` to the audit log, under the
 * model's alias lock (so it is ordered with the alias moves): `from` is the champion it was
 * compared with, `to` the version the alias should name after it (the challenger when it passed).
 * The version must exist (`DS2017`); a decision that is not one (a non-boolean `passed`, no
 * `reason`, a metric that is not a number or null) is `DS2030` and nothing is written.
 *
 * @example
 * ```ts
 * await recordGateDecision(registry, "reviews", { version: 3, metric: "auc", greater_is_better: true, min_delta: 0.001,
 *   dataset: "eval", challenger: 0.91, champion: 0.9, champion_version: 2, threshold: 0.901, bootstrap: false,
 *   passed: true, reason: "auc 0.91 ≥ 0.901", challenger_metrics: { auc: 0.91 }, champion_metrics: { auc: 0.9 } }, actor, { run });
 * ```
 */
export async function recordGateDecision(registry: ModelRegistry, name: string, decision: GateDecisionInput, actor: Actor, options: { run?: AliasRun } = {}): Promise<GateRecord> {
  checkDecision(decision);
  registry.meta(name, decision.version); // unknown model or version: DS2017
  const record: GateRecord = {
    ...decision,
    alias: decision.alias ?? "champion",
    from: decision.champion_version,
    to: decision.passed ? decision.version : decision.champion_version,
  };
  const paths = registry.paths(name);
  await withLock(paths.aliasesLock, ALIAS_LOCK_TIMEOUT_MS, () => {
    appendAudit(paths, { event: "gate", at: new Date().toISOString(), env: registry.env, model: name, who: actor.who, git_sha: actor.git_sha, ...record, ...(options.run ? { run: options.run } : {}) });
  });
  return record;
}

/**
 * A gate decision that cannot be recorded (DS2030): a field is missing or of the wrong type.
 * Nothing was written.
 */
export class GateDecisionError extends DagshipError {
  constructor(message: string) {
    super("DS2030", message, { hint: "pass the decision's version, metric, greater_is_better, min_delta, dataset, challenger, champion, champion_version, threshold, bootstrap, passed, reason and the metrics of both models" });
  }
}

function checkDecision(d: GateDecisionInput): void {
  const o = d as unknown as Record<string, unknown>;
  const bad = (field: string, want: string) => new GateDecisionError(`models.recordGate: "${field}" must be ${want}, got ${JSON.stringify(o[field])}`);
  const isNum = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  const numOrNull = (v: unknown) => v === null || isNum(v);
  const metrics = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every(isNum);
  if (typeof d !== "object" || d === null) throw new GateDecisionError(`models.recordGate: expected a decision object, got ${JSON.stringify(d)}`);
  if (!Number.isInteger(o.version) || (o.version as number) < 1) throw bad("version", "a version number");
  for (const f of ["metric", "dataset", "reason"]) if (typeof o[f] !== "string" || o[f] === "") throw bad(f, "a non-empty string");
  for (const f of ["greater_is_better", "bootstrap", "passed"]) if (typeof o[f] !== "boolean") throw bad(f, "true or false");
  if (!isNum(o.min_delta)) throw bad("min_delta", "a number");
  for (const f of ["challenger", "champion", "threshold"]) if (!numOrNull(o[f])) throw bad(f, "a number or null");
  if (o.champion_version !== null && (!Number.isInteger(o.champion_version) || (o.champion_version as number) < 1)) throw bad("champion_version", "a version number or null");
  if (!metrics(o.challenger_metrics)) throw bad("challenger_metrics", "a map of metric names to numbers");
  if (o.champion_metrics !== null && !metrics(o.champion_metrics)) throw bad("champion_metrics", "a map of metric names to numbers, or null");
  if (o.alias !== undefined && typeof o.alias !== "string") throw bad("alias", "an alias name");
}
