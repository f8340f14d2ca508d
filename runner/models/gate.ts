/**
 * The promotion gate's decision, MetricThreshold-style: one metric, a direction and a minimum
 * improvement. Pure: it compares figures that the evaluator computed on the target's dataset.
 *
 * - No champion yet: an explicit bootstrap; it passes if the challenger has the metric.
 * - A missing (or non-finite) metric, the challenger's or the champion's, fails.
 * - Otherwise the challenger passes when it is better by at least `min_delta`:
 *   `challenger - champion >= min_delta` (greater_is_better) or
 *   `champion - challenger >= min_delta` (lower is better), up to 1e-12 of rounding.
 */
import type { GateSpec } from "../spec/schema/environment.js";

/** One model's side of the comparison: its version and the metrics it scored. */
export interface GateSide {
  version: number;
  metrics: Record<string, number>;
}

/** What the gate decided, and the figures it decided on. */
export interface GateDecision {
  metric: string;
  challenger: number | null;
  champion: number | null;
  champion_version: number | null;
  /** The value the challenger had to reach (null without a champion). */
  threshold: number | null;
  bootstrap: boolean;
  passed: boolean;
  reason: string;
}

const EPSILON = 1e-12;

/**
 * Decides whether `challenger` replaces `champion` (null: there is none).
 *
 * @example
 * ```ts
 * decideGate({ metric: "auc", greater_is_better: true, min_delta: 0.01, dataset: "eval" },
 *   { version: 4, metrics: { auc: 0.91 } }, { version: 3, metrics: { auc: 0.89 } });
 * // { passed: true, challenger: 0.91, champion: 0.89, threshold: 0.9, reason: "auc 0.91 ≥ 0.9 (champion v3 0.89 + min_delta 0.01)", ... }
 * ```
 */
export function decideGate(gate: GateSpec, challenger: GateSide, champion: GateSide | null): GateDecision {
  const value = (m: Record<string, number>) => (typeof m[gate.metric] === "number" && Number.isFinite(m[gate.metric]) ? m[gate.metric]! : null);
  const mine = value(challenger.metrics);
  const base = { metric: gate.metric, challenger: mine, champion_version: champion?.version ?? null };
  if (champion === null) {
    if (mine === null) return { ...base, champion: null, threshold: null, bootstrap: true, passed: false, reason: `bootstrap refused: the challenger v${challenger.version} has no metric "${gate.metric}" (it has ${listed(challenger.metrics)})` };
    return { ...base, champion: null, threshold: null, bootstrap: true, passed: true, reason: `bootstrap: no champion yet, v${challenger.version} becomes the first (${gate.metric} ${fmt(mine)})` };
  }
  const theirs = value(champion.metrics);
  const threshold = theirs === null ? null : gate.greater_is_better ? theirs + gate.min_delta : theirs - gate.min_delta;
  const common = { ...base, champion: theirs, threshold, bootstrap: false };
  if (mine === null) return { ...common, passed: false, reason: `missing metric: the challenger v${challenger.version} has no "${gate.metric}" (it has ${listed(challenger.metrics)})` };
  if (theirs === null) return { ...common, passed: false, reason: `missing metric: the champion v${champion.version} has no "${gate.metric}" (it has ${listed(champion.metrics)}), so nothing can be compared` };
  const improvement = gate.greater_is_better ? mine - theirs : theirs - mine;
  const passed = improvement >= gate.min_delta - EPSILON;
  const op = gate.greater_is_better ? (passed ? "≥" : "<") : passed ? "≤" : ">";
  const sign = gate.greater_is_better ? "+" : "-";
  return { ...common, passed, reason: `${gate.metric} ${fmt(mine)} ${op} ${fmt(threshold!)} (champion v${champion.version} ${fmt(theirs)} ${sign} min_delta ${fmt(gate.min_delta)})` };
}

function fmt(n: number): string {
  return String(Number(n.toPrecision(10)));
}

function listed(metrics: Record<string, number>): string {
  const names = Object.keys(metrics);
  return names.length ? names.join(", ") : "no metrics";
}
