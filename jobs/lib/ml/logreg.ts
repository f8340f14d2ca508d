/**
 * Logistic regression on sparse rows, trained in TypeScript with FTRL-Proximal (McMahan et al.,
 * "Ad Click Prediction: a View from the Trenches", 2013): per-coordinate adaptive learning rates
 * (AdaGrad-like), L2, and L1 applied as a proximal step, so elastic net gives exact zeros. One
 * example at a time, in a seeded shuffled order each epoch: the same data, options and seed give
 * the same weights, bit for bit.
 *
 * Regularisation strengths are FTRL's: they weigh against the *sum* of the per-example losses
 * (not the mean), so the same `l2` regularises a small data set more than a large one.
 */
import { seededRandom } from "../random.js";
import type { CsrBatch } from "./csr.js";
import { TrainingError } from "./errors.js";

/**
 * A trained model: `p(y = 1 | x) = sigmoid(bias + Σ weights[j] · x_j)`. Weights and bias are
 * float32 values (the bias is kept as a number holding a float32 value), exactly what the ONNX
 * export stores.
 *
 * @example
 * ```ts
 * const { model } = trainLogReg(csr, labels);
 * model.weights.length; // 262144
 * ```
 */
export interface LogisticModel {
  readonly kind: "logistic-regression";
  readonly weights: Float32Array;
  readonly bias: number;
}

/**
 * Training options (every field optional).
 *
 * @example
 * ```ts
 * const opts: TrainOptions = { penalty: "elasticnet", l1: 2, l2: 1, epochs: 4, seed: 7 };
 * ```
 */
export interface TrainOptions {
  /** `l2` (default) or `elasticnet` (L1 + L2). */
  penalty?: "l2" | "elasticnet";
  /** L2 strength (FTRL's λ2; default 1). */
  l2?: number;
  /** L1 strength (FTRL's λ1; only with `elasticnet`, default 1 there). */
  l1?: number;
  /** Passes over the data (default 4). */
  epochs?: number;
  /** FTRL's α, the per-coordinate learning rate scale (default 0.2). */
  learningRate?: number;
  /** FTRL's β (default 1). */
  beta?: number;
  /** Seed of the per-epoch shuffle (default 0). */
  seed?: number;
  /** Shuffle the rows each epoch (default true); false visits them in order. */
  shuffle?: boolean;
  /** Called after each epoch with the fraction done and a line to log. */
  onProgress?: (fraction: number, message: string) => void;
  /** Stops training (throws the signal's reason) when aborted; checked every 16,384 rows. */
  signal?: AbortSignal;
}

/**
 * The options as used, after defaults; JSON-serialisable (record it with the run).
 *
 * @example
 * ```ts
 * ctx.values.set("train_params", stats.params);
 * ```
 */
export interface TrainParams {
  algorithm: "ftrl-proximal";
  penalty: "l2" | "elasticnet";
  l1: number;
  l2: number;
  epochs: number;
  learningRate: number;
  beta: number;
  seed: number;
  shuffle: boolean;
}

/**
 * What training did. `epochLoss[e]` is epoch e's progressive log loss: the mean loss of each
 * example predicted *before* it was learned from (a fair running estimate).
 *
 * @example
 * ```ts
 * const { stats } = trainLogReg(csr, labels);
 * stats.rowsPerSecond; // e.g. 1.2e6
 * ```
 */
export interface TrainStats {
  rows: number;
  nnz: number;
  positives: number;
  epochs: number;
  epochLoss: number[];
  nonZeroWeights: number;
  seconds: number;
  /** rows × epochs / seconds. */
  rowsPerSecond: number;
  params: TrainParams;
}

