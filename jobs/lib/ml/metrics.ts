/**
 * Binary classification metrics: AUC (rank-based, ties share their average rank), accuracy at a
 * threshold, and log loss with clipped probabilities. Labels are 0/1; scores and probabilities
 * are any numeric array of the same length.
 */
import { MetricError } from "./errors.js";

function check(labels: ArrayLike<number>, scores: ArrayLike<number>, what: string): number {
  if (labels.length !== scores.length) throw new MetricError(`${what}: ${labels.length} labels but ${scores.length} scores`);
  if (labels.length === 0) throw new MetricError(`${what}: no rows`);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (y !== 0 && y !== 1) throw new MetricError(`${what}: labels[${i}] = ${y}, labels must be 0 or 1`);
    if (Number.isNaN(scores[i]!)) throw new MetricError(`${what}: scores[${i}] is NaN`);
    positives += y;
  }
  return positives;
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, a tie counting one half (Mann–Whitney U with average ranks). O(n log n). Throws
 * {@link MetricError} when a class is missing.
 *
 * @example
 * ```ts
 * auc(Uint8Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8)); // 0.75
 * auc(Uint8Array.of(0, 1), Float64Array.of(0.5, 0.5));                   // 0.5 (a tie)
 * ```
 */
export function auc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const positives = check(labels, scores, "AUC");
  const n = labels.length;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new MetricError(`AUC needs both classes (${positives} positive, ${negatives} negative rows)`);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  // Sum of the (average, 1-based) ranks of the positives.
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    const s = scores[order[i]!]!;
    let pos = 0;
    while (j < n && scores[order[j]!]! === s) pos += labels[order[j++]!]!;
    rankSum += pos * ((i + 1 + j) / 2);
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The fraction of rows whose prediction (probability ≥ `threshold` → 1) equals the label.
 *
 * @example
 * ```ts
 * accuracy(Uint8Array.of(1, 0, 1), Float64Array.of(0.9, 0.2, 0.4)); // 0.666...
 * ```
 */
export function accuracy(labels: ArrayLike<number>, probabilities: ArrayLike<number>, threshold = 0.5): number {
  check(labels, probabilities, "accuracy");
  let right = 0;
  for (let i = 0; i < labels.length; i++) if ((probabilities[i]! >= threshold ? 1 : 0) === labels[i]) right++;
  return right / labels.length;
}

/**
 * Mean negative log-likelihood, probabilities clipped to [eps, 1 − eps] so a confident mistake
 * costs a lot but not infinity.
 *
 * @example
 * ```ts
 * logLoss(Uint8Array.of(1, 0), Float64Array.of(0.8, 0.4)); // (−ln 0.8 − ln 0.6) / 2 ≈ 0.3670
 * logLoss(Uint8Array.of(1), Float64Array.of(0));            // −ln 1e-15 ≈ 34.54
 * ```
 */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>, eps = 1e-15): number {
  check(labels, probabilities, "log loss");
  if (!(eps > 0 && eps < 0.5)) throw new MetricError(`log loss: eps must be in (0, 0.5), got ${eps}`);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(probabilities[i]!, eps), 1 - eps);
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / labels.length;
}

/**
 * The figures an evaluation records, named as a promotion gate names its `metric`.
 *
 * @example
 * ```ts
 * const m: ClassificationMetrics = { auc: 0.93, accuracy: 0.87, log_loss: 0.31, rows: 4000, positives: 2000 };
 * ```
 */
export interface ClassificationMetrics {
  auc: number;
  accuracy: number;
  log_loss: number;
  rows: number;
  positives: number;
}

/**
 * AUC, accuracy (threshold 0.5) and log loss at once.
 *
 * @example
 * ```ts
 * const heldOut = classificationMetrics(test.label, predictProba(model, testCsr));
 * ctx.values.set("metrics", heldOut);
 * ```
 */
export function classificationMetrics(labels: ArrayLike<number>, probabilities: ArrayLike<number>): ClassificationMetrics {
  const positives = check(labels, probabilities, "metrics");
  return { auc: auc(labels, probabilities), accuracy: accuracy(labels, probabilities), log_loss: logLoss(labels, probabilities), rows: labels.length, positives };
}
