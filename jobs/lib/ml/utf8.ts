/**
 * A column of UTF-8 strings as Arrow lays it out: one byte buffer and `length + 1` offsets.
 * The featurizer reads text straight from this form (no JS string per row), and an Arrow
 * `Utf8` vector converts to it without copying the bytes.
 */

/**
 * Row `i` is `bytes[offsets[i] .. offsets[i + 1])`. Offsets are absolute positions in `bytes`
 * (they need not start at 0: a slice shares the buffers of the column it came from).
 *
 * @example
 * ```ts
 * const col: Utf8Column = { length: 2, offsets: Int32Array.of(0, 2, 5), bytes: new TextEncoder().encode("hiyou") };
 * utf8Get(col, 1); // "you"
 * ```
 */
export interface Utf8Column {
  readonly length: number;
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encodes JS strings into one {@link Utf8Column}.
 *
 * @example
 * ```ts
 * const col = utf8FromStrings(["Great value", "broken on arrival"]);
 * col.offsets; // Int32Array [0, 11, 28]
 * ```
 */
export function utf8FromStrings(strings: readonly string[]): Utf8Column {
  const offsets = new Int32Array(strings.length + 1);
  let capacity = 16;
  for (const s of strings) capacity += s.length * 3;
  // One pass with encodeInto into a worst-case buffer (3 bytes per UTF-16 unit), trimmed after.
  let bytes = new Uint8Array(Math.min(capacity, 0x7fffffff));
  let o = 0;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i]!;
    if (bytes.length - o < s.length * 3) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, o + s.length * 3));
      grown.set(bytes.subarray(0, o));
      bytes = grown;
    }
    o += encoder.encodeInto(s, bytes.subarray(o)).written;
    offsets[i + 1] = o;
  }
  return { length: strings.length, offsets, bytes: bytes.slice(0, o) };
}

/**
 * Decodes row `i` of a column.
 *
 * @example
 * ```ts
 * utf8Get(utf8FromStrings(["a", "bé"]), 1); // "bé"
 * ```
 */
export function utf8Get(column: Utf8Column, i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= column.length) throw new RangeError(`row ${i} is outside the column (0..${column.length - 1})`);
  return decoder.decode(column.bytes.subarray(column.offsets[i]!, column.offsets[i + 1]!));
}

/**
 * Decodes every row into a JS string.
 *
 * @example
 * ```ts
 * utf8ToStrings(utf8FromStrings(["x", "y"])); // ["x", "y"]
 * ```
 */
export function utf8ToStrings(column: Utf8Column): string[] {
  const out = new Array<string>(column.length);
  for (let i = 0; i < column.length; i++) out[i] = decoder.decode(column.bytes.subarray(column.offsets[i]!, column.offsets[i + 1]!));
  return out;
}

/**
 * Rows `start .. end` of a column, sharing its buffers (nothing is copied).
 *
 * @example
 * ```ts
 * utf8ToStrings(utf8Slice(utf8FromStrings(["a", "b", "c"]), 1, 3)); // ["b", "c"]
 * ```
 */
export function utf8Slice(column: Utf8Column, start: number, end: number): Utf8Column {
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= column.length)) {
    throw new RangeError(`cannot slice rows ${start}..${end} of a column of ${column.length} rows`);
  }
  return { length: end - start, offsets: column.offsets.subarray(start, end + 1), bytes: column.bytes };
}

/**
 * The given rows of a column, in that order, copied into a new compact column.
 *
 * @example
 * ```ts
 * utf8ToStrings(utf8Take(utf8FromStrings(["a", "b", "c"]), Int32Array.of(2, 0))); // ["c", "a"]
 * ```
 */
export function utf8Take(column: Utf8Column, rows: ArrayLike<number>): Utf8Column {
  const offsets = new Int32Array(rows.length + 1);
  let size = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    if (!(r >= 0 && r < column.length)) throw new RangeError(`row ${r} is outside the column (0..${column.length - 1})`);
    size += column.offsets[r + 1]! - column.offsets[r]!;
    offsets[k + 1] = size;
  }
  const bytes = new Uint8Array(size);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    bytes.set(column.bytes.subarray(column.offsets[r]!, column.offsets[r + 1]!), offsets[k]!);
  }
  return { length: rows.length, offsets, bytes };
}
