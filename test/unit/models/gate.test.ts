import { describe, expect, it } from "vitest";
import { decideGate } from "../../../runner/models/gate.js";

const auc = { metric: "auc", greater_is_better: true, min_delta: 0.01, dataset: "eval" };
const loss = { metric: "log_loss", greater_is_better: false, min_delta: 0.05, dataset: "eval" };

describe("promotion gate", () => {
  it("passes a challenger better by at least min_delta, and says why", () => {
    const d = decideGate(auc, { version: 4, metrics: { auc: 0.91 } }, { version: 3, metrics: { auc: 0.9 } });
    expect(d).toMatchObject({ passed: true, challenger: 0.91, champion: 0.9, champion_version: 3, bootstrap: false });
    expect(d.threshold).toBeCloseTo(0.91, 12);
    expect(d.reason).toContain("champion v3");
  });

  it("fails a challenger that is better by less than min_delta, or worse", () => {
    expect(decideGate(auc, { version: 4, metrics: { auc: 0.905 } }, { version: 3, metrics: { auc: 0.9 } }).passed).toBe(false);
    expect(decideGate(auc, { version: 4, metrics: { auc: 0.8 } }, { version: 3, metrics: { auc: 0.9 } }).passed).toBe(false);
  });

  it("reads the direction: lower is better for a loss", () => {
    expect(decideGate(loss, { version: 2, metrics: { log_loss: 0.3 } }, { version: 1, metrics: { log_loss: 0.4 } }).passed).toBe(true);
    expect(decideGate(loss, { version: 2, metrics: { log_loss: 0.38 } }, { version: 1, metrics: { log_loss: 0.4 } }).passed).toBe(false);
    expect(decideGate(loss, { version: 2, metrics: { log_loss: 0.5 } }, { version: 1, metrics: { log_loss: 0.4 } }).passed).toBe(false);
  });

  it("does not fail an exact min_delta on floating-point rounding", () => {
    const g = { ...auc, min_delta: 0.001 };
    expect(decideGate(g, { version: 2, metrics: { auc: 0.803 } }, { version: 1, metrics: { auc: 0.802 } }).passed).toBe(true);
  });

  it("bootstraps without a champion, explicitly", () => {
    const d = decideGate(auc, { version: 1, metrics: { auc: 0.6 } }, null);
    expect(d).toMatchObject({ passed: true, bootstrap: true, champion: null, champion_version: null, threshold: null });
    expect(d.reason).toMatch(/^bootstrap/);
  });

  it("fails a missing metric: the challenger's, the champion's, or a non-finite one, even at bootstrap", () => {
    expect(decideGate(auc, { version: 2, metrics: { accuracy: 0.9 } }, { version: 1, metrics: { auc: 0.5 } })).toMatchObject({ passed: false, challenger: null });
    expect(decideGate(auc, { version: 2, metrics: { auc: 0.9 } }, { version: 1, metrics: {} })).toMatchObject({ passed: false, champion: null });
    expect(decideGate(auc, { version: 2, metrics: { auc: Number.NaN } }, { version: 1, metrics: { auc: 0.5 } }).passed).toBe(false);
    const boot = decideGate(auc, { version: 1, metrics: {} }, null);
    expect(boot).toMatchObject({ passed: false, bootstrap: true });
    expect(boot.reason).toContain("no metric \"auc\"");
  });
});
