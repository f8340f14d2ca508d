/**
 * The featurizer's inner loop, as one self-contained function: it references nothing outside
 * its own body (no imports, no module constants, no inner functions), so the worker pool can
 * run the very same code from its source text (`featurizeRows.toString()`) in worker threads.
 * Keep it that way: a reference to anything outside breaks the workers (a test checks that the
 * pool and the main thread agree).
 *
 * Per row: pass 1 scans the UTF-8 bytes, lower-casing ASCII through a table and hashing each
 * word with FNV-1a as it goes (a bigram's hash combines its two words' FNV states, so no byte is
 * read twice); a row with a non-ASCII byte is tokenized by the reference rules instead (see
 * tokenize.ts). Pass 2 merges repeated columns through a small open-addressing table that stays
 * in the L1 cache. Pass 3 weighs the counts (tf) and normalises the row.
 */

/**
 * What the core needs of a FeaturizerConfig, plus whether to emit each entry's row number.
 *
 * @example
 * ```ts
 * const o: CoreOptions = { hashBits: 18, ngrams: 2, seed: 0, signed: false, tf: "log1p", norm: "l2", rowIds: true };
 * ```
 */
export interface CoreOptions {
  hashBits: number;
  ngrams: 1 | 2;
  seed: number;
  signed: boolean;
  tf: "count" | "binary" | "log1p";
  norm: "l2" | "none";
  rowIds: boolean;
}

/**
 * Buffers reused from call to call (grown as needed): the merge table, the row's term hashes,
 * and the table's row stamp.
 *
 * @example
 * ```ts
 * const scratch: CoreScratch = { seen: new Int32Array(2048), hashes: new Int32Array(1024), stamp: 0 };
 * ```
 */
export interface CoreScratch {
  seen: Int32Array;
  hashes: Int32Array;
  stamp: number;
}

/**
 * A CSR batch's arrays, plus the row of every entry when asked for.
 *
 * @example
 * ```ts
 * const { indptr, indices, values, rowIds } = featurizeRows(bytes, offsets, rows, options, scratch);
 * ```
 */
export interface CoreOutput {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  rowIds: Int32Array | null;
}

/**
 * Featurizes `rows` rows of UTF-8 text (row r is `bytes[offsets[r] .. offsets[r + 1])`).
 *
 * @example
 * ```ts
 * const col = utf8FromStrings(["Great value", "broken"]);
 * const out = featurizeRows(col.bytes, col.offsets, 2, { ...DEFAULT_FEATURIZER, rowIds: false }, { seen: new Int32Array(2048), hashes: new Int32Array(64), stamp: 0 });
 * ```
 */
