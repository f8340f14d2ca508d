/**
 * Text → sparse features: tokenize (lower case, word characters), optionally add bigrams, hash
 * every term into 2^hashBits columns (see hashing.ts), merge repeats within a row, weight
 * (count, binary or log1p) and L2-normalise. The same {@link FeaturizerConfig} object, stored
 * with a model version, reproduces the features exactly at scoring time.
 *
 * The work is done on UTF-8 bytes ({@link Utf8Column}, the layout of an Arrow string column) by
 * featurize-core.ts (the definition) or its WebAssembly kernel (featurize-kernel.ts, the same
 * output bit for bit), with no JS string per token; a row holding any non-ASCII byte goes
 * through the reference rules of tokenize.ts instead, which yield the same terms.
 */
import type { CsrBatch } from "./csr.js";
import type { CoreOutput, CoreScratch } from "./featurize-core.js";
import { featurizeFast } from "./featurize-kernel.js";
import { FeaturizerConfigError } from "./errors.js";
import { fmix32, fnv1a32, fnvBasis } from "./hashing.js";
import { utf8FromStrings, type Utf8Column } from "./utf8.js";

/**
 * Everything that determines the features of a text. JSON-serialisable; store it with the model.
 *
 * - `hashBits`: the feature space is 2^hashBits columns (2..28; 18 → 262,144).
 * - `ngrams`: 1 = words, 2 = words and pairs of adjacent words.
 * - `seed`: the hash seed (a different seed, different collisions).
 * - `signed`: sign hashing: the hash's top bit makes a term count −1 instead of +1, so collisions
 *   cancel on average instead of adding up.
 * - `tf`: a term's weight from its (signed) count c in the row: `count` c, `binary` sign(c),
 *   `log1p` sign(c)·ln(1 + |c|).
 * - `norm`: `l2` scales each row to unit length; `none` leaves it.
 *
 * @example
 * ```ts
 * const config: FeaturizerConfig = { kind: "hashing", version: 1, hashBits: 18, ngrams: 2, seed: 0, signed: false, tf: "log1p", norm: "l2" };
 * ```
 */
export interface FeaturizerConfig {
  kind: "hashing";
  version: 1;
  hashBits: number;
  ngrams: 1 | 2;
  seed: number;
  signed: boolean;
  tf: "count" | "binary" | "log1p";
  norm: "l2" | "none";
}

/**
 * The default: 2^18 columns, words and bigrams, seed 0, unsigned, log1p weights, L2 rows.
 *
 * @example
 * ```ts
 * const csr = featurize(["Love it"], DEFAULT_FEATURIZER);
 * ```
 */
export const DEFAULT_FEATURIZER: Readonly<FeaturizerConfig> = Object.freeze({ kind: "hashing", version: 1, hashBits: 18, ngrams: 2, seed: 0, signed: false, tf: "log1p", norm: "l2" });

const KEYS = new Set(Object.keys(DEFAULT_FEATURIZER));

/**
 * Checks a configuration read back from JSON (e.g. a model version's `featurizer.json`) and
 * returns it typed; missing fields are an error (a stored config must say everything).
 * Throws {@link FeaturizerConfigError} listing every problem.
 *
 * @example
 * ```ts
 * const config = parseFeaturizerConfig(JSON.parse(readFileSync("featurizer.json", "utf8")));
 * ```
 */
export function parseFeaturizerConfig(value: unknown): FeaturizerConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new FeaturizerConfigError(`a featurizer config must be an object, got ${JSON.stringify(value)}`);
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(v)) if (!KEYS.has(k)) problems.push(`unknown field "${k}" (known: ${[...KEYS].join(", ")})`);
  for (const k of KEYS) if (!(k in v)) problems.push(`missing field "${k}"`);
  if ("kind" in v && v.kind !== "hashing") problems.push(`kind must be "hashing", got ${JSON.stringify(v.kind)}`);
  if ("version" in v && v.version !== 1) problems.push(`version must be 1, got ${JSON.stringify(v.version)} (a newer dagship wrote it?)`);
  if ("hashBits" in v && !(Number.isInteger(v.hashBits) && (v.hashBits as number) >= 2 && (v.hashBits as number) <= 28)) problems.push(`hashBits must be an integer in 2..28, got ${JSON.stringify(v.hashBits)}`);
  if ("ngrams" in v && v.ngrams !== 1 && v.ngrams !== 2) problems.push(`ngrams must be 1 or 2, got ${JSON.stringify(v.ngrams)}`);
  if ("seed" in v && !(Number.isInteger(v.seed) && (v.seed as number) >= 0 && (v.seed as number) <= 0xffffffff)) problems.push(`seed must be an integer in 0..2^32-1, got ${JSON.stringify(v.seed)}`);
  if ("signed" in v && typeof v.signed !== "boolean") problems.push(`signed must be true or false, got ${JSON.stringify(v.signed)}`);
  if ("tf" in v && v.tf !== "count" && v.tf !== "binary" && v.tf !== "log1p") problems.push(`tf must be "count", "binary" or "log1p", got ${JSON.stringify(v.tf)}`);
  if ("norm" in v && v.norm !== "l2" && v.norm !== "none") problems.push(`norm must be "l2" or "none", got ${JSON.stringify(v.norm)}`);
  if (problems.length > 0) throw new FeaturizerConfigError(`invalid featurizer config: ${problems.join("; ")}`);
  return { kind: "hashing", version: 1, hashBits: v.hashBits as number, ngrams: v.ngrams as 1 | 2, seed: v.seed as number, signed: v.signed as boolean, tf: v.tf as FeaturizerConfig["tf"], norm: v.norm as FeaturizerConfig["norm"] };
}

