/**
 * Text → sparse features: tokenize (lower case, word characters), optionally add bigrams, hash
 * every term into 2^hashBits columns ({@link featureHash}), merge repeats within a row, weight
 * (count, binary or log1p) and L2-normalise. The same {@link FeaturizerConfig} object, stored
 * with a model version, reproduces the features exactly at scoring time.
 *
 * The hot path reads UTF-8 bytes ({@link Utf8Column}, the layout of an Arrow string column) and
 * hashes while it scans, with no JS string per token; a row holding any non-ASCII byte goes
 * through the reference {@link tokenize} instead, which yields the same terms.
 */
import type { CsrBatch } from "./csr.js";
import { FeaturizerConfigError } from "./errors.js";
import { fmix32, fnvBasis, FNV_PRIME } from "./hashing.js";
import { terms, tokenize } from "./tokenize.js";
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
 * The column and sign a term (a word, or two words joined by one space) hashes to.
 *
 * @example
 * ```ts
 * termColumn("great", DEFAULT_FEATURIZER); // { column: <0..262143>, sign: 1 }
 * ```
 */
export function termColumn(term: string, config: FeaturizerConfig): { column: number; sign: 1 | -1 } {
  const bytes = encoder.encode(term);
  let h = fnvBasis(config.seed) | 0;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
  const f = fmix32(h >>> 0);
  return { column: f & ((1 << config.hashBits) - 1), sign: config.signed && f >>> 31 === 1 ? -1 : 1 };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const SPACE = 0x20;

/** Byte → its lower-case form if it is an ASCII word character, else 0 (a separator); ≥ 0x80 → 0xff. */
const ASCII = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  if (c >= 0x80) ASCII[c] = 0xff;
  else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f) ASCII[c] = c;
  else if (c >= 0x41 && c <= 0x5a) ASCII[c] = c + 0x20;
}

/**
 * A featurizer with reusable scratch space (two 2^hashBits integer arrays that merge repeated
 * terms within a row): make one per config and call it batch after batch.
 *
 * @example
 * ```ts
 * const f = new Featurizer(DEFAULT_FEATURIZER);
 * const csr = f.featurize(reviews.text); // a Utf8Column, e.g. from readReviewBatch
 * const csr2 = f.featurize(["Great!", "broken, want a refund"]);
 * ```
 */
export class Featurizer {
  readonly config: FeaturizerConfig;
  readonly cols: number;
  /**
   * The current row's columns, to merge repeats: a small open-addressing table (it stays in
   * the L1 cache, unlike a 2^hashBits-wide one). Entry e is live for the current row when
   * `seen[3e] === row`; then `seen[3e + 1]` is its column and `seen[3e + 2]` its slot in the row.
   */
  private seen = new Int32Array(3 * 4096);
  private row = 0;

  constructor(config: FeaturizerConfig) {
    this.config = parseFeaturizerConfig(config);
    this.cols = 2 ** this.config.hashBits;
  }

