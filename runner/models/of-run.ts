/**
 * The model versions a run registered, found by their lineage (`lineage.run_id`), each with its
 * metrics against the champion it was compared with. Shared by the GitHub job summary, the PR
 * report and the run report.
 */
import type { ModelReport } from "./model-report.js";
import { ModelRegistry } from "./store.js";

export type { GateSummary, ModelReport } from "./model-report.js";

/**
 * The model versions run `runId` registered in the workspace's registry (the last one per
 * model), each against the champion before the run: the alias move this run made (promoted),
 * else the current champion; with the gate decision the run recorded on it in the audit log.
 *
 * @example
 * ```ts
 * const [report] = modelsOfRun("r20261121T015644-7677a8", { workspace: ".dagship/dev", name: "dev" });
 * // { model: "reviews", version: 2, champion_version: 1, promoted: true, metrics: { auc: 0.89 }, ... }
 * ```
 */
export function modelsOfRun(runId: string, env: { workspace: string; name: string }): ModelReport[] {
  const registry = new ModelRegistry(env.workspace, env.name);
  const reports: ModelReport[] = [];
  for (const model of registry.models()) {
    const mine = registry.versions(model).filter((v) => registry.meta(model, v).lineage.run_id === runId);
    if (mine.length === 0) continue;
    const version = mine.at(-1)!;
    const audit = registry.audit(model);
    const move = audit.find((e) => e.event === "alias" && e.alias === "champion" && e.to === version && e.run?.run_id === runId);
    const gate = audit.findLast((e) => e.event === "gate" && e.version === version && e.run?.run_id === runId);
    const current = registry.aliases(model).champion;
    const championVersion = move && move.event === "alias" ? move.from : current !== undefined && current !== version ? current : null;
    reports.push({
      model,
      version,
      champion_version: championVersion,
      promoted: move !== undefined,
      metrics: registry.meta(model, version).metrics,
      champion_metrics: championVersion === null ? null : registry.meta(model, championVersion).metrics,
      gate: gate?.event === "gate" ? { passed: gate.passed, reason: gate.reason, metric: gate.metric, min_delta: gate.min_delta, dataset: gate.dataset } : null,
    });
  }
  return reports;
}
