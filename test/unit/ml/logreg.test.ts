import { describe, expect, it } from "vitest";
import { TrainingError } from "../../../jobs/lib/ml/errors.js";
import { DEFAULT_FEATURIZER, featurize, Featurizer, featurizerConfig } from "../../../jobs/lib/ml/features.js";
import { predictLogit, predictProba, trainLogReg } from "../../../jobs/lib/ml/logreg.js";
import { auc, classificationMetrics } from "../../../jobs/lib/ml/metrics.js";
import { generateReviews } from "../../../jobs/lib/ml/reviews.js";

const train = generateReviews({ count: 20_000, seed: 1 });
const heldOut = generateReviews({ count: 5_000, seed: 2 });
const featurizer = new Featurizer(DEFAULT_FEATURIZER);
const X = featurizer.featurize(train.text);
const Xtest = featurizer.featurize(heldOut.text);

describe("trainLogReg", () => {
  it("learns the generator's signal: AUC > 0.85 on held-out reviews", () => {
    const { model, stats } = trainLogReg(X, train.label, { seed: 1 });
    const m = classificationMetrics(heldOut.label, predictProba(model, Xtest));
    expect(m.auc).toBeGreaterThan(0.85);
    expect(m.accuracy).toBeGreaterThan(0.8);
    expect(m.log_loss).toBeLessThan(0.45);
    expect(stats.rows).toBe(20_000);
    expect(stats.epochs).toBe(4);
    expect(stats.epochLoss).toHaveLength(4);
    expect(stats.epochLoss[3]!).toBeLessThan(stats.epochLoss[0]!);
    expect(stats.params).toEqual({ algorithm: "ftrl-proximal", penalty: "l2", l1: 0, l2: 1, epochs: 4, learningRate: 0.2, beta: 1, seed: 1, shuffle: true });
    expect(model.weights).toHaveLength(2 ** 18);
    expect(model.bias).toBe(Math.fround(model.bias));
  });

  it("is deterministic for a seed, bit for bit; another seed gives other weights", () => {
    const a = trainLogReg(X, train.label, { seed: 7, epochs: 1 }).model;
    const b = trainLogReg(X, train.label, { seed: 7, epochs: 1 }).model;
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
    expect(a.bias).toBe(b.bias);
    const c = trainLogReg(X, train.label, { seed: 8, epochs: 1 }).model;
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(c.weights.buffer))).toBe(false);
  });

  it("elastic net zeroes most weights and keeps the signal", () => {
    const l2 = trainLogReg(X, train.label, { seed: 1 });
    const en = trainLogReg(X, train.label, { seed: 1, penalty: "elasticnet", l1: 5 });
    expect(en.stats.params.l1).toBe(5);
    expect(en.stats.nonZeroWeights).toBeLessThan(l2.stats.nonZeroWeights / 20);
    let zeros = 0;
    for (const w of en.model.weights) if (w === 0) zeros++;
    expect(zeros).toBe(2 ** 18 - en.stats.nonZeroWeights);
    expect(auc(heldOut.label, predictProba(en.model, Xtest))).toBeGreaterThan(0.85);
    // The strongest words survive with the right sign.
    const cfg = DEFAULT_FEATURIZER;
    const weightOf = (word: string) => {
      const csr = featurize([word], featurizerConfig({ ...cfg, norm: "none", tf: "count" }));
      return en.model.weights[csr.indices[0]!]!;
    };
    expect(weightOf("excellent")).toBeGreaterThan(0);
    expect(weightOf("refund")).toBeLessThan(0);
  });

  it("predictLogit is bias + w·x and predictProba its sigmoid", () => {
    const { model } = trainLogReg(X, train.label, { epochs: 1 });
    const csr = featurize(["great", "", "broken refund"], DEFAULT_FEATURIZER);
    const z = predictLogit(model, csr);
    expect(z[1]).toBe(model.bias);
    let dot = model.bias;
    for (let k = csr.indptr[2]!; k < csr.indptr[3]!; k++) dot += model.weights[csr.indices[k]!]! * csr.values[k]!;
    expect(z[2]).toBeCloseTo(dot, 12);
    const p = predictProba(model, csr);
    for (let r = 0; r < 3; r++) expect(p[r]).toBeCloseTo(1 / (1 + Math.exp(-z[r]!)), 12);
    expect(p[0]).toBeGreaterThan(0.5);
    expect(p[2]).toBeLessThan(0.5);
  });

  it("rejects mismatched inputs and bad options with TrainingError", () => {
    expect(() => trainLogReg(X, train.label.subarray(1))).toThrow(/19999 labels for 20000 rows/);
    expect(() => trainLogReg(X, Uint8Array.from(train.label, (y) => y * 2))).toThrow(/labels must be 0 or 1/);
    expect(() => trainLogReg(X, train.label, { l1: 1 })).toThrow(/needs penalty "elasticnet"/);
    expect(() => trainLogReg(X, train.label, { epochs: 0 })).toThrow(TrainingError);
    expect(() => trainLogReg(X, train.label, { l2: -1 })).toThrow(/l2 must be a finite number ≥ 0/);
    const empty = featurize([], DEFAULT_FEATURIZER);
    expect(() => trainLogReg(empty, new Uint8Array(0))).toThrow(/no rows/);
    const bad = { ...featurize(["x"], DEFAULT_FEATURIZER), cols: 4 };
    expect(() => trainLogReg(bad, Uint8Array.of(1))).toThrow(/outside the 4 columns/);
    const { model } = trainLogReg(featurize(["x", "y"], featurizerConfig({ hashBits: 8 })), Uint8Array.of(1, 0));
    expect(() => predictProba(model, Xtest)).toThrow(/262144 columns but the model has 256 weights/);
  });

  it("stops when its signal aborts", () => {
    const controller = new AbortController();
    controller.abort(new Error("canceled by the user"));
    expect(() => trainLogReg(X, train.label, { signal: controller.signal })).toThrow("canceled by the user");
  });

  it("reports progress per epoch", () => {
    const seen: number[] = [];
    trainLogReg(Xtest, heldOut.label, { epochs: 3, onProgress: (f) => seen.push(f) });
    expect(seen).toEqual([1 / 3, 2 / 3, 1]);
  });
});