function resolve(options: TrainOptions): TrainParams {
  const penalty = options.penalty ?? "l2";
  if (penalty !== "l2" && penalty !== "elasticnet") throw new TrainingError(`penalty must be "l2" or "elasticnet", got ${JSON.stringify(penalty)}`);
  if (penalty === "l2" && options.l1 !== undefined && options.l1 !== 0) throw new TrainingError(`l1 = ${options.l1} needs penalty "elasticnet" (penalty is "l2")`);
  const p: TrainParams = {
    algorithm: "ftrl-proximal",
    penalty,
    l1: penalty === "elasticnet" ? (options.l1 ?? 1) : 0,
    l2: options.l2 ?? 1,
    epochs: options.epochs ?? 4,
    learningRate: options.learningRate ?? 0.2,
    beta: options.beta ?? 1,
    seed: options.seed ?? 0,
    shuffle: options.shuffle ?? true,
  };
  const bad = (name: string, ok: boolean, what: string) => {
    if (!ok) throw new TrainingError(`${name} must be ${what}, got ${(p as unknown as Record<string, unknown>)[name]}`);
  };
  bad("l1", Number.isFinite(p.l1) && p.l1 >= 0, "a finite number ≥ 0");
  bad("l2", Number.isFinite(p.l2) && p.l2 >= 0, "a finite number ≥ 0");
  bad("epochs", Number.isInteger(p.epochs) && p.epochs >= 1 && p.epochs <= 1000, "an integer in 1..1000");
  bad("learningRate", Number.isFinite(p.learningRate) && p.learningRate > 0, "a finite number > 0");
  bad("beta", Number.isFinite(p.beta) && p.beta >= 0, "a finite number ≥ 0");
  bad("seed", Number.isInteger(p.seed) && p.seed >= 0 && p.seed <= 0xffffffff, "an integer in 0..2^32-1");
  return p;
}

/**
 * Trains a model on `csr` with 0/1 `labels` (one per row). Deterministic for a seed. Throws
 * {@link TrainingError} on mismatched inputs or bad options.
 *
 * @example
 * ```ts
 * const csr = featurize(reviews.text, DEFAULT_FEATURIZER);
 * const { model, stats } = trainLogReg(csr, reviews.label, { penalty: "elasticnet", l1: 1, seed: 1 });
 * ```
 */
