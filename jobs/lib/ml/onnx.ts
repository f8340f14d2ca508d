/**
 * A logistic regression model as ONNX that takes the hashed features in sparse form — a dense
 * 2^18-wide input per row would be a megabyte a row. For a batch of `rows` rows holding `nnz`
 * features in all (CSR flattened to coordinates):
 *
 * | input       | type  | shape   | holds |
 * | ----------- | ----- | ------- | ----- |
 * | `indices`   | int32 | [nnz]   | feature column of each entry |
 * | `values`    | float | [nnz]   | feature value of each entry |
 * | `row_ids`   | int32 | [nnz]   | row of each entry (0..rows-1) |
 * | `row_count` | int64 | [1]     | rows |
 *
 * Graph (opset 17): `Gather(weights, indices)` → `Mul(values)` → `ScatterElements(
 * ConstantOfShape(row_count), row_ids, reduction="add")` (each row's sum) → `Add(bias)` →
 * `Sigmoid` → output `probability` float [rows]. The featurizer config and model facts ride along
 * in the model's metadata (`dagship.featurizer`, `dagship.model`), so the .onnx file alone
 * scores raw text.
 */
import onnxProto, { type onnx as P } from "onnx-proto";
import { OnnxModelError } from "./errors.js";
import { parseFeaturizerConfig, type FeaturizerConfig } from "./features.js";
import type { LogisticModel } from "./logreg.js";

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;

/** The opset the graph is exported for (≥ 16: ScatterElements with reduction). */
export const ONNX_OPSET = 17;
/** ONNX IR version 8 (ONNX 1.10+; onnxruntime ≥ 1.10 loads it). */
export const ONNX_IR_VERSION = 8;
/** Names of the graph's inputs and output. */
export const ONNX_NAMES = Object.freeze({ indices: "indices", values: "values", rowIds: "row_ids", rowCount: "row_count", probability: "probability" });
const OPS = ["Gather", "Mul", "ConstantOfShape", "ScatterElements", "Add", "Sigmoid"];

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Options of {@link exportOnnx}.
 *
 * @example
 * ```ts
 * const opts: OnnxExportOptions = { featurizer: DEFAULT_FEATURIZER, name: "reviews", metadata: { run_id: ctx.job.run_id } };
 * ```
 */
export interface OnnxExportOptions {
  /** The config the model's features were made with (stored in the metadata). */
  featurizer: FeaturizerConfig;
  /** The graph's name (default "dagship_logistic_regression"). */
  name?: string;
  /** Extra metadata_props (string → string), e.g. lineage. */
  metadata?: Record<string, string>;
}

function valueInfo(name: string, elemType: number, dims: Array<string | number>): P.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) } } } };
}