/**
 * {@link DEFAULT_FEATURIZER} with some fields changed, checked.
 *
 * @example
 * ```ts
 * featurizerConfig({ ngrams: 1, signed: true }); // { kind: "hashing", version: 1, hashBits: 18, ngrams: 1, ..., signed: true }
 * ```
 */
export function featurizerConfig(overrides: Partial<Omit<FeaturizerConfig, "kind" | "version">> = {}): FeaturizerConfig {
  return parseFeaturizerConfig({ ...DEFAULT_FEATURIZER, ...overrides });
}

/**
 * The column and sign a term hashes to: a word, or two words joined by one space (a bigram,
 * whose hash combines the two words' FNV-1a states: fmix32(FNV(a) · 0x9e3779b1 + FNV(b))).
 *
 * @example
 * ```ts
 * termColumn("great", DEFAULT_FEATURIZER);     // { column: 3777, sign: 1 }
 * termColumn("not great", DEFAULT_FEATURIZER); // the bigram's column
 * ```
 */
export function termColumn(term: string, config: FeaturizerConfig): { column: number; sign: 1 | -1 } {
  const basis = fnvBasis(config.seed);
  const words = term.split(" ");
  if (words.length > 2 || words.includes("")) throw new FeaturizerConfigError(`a term is one word or two joined by one space, got ${JSON.stringify(term)}`);
  const raw = words.map((w) => fnv1a32(encoder.encode(w), basis));
  const f = raw.length === 1 ? fmix32(raw[0]!) : fmix32((Math.imul(raw[0]!, 0x9e3779b1) + raw[1]!) >>> 0);
  return { column: f & (2 ** config.hashBits - 1), sign: config.signed && f >>> 31 === 1 ? -1 : 1 };
}

const encoder = new TextEncoder();

/**
 * A featurizer with reusable scratch space: make one per config and call it batch after batch.
 * The work is done by the WebAssembly kernel (featurize-kernel.ts), which computes exactly what
 * {@link featurizeRows} (featurize-core.ts) computes and hands it the rows it cannot do.
 *
 * @example
 * ```ts
 * const f = new Featurizer(DEFAULT_FEATURIZER);
 * const csr = f.featurize(reviews.text); // a Utf8Column, e.g. from readReviewBatch
 * const csr2 = f.featurize(["Great!", "broken, want a refund"]);
 * const withRows = f.featurize(reviews.text, { rowIds: true }); // csr.rowIds: the row of every entry
 * ```
 */
export class Featurizer {
  readonly config: FeaturizerConfig;
  readonly cols: number;
  private readonly scratch: CoreScratch = { seen: new Int32Array(2 * 1024), hashes: new Int32Array(1024), stamp: 0 };

  constructor(config: FeaturizerConfig) {
    this.config = parseFeaturizerConfig(config);
    this.cols = 2 ** this.config.hashBits;
  }

  /** Featurizes texts (JS strings, or UTF-8 rows as in an Arrow column) into a new batch. */
  featurize(texts: readonly string[] | Utf8Column, options: { rowIds?: boolean } = {}): CsrBatch {
    const column = Array.isArray(texts) ? utf8FromStrings(texts as readonly string[]) : (texts as Utf8Column);
    const out = featurizeFast(column.bytes, column.offsets, column.length, { ...this.config, rowIds: options.rowIds === true }, this.scratch);
    return csrFromCore(out, column.length, this.cols);
  }
}

/**
 * A {@link CsrBatch} from the core's output (with `rowIds` when the core made them).
 *
 * @example
 * ```ts
 * const csr = csrFromCore(featurizeRows(bytes, offsets, rows, options, scratch), rows, 2 ** 18);
 * ```
 */
export function csrFromCore(out: CoreOutput, rows: number, cols: number): CsrBatch {
  return out.rowIds ? { rows, cols, indptr: out.indptr, indices: out.indices, values: out.values, rowIds: out.rowIds } : { rows, cols, indptr: out.indptr, indices: out.indices, values: out.values };
}

/**
 * Featurizes texts with a config in one call (allocates a {@link Featurizer}; when featurizing
 * many batches, keep one instead).
 *
 * @example
 * ```ts
 * const csr = featurize(["Great value, love it", "Broken. Refund please"], DEFAULT_FEATURIZER);
 * csr.rows; // 2
 * csr.cols; // 262144
 * ```
 */
export function featurize(texts: readonly string[] | Utf8Column, config: FeaturizerConfig): CsrBatch {
  return new Featurizer(config).featurize(texts);
}
