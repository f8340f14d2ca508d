/**
 * The retrain job's comparison of a new model with the champion, by the rule of the promotion
 * gate (MetricThreshold style): the new model must be better on `metric` by at least
 * `min_delta` (within 1e-12 of rounding); with no champion it passes (bootstrap); a metric the
 * evaluation did not produce fails.
 */
import type { ClassificationMetrics } from "./metrics.js";

/** The figures of one model on one dataset, rounded for the run record. */
export interface EvalMetrics {
  auc: number;
  accuracy: number;
  log_loss: number;
  rows: number;
  positives: number;
}

/** What the `gate` condition and `status` see. */
export interface Comparison {
  metric: string;
  /** The new model's metric on the evaluation set (null: it has no such metric). */
  challenger: number | null;
  /** The champion's (null: no champion, or no such metric). */
  champion_metric: number | null;
  /** How much better the new model is (positive: better), null without a champion. */
  improvement: number | null;
  min_delta: number;
  bootstrap: boolean;
  passed: boolean;
  reason: string;
}

/**
 * Rounds metrics to 6 decimals (for values and the run record).
 *
 * @example
 * ```ts
 * roundMetrics(classificationMetrics(labels, p)); // { auc: 0.931234, ... }
 * ```
 */
export function roundMetrics(m: ClassificationMetrics): EvalMetrics {
  const r = (x: number) => Number(x.toFixed(6));
  return { auc: r(m.auc), accuracy: r(m.accuracy), log_loss: r(m.log_loss), rows: m.rows, positives: m.positives };
}

/**
 * Compares the new model's figures with the champion's.
 *
 * @example
 * ```ts
 * compareToChampion({ metric: "auc", greaterIsBetter: true, minDelta: 0.001 }, { auc: 0.93, ... }, { auc: 0.92, ... }).passed; // true
 * ```
 */
export function compareToChampion(
  gate: { metric: string; greaterIsBetter: boolean; minDelta: number },
  challenger: EvalMetrics,
  champion: (EvalMetrics & { version: number }) | null,
): Comparison {
  const value = (m: EvalMetrics | null) => {
    const v = m ? (m as unknown as Record<string, unknown>)[gate.metric] : undefined;
    return typeof v === "number" && Number.isFinite(v) ? v : null;
  };
  const c = value(challenger);
  const k = value(champion);
  const base = { metric: gate.metric, challenger: c, champion_metric: k, min_delta: gate.minDelta };
  if (c === null) return { ...base, improvement: null, bootstrap: champion === null, passed: false, reason: `the evaluation has no metric "${gate.metric}" (it has auc, accuracy, log_loss)` };
  if (champion === null) return { ...base, improvement: null, bootstrap: true, passed: true, reason: `no champion yet: bootstrap with ${gate.metric} ${c}` };
  if (k === null) return { ...base, improvement: null, bootstrap: false, passed: false, reason: `champion v${champion.version} has no metric "${gate.metric}"` };
  const improvement = Number((gate.greaterIsBetter ? c - k : k - c).toFixed(12));
  const passed = improvement >= gate.minDelta - 1e-12;
  const sign = improvement >= 0 ? "+" : "";
  return {
    ...base,
    improvement,
    bootstrap: false,
    passed,
    reason: `${gate.metric} ${c} vs champion v${champion.version} ${k}: ${sign}${Number(improvement.toFixed(6))} ${passed ? "≥" : "<"} min_delta ${gate.minDelta}`,
  };
}
