import { describe, expect, it } from "vitest";
import { MetricError } from "../../../jobs/lib/ml/errors.js";
import { accuracy, auc, classificationMetrics, logLoss } from "../../../jobs/lib/ml/metrics.js";

const u8 = (...x: number[]) => Uint8Array.from(x);
const f64 = (...x: number[]) => Float64Array.from(x);

/** AUC by definition: over every (positive, negative) pair, 1 if the positive scores higher, ½ on a tie. */
function pairwise(labels: Uint8Array, scores: Float64Array): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = 0; j < labels.length; j++) {
      if (labels[i] !== 1 || labels[j] !== 0) continue;
      pairs++;
      sum += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return sum / pairs;
}

describe("auc", () => {
  it("matches hand-computed values", () => {
    // Pairs (pos, neg): (0.35, 0.1) ✓, (0.35, 0.4) ✗, (0.8, 0.1) ✓, (0.8, 0.4) ✓ → 3/4.
    expect(auc(u8(0, 0, 1, 1), f64(0.1, 0.4, 0.35, 0.8))).toBe(0.75);
    expect(auc(u8(0, 1), f64(0.2, 0.9))).toBe(1);
    expect(auc(u8(1, 0), f64(0.2, 0.9))).toBe(0);
  });

  it("counts ties as one half", () => {
    expect(auc(u8(0, 1), f64(0.5, 0.5))).toBe(0.5);
    // Positives 0.5, 0.7; negatives 0.5, 0.2: (0.5, 0.5) ½, (0.5, 0.2) 1, (0.7, 0.5) 1, (0.7, 0.2) 1 → 3.5/4.
    expect(auc(u8(1, 1, 0, 0), f64(0.5, 0.7, 0.5, 0.2))).toBe(0.875);
    // Everything tied: ½.
    expect(auc(u8(1, 0, 1, 0, 0), f64(3, 3, 3, 3, 3))).toBe(0.5);
  });

  it("equals the pairwise definition on random scores with many ties", () => {
    let s = 17;
    const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
    const labels = Uint8Array.from({ length: 300 }, () => (rand() < 0.4 ? 1 : 0));
    const scores = Float64Array.from({ length: 300 }, () => Math.round(rand() * 20) / 20);
    expect(auc(labels, scores)).toBeCloseTo(pairwise(labels, scores), 12);
  });

  it("needs both classes, equal lengths and no NaN", () => {
    expect(() => auc(u8(1, 1), f64(0.2, 0.9))).toThrow(MetricError);
    expect(() => auc(u8(1, 1), f64(0.2, 0.9))).toThrow(/both classes/);
    expect(() => auc(u8(1, 0), f64(0.2))).toThrow(/2 labels but 1 scores/);
    expect(() => auc(u8(1, 0), f64(0.2, NaN))).toThrow(/NaN/);
    expect(() => auc(u8(1, 2), f64(0.2, 0.3))).toThrow(/labels must be 0 or 1/);
    expect(() => auc(u8(), f64())).toThrow(/no rows/);
  });
});

describe("accuracy and log loss", () => {
  it("accuracy thresholds at 0.5 (inclusive) or the given threshold", () => {
    expect(accuracy(u8(1, 0, 1), f64(0.9, 0.2, 0.4))).toBeCloseTo(2 / 3, 12);
    expect(accuracy(u8(1, 0), f64(0.5, 0.49))).toBe(1);
    expect(accuracy(u8(1, 0, 1), f64(0.9, 0.2, 0.4), 0.3)).toBe(1);
  });

  it("log loss is the mean negative log-likelihood, clipped", () => {
    expect(logLoss(u8(1, 0), f64(0.8, 0.4))).toBeCloseTo((-Math.log(0.8) - Math.log(0.6)) / 2, 12);
    expect(logLoss(u8(1), f64(0))).toBeCloseTo(-Math.log(1e-15), 9);
    expect(logLoss(u8(0), f64(1))).toBeCloseTo(-Math.log(1e-15), 2); // 1 − (1 − 1e-15) is not exactly 1e-15 in float64
    expect(logLoss(u8(1), f64(0), 1e-3)).toBeCloseTo(-Math.log(1e-3), 12);
    expect(Number.isFinite(logLoss(u8(1, 0), f64(0, 1)))).toBe(true);
    expect(() => logLoss(u8(1), f64(0.5), 0)).toThrow(MetricError);
  });

  it("classificationMetrics bundles them", () => {
    const m = classificationMetrics(u8(0, 0, 1, 1), f64(0.1, 0.4, 0.35, 0.8));
    expect(m).toEqual({ auc: 0.75, accuracy: 0.75, log_loss: logLoss(u8(0, 0, 1, 1), f64(0.1, 0.4, 0.35, 0.8)), rows: 4, positives: 2 });
  });
});