export function featurizeRows(bytes: Uint8Array, offsets: Int32Array, rows: number, o: CoreOptions, scratch: CoreScratch): CoreOutput {
  const P = 0x01000193;
  const K = 0x9e3779b1 | 0;
  const basis = (0x811c9dc5 ^ Math.imul(o.seed | 0, K)) | 0;
  const bigrams = o.ngrams === 2;
  const mask = 2 ** o.hashBits - 1;
  const signed = o.signed;
  const tf = o.tf === "binary" ? 1 : o.tf === "log1p" ? 2 : 0;
  const l2 = o.norm === "l2";
  // Byte → its lower-case form if an ASCII word character, 0 if a separator, 0xff if ≥ 0x80.
  const table = new Uint8Array(256);
  for (let c = 0; c < 256; c++) table[c] = c >= 0x80 ? 0xff : (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f ? c : c >= 0x41 && c <= 0x5a ? c + 0x20 : 0;
  const log1p = new Float64Array(64);
  for (let c = 0; c < 64; c++) log1p[c] = Math.log1p(c);

  const indptr = new Int32Array(rows + 1);
  const span = offsets[rows]! - offsets[0]!;
  let indices = new Int32Array(Math.max(1024, Math.ceil(span / (bigrams ? 2.5 : 5))));
  let values = new Float32Array(indices.length);
  let ids = o.rowIds ? new Int32Array(indices.length) : null;
  let seen = scratch.seen;
  let entries = seen.length >> 1;
  let shift = 32 - Math.log2(entries);
  let hashes = scratch.hashes;
  let stamp = scratch.stamp;
  let nnz = 0;
  let decoder: InstanceType<typeof TextDecoder> | null = null;
  let encoder: InstanceType<typeof TextEncoder> | null = null;

  for (let r = 0; r < rows; r++) {
    const from = offsets[r]!;
    const to = offsets[r + 1]!;
    // Pass 1. A row of n bytes has at most n + 1 terms (a word takes a byte and a separator, and brings one bigram).
    if (hashes.length < to - from + 2) hashes = scratch.hashes = new Int32Array(2 * (to - from + 2));
    let m = 0;
    let ascii = true;
    let prev = 0; // the previous word's FNV state
    let havePrev = false;
    let i = from;
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
      let h = basis;
      for (;;) {
        h = Math.imul(h ^ c, P);
        if (++i >= to) break;
        c = table[bytes[i]!]!;
        if (c === 0 || c === 0xff) break;
      }
      if (c === 0xff && i < to) {
        ascii = false;
        break;
      }
      let f = h ^ (h >>> 16);
      f = Math.imul(f, 0x85ebca6b);
      f ^= f >>> 13;
      f = Math.imul(f, 0xc2b2ae35);
      hashes[m++] = f ^ (f >>> 16);
      if (bigrams) {
        if (havePrev) {
          let g = (Math.imul(prev, K) + h) | 0;
          g ^= g >>> 16;
          g = Math.imul(g, 0x85ebca6b);
          g ^= g >>> 13;
          g = Math.imul(g, 0xc2b2ae35);
          hashes[m++] = g ^ (g >>> 16);
        }
        prev = h;
        havePrev = true;
      }
    }
    if (!ascii) {
      // A non-ASCII byte: the reference rules (tokenize.ts) on the decoded, lower-cased text.
      decoder ??= new TextDecoder();
      encoder ??= new TextEncoder();
      const words = decoder.decode(bytes.subarray(from, to)).toLowerCase().match(/[\p{L}\p{N}\p{M}_]+/gu) ?? [];
      if (hashes.length < 2 * words.length) hashes = scratch.hashes = new Int32Array(4 * words.length);
      m = 0;
      for (let w = 0; w < words.length; w++) {
        const b = encoder.encode(words[w]!);
        let h = basis;
        for (let k = 0; k < b.length; k++) h = Math.imul(h ^ b[k]!, P);
        let f = h ^ (h >>> 16);
        f = Math.imul(f, 0x85ebca6b);
        f ^= f >>> 13;
        f = Math.imul(f, 0xc2b2ae35);
        hashes[m++] = f ^ (f >>> 16);
        if (bigrams && w > 0) {
          let g = (Math.imul(prev, K) + h) | 0;
          g ^= g >>> 16;
          g = Math.imul(g, 0x85ebca6b);
          g ^= g >>> 13;
          g = Math.imul(g, 0xc2b2ae35);
          hashes[m++] = g ^ (g >>> 16);
        }
        prev = h;
      }
    }

    // Pass 2: merge the row's terms into columns.
    if (nnz + m > indices.length) {
      const size = Math.max(2 * indices.length, nnz + m);
      const i2 = new Int32Array(size);
      i2.set(indices.subarray(0, nnz));
      indices = i2;
      const v2 = new Float32Array(size);
      v2.set(values.subarray(0, nnz));
      values = v2;
      if (ids) {
        const r2 = new Int32Array(size);
        r2.set(ids.subarray(0, nnz));
        ids = r2;
      }
    }
    if (2 * m > entries) {
      while (2 * m > entries) entries *= 2;
      seen = scratch.seen = new Int32Array(2 * entries);
      shift = 32 - Math.log2(entries);
      stamp = 0;
    }
    if (++stamp === 0x7fffffff) {
      seen.fill(0);
      stamp = 1;
    }
    const start = nnz;
    for (let k = 0; k < m; k++) {
      const hash = hashes[k]!;
      const col = hash & mask;
      const sign = signed && hash < 0 ? -1 : 1;
      let e = Math.imul(col, K) >>> shift;
      for (;;) {
        if (seen[2 * e] !== stamp) {
          seen[2 * e] = stamp;
          seen[2 * e + 1] = nnz;
          if (ids) ids[nnz] = r;
          indices[nnz] = col;
          values[nnz++] = sign;
          break;
        }
        const slot = seen[2 * e + 1]!;
        if (indices[slot] === col) {
          values[slot] = values[slot]! + sign;
          break;
        }
        e = (e + 1) & (entries - 1);
      }
    }

    // Pass 3: term weights (counts are small integers: log1p from a table), then the row's norm.
    let sq = 0;
    if (tf === 2) {
      for (let k = start; k < nnz; k++) {
        const x = values[k]!;
        const v = x === 1 ? log1p[1]! : x > 0 && x < 64 ? log1p[x | 0]! : Math.sign(x) * Math.log1p(Math.abs(x));
        values[k] = v;
        sq += v * v;
      }
    } else if (tf === 1) {
      for (let k = start; k < nnz; k++) {
        const x = values[k]!;
        const v = x > 0 ? 1 : x < 0 ? -1 : 0;
        values[k] = v;
        sq += v * v;
      }
    } else {
      for (let k = start; k < nnz; k++) sq += values[k]! * values[k]!;
    }
    if (l2 && sq > 0) {
      const inv = 1 / Math.sqrt(sq);
      for (let k = start; k < nnz; k++) values[k] = values[k]! * inv;
    }
    indptr[r + 1] = nnz;
  }
  scratch.stamp = stamp;
  // Trim to size (the buffers were sized by a guess).
  const trim = indices.length > nnz * 1.05;
  return {
    indptr,
    indices: trim ? indices.slice(0, nnz) : indices.subarray(0, nnz),
    values: trim ? values.slice(0, nnz) : values.subarray(0, nnz),
    rowIds: ids ? (trim ? ids.slice(0, nnz) : ids.subarray(0, nnz)) : null,
  };
}
