/**
 * The hash behind feature hashing: 32-bit FNV-1a over UTF-8 bytes, started from a seeded
 * offset basis, then murmur3's `fmix32` finaliser so every output bit depends on every input
 * byte (plain FNV-1a mixes its low bits poorly, and the feature index is the low bits).
 *
 * featureHash(word, seed) = fmix32(FNV-1a32(utf8(word), basis = 0x811c9dc5 ^ (seed * 0x9e3779b1)))
 *
 * A bigram "a b" hashes as fmix32(FNV(a) · 0x9e3779b1 + FNV(b)) (32-bit arithmetic, FNV(x) the
 * unfinalised FNV-1a state of word x): the featurizer gets it without reading a byte twice.
 *
 * This definition is part of every stored model: changing it changes what a saved featurizer
 * config means. Golden values are pinned by test/unit/ml/hashing.test.ts.
 */

/** FNV-1a's 32-bit prime. */
export const FNV_PRIME = 0x01000193;
/** FNV-1a's 32-bit offset basis (the basis of seed 0). */
export const FNV_OFFSET = 0x811c9dc5;

const encoder = new TextEncoder();

/**
 * The FNV-1a state a hash with this seed starts from.
 *
 * @example
 * ```ts
 * fnvBasis(0) === 0x811c9dc5; // true
 * ```
 */
export function fnvBasis(seed: number): number {
  return (FNV_OFFSET ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
}

/**
 * Plain 32-bit FNV-1a of `bytes[start..end)` from state `basis` (unsigned). With the default
 * basis it is the standard FNV-1a: `fnv1a32(utf8("a")) === 0xe40c292c`.
 *
 * @example
 * ```ts
 * fnv1a32(new TextEncoder().encode("foobar")).toString(16); // "bf9cf968"
 * ```
 */
export function fnv1a32(bytes: Uint8Array, basis: number = FNV_OFFSET, start = 0, end = bytes.length): number {
  let h = basis | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
  return h >>> 0;
}

/**
 * murmur3's 32-bit finaliser (an avalanche bijection on uint32).
 *
 * @example
 * ```ts
 * fmix32(0) === 0; // true; fmix32(1) === 0x514e28b7
 * ```
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The feature hash of a string (hashed as UTF-8) for a seed: an unsigned 32-bit integer whose
 * low bits are the feature index and whose top bit is the sign (when sign hashing is on).
 *
 * @example
 * ```ts
 * featureHash("great", 0) & ((1 << 18) - 1); // the column of "great" in a 2^18-wide model
 * ```
 */
export function featureHash(text: string | Uint8Array, seed = 0): number {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  return fmix32(fnv1a32(bytes, fnvBasis(seed)));
}