function floatBytes(values: Float32Array): Uint8Array {
  if (!LITTLE_ENDIAN) throw new OnnxModelError("exporting ONNX needs a little-endian host (ONNX raw_data is little-endian)");
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * Serialises a model as an ONNX ModelProto (bytes for a .onnx file or `ctx.models.register`).
 * The model's width must be 2^featurizer.hashBits.
 *
 * @example
 * ```ts
 * const bytes = exportOnnx(model, { featurizer: config });
 * writeFileSync("model.onnx", bytes);
 * const session = await loadOnnxSession(bytes);
 * ```
 */
export function exportOnnx(model: LogisticModel, options: OnnxExportOptions): Uint8Array {
  const featurizer = parseFeaturizerConfig(options.featurizer);
  const features = model.weights.length;
  if (features !== 2 ** featurizer.hashBits) throw new OnnxModelError(`the model has ${features} weights but the featurizer makes 2^${featurizer.hashBits} = ${2 ** featurizer.hashBits} columns`);
  if (!Number.isFinite(model.bias)) throw new OnnxModelError(`the model's bias is ${model.bias}`);
  for (let j = 0; j < features; j++) if (!Number.isFinite(model.weights[j]!)) throw new OnnxModelError(`weights[${j}] is ${model.weights[j]}`);
  const N = ONNX_NAMES;
  const metadata: Record<string, string> = {
    ...options.metadata,
    "dagship.featurizer": JSON.stringify(featurizer),
    "dagship.model": JSON.stringify({ kind: model.kind, features, inputs: "sparse-coo-int32", version: 1 }),
  };
  const graph: P.IGraphProto = {
    name: options.name ?? "dagship_logistic_regression",
    docString: "Logistic regression over hashed sparse text features: p = sigmoid(bias + sum(weights[indices] * values) per row).",
    initializer: [
      { name: "weights", dataType: DT.FLOAT, dims: [features], rawData: floatBytes(model.weights) },
      { name: "bias", dataType: DT.FLOAT, dims: [], rawData: floatBytes(Float32Array.of(model.bias)) },
    ],
    input: [valueInfo(N.indices, DT.INT32, ["nnz"]), valueInfo(N.values, DT.FLOAT, ["nnz"]), valueInfo(N.rowIds, DT.INT32, ["nnz"]), valueInfo(N.rowCount, DT.INT64, [1])],
    output: [valueInfo(N.probability, DT.FLOAT, ["rows"])],
    node: [
      { name: "gather_weights", opType: "Gather", input: ["weights", N.indices], output: ["entry_weight"], attribute: [{ name: "axis", type: AT.INT, i: 0 }] },
      { name: "times_values", opType: "Mul", input: ["entry_weight", N.values], output: ["entry_term"] },
      { name: "zeros", opType: "ConstantOfShape", input: [N.rowCount], output: ["row_zeros"], attribute: [{ name: "value", type: AT.TENSOR, t: { dataType: DT.FLOAT, dims: [1], rawData: new Uint8Array(4) } }] },
      {
        name: "sum_per_row",
        opType: "ScatterElements",
        input: ["row_zeros", N.rowIds, "entry_term"],
        output: ["row_dot"],
        attribute: [
          { name: "axis", type: AT.INT, i: 0 },
          { name: "reduction", type: AT.STRING, s: new TextEncoder().encode("add") },
        ],
      },
      { name: "plus_bias", opType: "Add", input: ["row_dot", "bias"], output: ["logit"] },
      { name: "sigmoid", opType: "Sigmoid", input: ["logit"], output: [N.probability] },
    ],
  };
  return onnx.ModelProto.encode({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    producerName: "dagship",
    producerVersion: "1",
    docString: "A dagship review-sentiment model: feed it hashed features (see the dagship.featurizer metadata).",
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  }).finish();
}

function toNumber(x: number | { toNumber(): number } | null | undefined): number {
  return x == null ? NaN : typeof x === "number" ? x : x.toNumber();
}

function floats(t: P.ITensorProto, name: string): Float32Array {
  if (t.dataType !== DT.FLOAT) throw new OnnxModelError(`initializer "${name}" is not float (data type ${t.dataType})`);
  if (t.rawData && t.rawData.byteLength > 0) {
    if (t.rawData.byteLength % 4 !== 0) throw new OnnxModelError(`initializer "${name}" has ${t.rawData.byteLength} raw bytes, not a whole number of floats`);
    const copy = new Uint8Array(t.rawData.byteLength);
    copy.set(t.rawData);
    if (!LITTLE_ENDIAN) throw new OnnxModelError("reading ONNX raw_data needs a little-endian host");
    return new Float32Array(copy.buffer);
  }
  return Float32Array.from(t.floatData ?? []);
}

/**
 * Reads a model written by {@link exportOnnx} back: the weights, the bias, the featurizer config
 * and every metadata entry. Throws {@link OnnxModelError} when the bytes are not such a model.
 *
 * @example
 * ```ts
 * const { model, featurizer } = readOnnxModel(readFileSync("model.onnx"));
 * const p = predictProba(model, featurize(texts, featurizer));
 * ```
 */
export function readOnnxModel(bytes: Uint8Array): { model: LogisticModel; featurizer: FeaturizerConfig; metadata: Record<string, string> } {
  let proto: P.ModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new OnnxModelError(`not an ONNX model: ${(error as Error).message}`, { cause: error });
  }
  const graph = proto.graph;
  if (!graph) throw new OnnxModelError("the ONNX model has no graph");
  const ops = (graph.node ?? []).map((n) => n.opType ?? "");
  if (ops.join(",") !== OPS.join(",")) throw new OnnxModelError(`not a dagship logistic regression graph (ops ${ops.join(", ") || "none"}; expected ${OPS.join(", ")})`);
  const init = new Map((graph.initializer ?? []).map((t) => [t.name ?? "", t]));
  const w = init.get("weights");
  const b = init.get("bias");
  if (!w) throw new OnnxModelError('the ONNX model has no initializer "weights"');
  if (!b) throw new OnnxModelError('the ONNX model has no initializer "bias"');
  const weights = floats(w, "weights");
  const dims = (w.dims ?? []).map(toNumber);
  if (dims.length !== 1 || dims[0] !== weights.length) throw new OnnxModelError(`initializer "weights" has dims [${dims.join(", ")}] but ${weights.length} values`);
  const biasValues = floats(b, "bias");
  if (biasValues.length !== 1) throw new OnnxModelError(`initializer "bias" holds ${biasValues.length} values, expected 1`);
  const metadata: Record<string, string> = {};
  for (const p of proto.metadataProps ?? []) metadata[p.key ?? ""] = p.value ?? "";
  const raw = metadata["dagship.featurizer"];
  if (raw === undefined) throw new OnnxModelError('the ONNX model has no "dagship.featurizer" metadata');
  let featurizer: FeaturizerConfig;
  try {
    featurizer = parseFeaturizerConfig(JSON.parse(raw));
  } catch (error) {
    throw new OnnxModelError(`the model's "dagship.featurizer" metadata is not a valid config: ${(error as Error).message}`, { cause: error });
  }
  if (2 ** featurizer.hashBits !== weights.length) throw new OnnxModelError(`the model has ${weights.length} weights but its featurizer makes 2^${featurizer.hashBits} columns`);
  return { model: { kind: "logistic-regression", weights, bias: biasValues[0]! }, featurizer, metadata };
}