  /** Featurizes texts (JS strings, or UTF-8 rows as in an Arrow column) into a new batch. */
  featurize(texts: readonly string[] | Utf8Column): CsrBatch {
    const column = Array.isArray(texts) ? utf8FromStrings(texts as readonly string[]) : (texts as Utf8Column);
    const { length: rows, offsets, bytes } = column;
    const { ngrams, signed, tf, norm } = this.config;
    const bigrams = ngrams === 2;
    const mask = this.cols - 1;
    const basis = fnvBasis(this.config.seed) | 0;
    // Local copies: an imported binding can be a getter call per use (tsx, vitest), in the hot loop.
    const P = FNV_PRIME;
    const mix = fmix32;
    const table = ASCII;
    let seen = this.seen;
    let bits = Math.log2(seen.length / 3);
    let shift = 32 - bits;
    let tableMask = (1 << bits) - 1;
    const indptr = new Int32Array(rows + 1);
    const span = offsets[rows]! - offsets[0]!;
    // About one term per 3 bytes of review text with bigrams; grown by doubling if short.
    let indices = new Int32Array(Math.max(1024, Math.ceil(span / (bigrams ? 2.5 : 5))));
    let values = new Float32Array(indices.length);
    let nnz = 0;
    let start = 0;
    let row = this.row;

    // Adds one term's hash to the current row (merging a repeat), growing the buffers if full.
    const add = (hash: number): void => {
      const col = hash & mask;
      const sign = signed && hash >>> 31 === 1 ? -1 : 1;
      let e = Math.imul(col, 0x9e3779b1) >>> shift;
      for (;;) {
        const at = 3 * e;
        if (seen[at] !== row) {
          seen[at] = row;
          seen[at + 1] = col;
          seen[at + 2] = nnz;
          break;
        }
        if (seen[at + 1] === col) {
          values[seen[at + 2]!]! += sign;
          return;
        }
        e = (e + 1) & tableMask;
      }
      if (nnz === indices.length) {
        const i2 = new Int32Array(indices.length * 2);
        i2.set(indices);
        const v2 = new Float32Array(values.length * 2);
        v2.set(values);
        indices = i2;
        values = v2;
      }
      indices[nnz] = col;
      values[nnz++] = sign;
      // Keep the table at most half full: double it and re-enter the row's columns.
      if (2 * (nnz - start) > tableMask) {
        bits++;
        shift--;
        tableMask = (1 << bits) - 1;
        seen = this.seen = new Int32Array(3 << bits);
        for (let k = start; k < nnz; k++) {
          let f = Math.imul(indices[k]!, 0x9e3779b1) >>> shift;
          while (seen[3 * f] === row) f = (f + 1) & tableMask;
          seen[3 * f] = row;
          seen[3 * f + 1] = indices[k]!;
          seen[3 * f + 2] = k;
        }
      }
    };
    const nextRow = (): void => {
      if (++row === 0x7fffffff) {
        seen.fill(0);
        row = 1;
      }
    };

    for (let r = 0; r < rows; r++) {
      nextRow();
      start = nnz;
      const to = offsets[r + 1]!;
      // The ASCII fast path: scan bytes, hashing each token (and the bigram ending there) as it goes.
      let ascii = true;
      let prev = 0; // FNV state of "<previous token> "
      let havePrev = false;
      let i = offsets[r]!;
      while (i < to) {
        let c = table[bytes[i]!]!;
        if (c === 0) {
          i++;
          continue;
        }
        if (c === 0xff) {
          ascii = false;
          break;
        }
        let uni = basis;
        let bi = prev;
        for (;;) {
          uni = Math.imul(uni ^ c, P);
          bi = Math.imul(bi ^ c, P);
          if (++i >= to) break;
          c = table[bytes[i]!]!;
          if (c === 0 || c === 0xff) break;
        }
        if (c === 0xff && i < to) {
          ascii = false;
          break;
        }
        add(mix(uni >>> 0));
        if (bigrams) {
          if (havePrev) add(mix(bi >>> 0));
          prev = Math.imul(uni ^ SPACE, P);
          havePrev = true;
        }
      }
      if (!ascii) {
        // A non-ASCII byte: start the row again through the reference tokenizer.
        nnz = start;
        nextRow();
        for (const term of terms(tokenize(decoder.decode(bytes.subarray(offsets[r]!, to))), ngrams)) {
          const b = encoder.encode(term);
          let h = basis;
          for (let k = 0; k < b.length; k++) h = Math.imul(h ^ b[k]!, P);
          add(mix(h >>> 0));
        }
      }
      // Term weights, then the row's norm.
      let sq = 0;
      for (let k = start; k < nnz; k++) {
        const x = values[k]!;
        if (tf === "binary") values[k] = Math.sign(x);
        else if (tf === "log1p") values[k] = Math.sign(x) * Math.log1p(Math.abs(x));
        sq += values[k]! * values[k]!;
      }
      if (norm === "l2" && sq > 0) {
        const inv = 1 / Math.sqrt(sq);
        for (let k = start; k < nnz; k++) values[k] = values[k]! * inv;
      }
      indptr[r + 1] = nnz;
    }
    this.row = row;
    // Trim to size (the buffers were sized by a guess).
    return {
      rows,
      cols: this.cols,
      indptr,
      indices: indices.length > nnz * 1.05 ? indices.slice(0, nnz) : indices.subarray(0, nnz),
      values: values.length > nnz * 1.05 ? values.slice(0, nnz) : values.subarray(0, nnz),
    };
  }
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