export function trainLogReg(csr: CsrBatch, labels: ArrayLike<number>, options: TrainOptions = {}): { model: LogisticModel; stats: TrainStats } {
  const params = resolve(options);
  const { rows, cols, indptr, indices, values } = csr;
  if (labels.length !== rows) throw new TrainingError(`${labels.length} labels for ${rows} rows`);
  if (rows === 0) throw new TrainingError("no rows to train on");
  if (indptr.length !== rows + 1 || indptr[0] !== 0) throw new TrainingError(`indptr must have ${rows + 1} entries starting at 0`);
  let positives = 0;
  for (let r = 0; r < rows; r++) {
    const y = labels[r]!;
    if (y !== 0 && y !== 1) throw new TrainingError(`labels[${r}] = ${y}: labels must be 0 or 1`);
    positives += y;
  }
  const nnz = indptr[rows]!;
  for (let k = 0; k < nnz; k++) {
    const j = indices[k]!;
    if (!(j >= 0 && j < cols)) throw new TrainingError(`indices[${k}] = ${j} is outside the ${cols} columns`);
  }
  const started = performance.now();
  const { l1, l2, learningRate: alpha, beta, epochs } = params;

  // FTRL state per column j, interleaved so one cache line holds both: state[2j] = z (the
  // adjusted gradient sum), state[2j + 1] = √n (n: the sum of squared gradients).
  const state = new Float64Array(2 * cols);
  let zb = 0;
  let sqrtNb = 0;
  let maxRow = 0;
  for (let r = 0; r < rows; r++) maxRow = Math.max(maxRow, indptr[r + 1]! - indptr[r]!);
  const w = new Float64Array(maxRow);
  const order = new Int32Array(rows);
  for (let r = 0; r < rows; r++) order[r] = r;
  const rand = seededRandom(params.seed);
  const epochLoss: number[] = [];

  // w_j = 0 if |z_j| ≤ λ1, else −(z_j − sign(z_j)·λ1) / ((β + √n_j)/α + λ2); the bias has no penalty.
  const invAlpha = 1 / alpha;
  const weightOf = (zj: number, sq: number): number => (zj <= l1 && zj >= -l1 ? 0 : -(zj - (zj > 0 ? l1 : -l1)) / ((beta + sq) * invAlpha + l2));
  const biasOf = (zj: number, sq: number): number => -zj / ((beta + sq) * invAlpha);
  const ys = Float64Array.from(labels as ArrayLike<number>);

  for (let e = 0; e < epochs; e++) {
    if (params.shuffle) {
      for (let i = rows - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
    }
    let loss = 0;
    for (let t = 0; t < rows; t++) {
      if ((t & 16383) === 0 && options.signal?.aborted) throw options.signal.reason ?? new TrainingError("training was aborted");
      const r = order[t]!;
      const a = indptr[r]!;
      const b = indptr[r + 1]!;
      const wb = biasOf(zb, sqrtNb);
      let dot = wb;
      for (let k = a; k < b; k++) {
        const j = 2 * indices[k]!;
        const zj = state[j]!;
        const wj = zj <= l1 && zj >= -l1 ? 0 : -(zj - (zj > 0 ? l1 : -l1)) / ((beta + state[j + 1]!) * invAlpha + l2);
        w[k - a] = wj;
        dot += wj * values[k]!;
      }
      const p = 1 / (1 + Math.exp(-dot));
      const y = ys[r]!;
      loss -= y === 1 ? Math.log(Math.max(p, 1e-15)) : Math.log(Math.max(1 - p, 1e-15));
      const g = p - y;
      // FTRL update: σ = (√(n + g²) − √n)/α; z += g − σ·w; n += g².
      const sqb = Math.sqrt(sqrtNb * sqrtNb + g * g);
      zb += g - (sqb - sqrtNb) * invAlpha * wb;
      sqrtNb = sqb;
      for (let k = a; k < b; k++) {
        const j = 2 * indices[k]!;
        const gj = g * values[k]!;
        const old = state[j + 1]!;
        const sq = Math.sqrt(old * old + gj * gj);
        state[j] = state[j]! + gj - (sq - old) * invAlpha * w[k - a]!;
        state[j + 1] = sq;
      }
    }
    epochLoss.push(loss / rows);
    options.onProgress?.((e + 1) / epochs, `epoch ${e + 1}/${epochs}: progressive log loss ${(loss / rows).toFixed(5)}`);
  }

  const weights = new Float32Array(cols);
  let nonZeroWeights = 0;
  for (let j = 0; j < cols; j++) {
    weights[j] = weightOf(state[2 * j]!, state[2 * j + 1]!);
    if (weights[j] !== 0) nonZeroWeights++;
  }
  const bias = Math.fround(biasOf(zb, sqrtNb));
  const seconds = (performance.now() - started) / 1000;
  return {
    model: { kind: "logistic-regression", weights, bias },
    stats: { rows, nnz, positives, epochs, epochLoss, nonZeroWeights, seconds, rowsPerSecond: (rows * epochs) / seconds, params },
  };
}

/**
 * The log-odds `bias + w·x` of every row (float64 sums of the float32 weights and values).
 *
 * @example
 * ```ts
 * const z = predictLogit(model, csr); // Float64Array(csr.rows)
 * ```
 */
export function predictLogit(model: LogisticModel, csr: CsrBatch): Float64Array {
  const { weights, bias } = model;
  if (csr.cols !== weights.length) throw new TrainingError(`the rows have ${csr.cols} columns but the model has ${weights.length} weights (different hashBits?)`);
  const { rows, indptr, indices, values } = csr;
  const out = new Float64Array(rows);
  const base = indptr[0]!;
  for (let r = 0; r < rows; r++) {
    let dot = bias;
    for (let k = indptr[r]! - base, end = indptr[r + 1]! - base; k < end; k++) {
      const j = indices[k]!;
      if (!(j >= 0 && j < weights.length)) throw new TrainingError(`row ${r}: column ${j} is outside the model's ${weights.length} weights`);
      dot += weights[j]! * values[k]!;
    }
    out[r] = dot;
  }
  return out;
}

/**
 * P(label = 1) of every row.
 *
 * @example
 * ```ts
 * const p = predictProba(model, featurize(["love it, excellent"], config)); // Float64Array [0.97...]
 * ```
 */
export function predictProba(model: LogisticModel, csr: CsrBatch): Float64Array {
  const out = predictLogit(model, csr);
  for (let r = 0; r < out.length; r++) out[r] = 1 / (1 + Math.exp(-out[r]!));
  return out;
}
