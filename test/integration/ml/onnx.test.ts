import { describe, expect, it } from "vitest";
import onnxProto from "onnx-proto";
import { csrSlice } from "../../../jobs/lib/ml/csr.js";
import { FeaturizerConfigError, OnnxModelError } from "../../../jobs/lib/ml/errors.js";
import { DEFAULT_FEATURIZER, Featurizer, featurize, featurizerConfig } from "../../../jobs/lib/ml/features.js";
import { predictProba, trainLogReg, type LogisticModel } from "../../../jobs/lib/ml/logreg.js";
import { exportOnnx, ONNX_OPSET, readOnnxModel } from "../../../jobs/lib/ml/onnx.js";
import { loadOnnxSession, onnxFeeds, scoreTextsWithOnnx, scoreWithOnnx } from "../../../jobs/lib/ml/onnx-score.js";
import { generateReviews } from "../../../jobs/lib/ml/reviews.js";

const { onnx } = onnxProto;
const featurizer = new Featurizer(DEFAULT_FEATURIZER);
const train = generateReviews({ count: 20_000, seed: 21 });
const { model } = trainLogReg(featurizer.featurize(train.text), train.label, { seed: 3 });
const bytes = exportOnnx(model, { featurizer: DEFAULT_FEATURIZER, metadata: { run_id: "r-42" } });

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe("ONNX export", () => {
  it("scores 10,000 rows with onnxruntime-node within 1e-5 of the TypeScript model", async () => {
    const rows = generateReviews({ count: 10_000, seed: 22, drift: 0.3 });
    const csr = featurizer.featurize(rows.text);
    const session = await loadOnnxSession(bytes);
    const onnxP = await scoreWithOnnx(session, csr);
    const tsP = predictProba(model, csr);
    expect(onnxP).toHaveLength(10_000);
    expect(maxDiff(onnxP, tsP)).toBeLessThan(1e-5);
    // The probabilities are not all alike: the comparison means something.
    expect(Math.min(...onnxP)).toBeLessThan(0.1);
    expect(Math.max(...onnxP)).toBeGreaterThan(0.9);
    // Same answer in small batches, and from raw text through the stored featurizer config.
    expect(maxDiff(await scoreWithOnnx(session, csr, { batchRows: 999 }), onnxP)).toBe(0);
    expect(maxDiff(await scoreTextsWithOnnx(session, rows.text, readOnnxModel(bytes).featurizer, { batchRows: 4096 }), onnxP)).toBe(0);
    expect(maxDiff(await scoreTextsWithOnnx(session, rows.text, featurizer, { batchRows: 1500, workers: 0 }), onnxP)).toBe(0);
    expect(maxDiff(await scoreTextsWithOnnx(session, rows.text, featurizer, { batchRows: 1500, workers: 2 }), onnxP)).toBe(0);
  });

  it("scores raw texts the same whichever thread featurizes a batch, with Unicode rows and repeated terms among them", async () => {
    const base = generateReviews({ count: 6000, seed: 23 });
    const odd = ["Café crème, très bon", "東京 great", "naïve BROKEN", `${"love ".repeat(70)}it`, "😀😀 return"];
    const texts = Array.from({ length: 6000 }, (_, i) => (i % 97 === 0 ? odd[(i / 97) % odd.length]! : new TextDecoder().decode(base.text.bytes.subarray(base.text.offsets[i]!, base.text.offsets[i + 1]!))));
    const session = await loadOnnxSession(bytes);
    const want = await scoreWithOnnx(session, featurizer.featurize(texts));
    // batches of 700: the calling thread featurizes batches 0, 3, 6 (1 thread) or 0, 5 (2 threads)
    for (const workers of [0, 1, 2]) {
      for (let round = 0; round < 2; round++) expect(maxDiff(await scoreTextsWithOnnx(session, texts, featurizer, { batchRows: 700, workers }), want)).toBe(0);
    }
    // A config that is not one is refused with its typed error, whoever would featurize.
    for (const workers of [0, 1]) {
      await expect(scoreTextsWithOnnx(session, texts, { ...DEFAULT_FEATURIZER, hashBits: 40 }, { batchRows: 700, workers })).rejects.toThrow(FeaturizerConfigError);
    }
  });

  it("is a sparse opset ≥ 16 graph: no input is 2^18 wide", () => {
    const proto = onnx.ModelProto.decode(bytes);
    const opset = proto.opsetImport.find((o) => !o.domain)!;
    expect(Number(opset.version)).toBe(ONNX_OPSET);
    expect(ONNX_OPSET).toBeGreaterThanOrEqual(16);
    const graph = proto.graph!;
    const inputs = graph.input!.map((i) => `${i.name}:${i.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || String(d.dimValue)).join(",")}`);
    expect(inputs).toEqual(["indices:nnz", "values:nnz", "row_ids:nnz", "row_count:1"]);
    expect(graph.node!.map((n) => n.opType)).toEqual(["Gather", "Mul", "ConstantOfShape", "ScatterElements", "Add", "Sigmoid"]);
    const scatter = graph.node!.find((n) => n.opType === "ScatterElements")!;
    expect(new TextDecoder().decode(scatter.attribute!.find((a) => a.name === "reduction")!.s!)).toBe("add");
  });

  it("reads back the exact weights, bias, featurizer config and metadata", () => {
    const back = readOnnxModel(bytes);
    expect(back.model.bias).toBe(model.bias);
    expect(Buffer.from(back.model.weights.buffer).equals(Buffer.from(model.weights.buffer))).toBe(true);
    expect(back.featurizer).toEqual(DEFAULT_FEATURIZER);
    expect(back.metadata.run_id).toBe("r-42");
    expect(JSON.parse(back.metadata["dagship.model"]!)).toMatchObject({ kind: "logistic-regression", features: 2 ** 18 });
  });

  it("scores empty rows (the bias alone) and an empty batch", async () => {
    const session = await loadOnnxSession(bytes);
    const csr = featurize(["", "...", "great"], DEFAULT_FEATURIZER);
    const p = await scoreWithOnnx(session, csr);
    const bias = 1 / (1 + Math.exp(-model.bias));
    expect(p[0]).toBeCloseTo(bias, 6);
    expect(p[1]).toBeCloseTo(bias, 6);
    expect(await scoreWithOnnx(session, csrSlice(csr, 0, 0))).toHaveLength(0);
    const out = await session.run(await onnxFeeds(csrSlice(csr, 0, 2)));
    expect(out.probability!.dims).toEqual([2]);
  });

  it("a smaller hash space exports and scores too", async () => {
    const config = featurizerConfig({ hashBits: 12, signed: true, ngrams: 1 });
    const f = new Featurizer(config);
    const small = trainLogReg(f.featurize(train.text), train.label, { epochs: 1 }).model;
    const session = await loadOnnxSession(exportOnnx(small, { featurizer: config }));
    const csr = f.featurize(generateReviews({ count: 500, seed: 9 }).text);
    expect(maxDiff(await scoreWithOnnx(session, csr), predictProba(small, csr))).toBeLessThan(1e-5);
  });

  it("refuses mismatched or foreign models with OnnxModelError", async () => {
    const tiny: LogisticModel = { kind: "logistic-regression", weights: new Float32Array(16), bias: 0 };
    expect(() => exportOnnx(tiny, { featurizer: DEFAULT_FEATURIZER })).toThrow(/16 weights but the featurizer makes 2\^18/);
    expect(() => exportOnnx({ ...tiny, bias: NaN }, { featurizer: featurizerConfig({ hashBits: 4 }) })).toThrow(OnnxModelError);
    expect(() => readOnnxModel(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(OnnxModelError);
    const foreign = onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: "", version: 17 }], graph: { name: "g", node: [{ opType: "Identity", input: ["x"], output: ["y"] }] } }).finish();
    expect(() => readOnnxModel(foreign)).toThrow(/not a dagship logistic regression graph/);
    await expect(loadOnnxSession(new Uint8Array([9, 9, 9]))).rejects.toThrow(/onnxruntime cannot load the model/);
  });
});
