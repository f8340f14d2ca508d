import { describe, expect, it } from "vitest";
import { compareToChampion, roundMetrics, type EvalMetrics } from "../../../jobs/lib/ml/compare.js";

const m = (auc: number, log_loss = 0.5): EvalMetrics => ({ auc, accuracy: 0.8, log_loss, rows: 100, positives: 50 });
const gate = { metric: "auc", greaterIsBetter: true, minDelta: 0.001 };

describe("compareToChampion (the retrain job's gate rule)", () => {
  it("bootstraps without a champion", () => {
    expect(compareToChampion(gate, m(0.8), null)).toMatchObject({ passed: true, bootstrap: true, challenger: 0.8, champion_metric: null, improvement: null });
  });

  it("passes when better by at least min_delta (within rounding), fails otherwise", () => {
    expect(compareToChampion(gate, m(0.901), { version: 3, ...m(0.9) })).toMatchObject({ passed: true, improvement: 0.001 });
    expect(compareToChampion(gate, m(0.9009), { version: 3, ...m(0.9) })).toMatchObject({ passed: false });
    expect(compareToChampion(gate, m(0.85), { version: 3, ...m(0.9) }).reason).toBe("auc 0.85 vs champion v3 0.9: -0.05 < min_delta 0.001");
  });

  it("lower is better when greater_is_better is false", () => {
    const g = { metric: "log_loss", greaterIsBetter: false, minDelta: 0.01 };
    expect(compareToChampion(g, m(0.9, 0.3), { version: 1, ...m(0.9, 0.35) })).toMatchObject({ passed: true, improvement: 0.05 });
    expect(compareToChampion(g, m(0.9, 0.4), { version: 1, ...m(0.9, 0.35) })).toMatchObject({ passed: false });
  });

  it("fails on a metric the evaluation does not produce", () => {
    expect(compareToChampion({ ...gate, metric: "f1" }, m(0.9), null)).toMatchObject({ passed: false, reason: expect.stringMatching(/no metric "f1"/) });
  });

  it("rounds figures to 6 decimals", () => {
    expect(roundMetrics({ auc: 0.12345678, accuracy: 0.5, log_loss: 0.1111111, rows: 3, positives: 1 })).toEqual({ auc: 0.123457, accuracy: 0.5, log_loss: 0.111111, rows: 3, positives: 1 });
  });
});
