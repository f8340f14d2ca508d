/**
 * A seeded generator of product reviews, column by column (typed arrays and one UTF-8 text
 * column: a million reviews is a few typed arrays, not a million objects).
 *
 * How a review is made: a rating (1–5) is drawn; the text has 5–24 word slots, each a
 * sentiment word with probability 0.2 (else filler); a sentiment word is positive with a
 * probability that rises with the rating (0.1 for 1 star … 0.9 for 5), so "great" also shows up
 * in bad reviews and "return" in good ones; filler is common words plus a long tail of made-up
 * ones; a sentiment slot is sometimes (30%) a negated word of the other polarity ("not great",
 * "not broken"), which only bigrams can tell apart. `label` = rating ≥ 4.
 *
 * `drift` (0..1) moves a batch away from the base distribution: ratings shift towards 1–2 stars,
 * and up to 60% of sentiment words become slang ("fire", "mid", "scam"...) unseen at drift 0.
 */
import { seededRandom } from "../random.js";
import { ReviewDataError } from "./errors.js";
import { utf8Take, utf8ToStrings, type Utf8Column } from "./utf8.js";
import { LONG_TAIL, VOCABULARY } from "./vocabulary.js";

/**
 * Reviews, one typed array per column; row `i` of every column is review `i`.
 *
 * @example
 * ```ts
 * const r = generateReviews({ count: 3, seed: 7 });
 * r.rating[0]; // 1..5
 * utf8Get(r.text, 0); // "Bought the lamp, love it really."
 * ```
 */
export interface Reviews {
  readonly length: number;
  readonly reviewId: Int32Array;
  readonly productId: Int32Array;
  readonly userId: Int32Array;
  /** Milliseconds since the Unix epoch (UTC). */
  readonly timestamp: Float64Array;
  /** 1..5 stars. */
  readonly rating: Uint8Array;
  /** 1 when rating ≥ 4, else 0. */
  readonly label: Uint8Array;
  readonly text: Utf8Column;
}

/**
 * What to generate. Only `count` and `seed` are required.
 *
 * @example
 * ```ts
 * const opts: GenerateReviewsOptions = { count: 10_000, seed: 42, drift: 0.3, firstId: 10_000, startTime: Date.UTC(2024, 5, 1) };
 * ```
 */
export interface GenerateReviewsOptions {
  /** Number of reviews (0..10,000,000). */
  count: number;
  /** The same seed (and options) gives the same reviews, byte for byte. */
  seed: number;
  /** 0 (default) .. 1: how far this batch drifts from the base distribution. */
  drift?: number;
  /** `reviewId` of the first review (default 0): give consecutive batches disjoint ranges. */
  firstId?: number;
  /** Timestamp of the first review, ms since the epoch (default 2024-01-01T00:00:00Z). */
  startTime?: number;
  /** The reviews spread over this many ms, in order (default one day). */
  spanMs?: number;
  /** Number of distinct products (default 2,000; popular ones get more reviews). */
  products?: number;
  /** Number of distinct users (default 50,000). */
  users?: number;
}

const BASE_RATINGS = [0.11, 0.08, 0.12, 0.27, 0.42];
const DRIFT_RATINGS = [0.28, 0.16, 0.16, 0.2, 0.2];
/** P(a sentiment word is positive | rating). */
const POSITIVE_GIVEN_RATING = [0, 0.1, 0.2, 0.5, 0.8, 0.9];
const SENTIMENT_SLOT = 0.2;
const NEGATION = 0.3;
/** P(a filler word comes from the long tail, not the common filler words). */
const LONG_TAIL_SHARE = 0.25;

const encoder = new TextEncoder();
const encodeAll = (words: readonly string[]) => words.map((w) => encoder.encode(w));
const WORDS = {
  positive: encodeAll(VOCABULARY.positive),
  mildPositive: encodeAll(VOCABULARY.mildPositive),
  negative: encodeAll(VOCABULARY.negative),
  mildNegative: encodeAll(VOCABULARY.mildNegative),
  driftPositive: encodeAll(VOCABULARY.driftPositive),
  driftNegative: encodeAll(VOCABULARY.driftNegative),
  neutral: encodeAll(VOCABULARY.neutral),
  longTail: encodeAll(LONG_TAIL),
};
const NOT = encoder.encode("not");

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new ReviewDataError(`${name} must be an integer in ${min}..${max}, got ${value}`);
}

/**
 * Generates `count` reviews, deterministically for a seed (about a million a second).
 *
 * @example
 * ```ts
 * const day1 = generateReviews({ count: 50_000, seed: 1 });
 * const day2 = generateReviews({ count: 50_000, seed: 2, drift: 0.5, firstId: 50_000, startTime: Date.UTC(2024, 0, 2) });
 * ```
 */
export function generateReviews(options: GenerateReviewsOptions): Reviews {
  const { count, seed, drift = 0, firstId = 0, startTime = Date.UTC(2024, 0, 1), spanMs = 86_400_000, products = 2000, users = 50_000 } = options;
  checkInt("count", count, 0, 10_000_000);
  checkInt("seed", seed, 0, 0xffffffff);
  checkInt("firstId", firstId, 0, 0x7fffffff - count);
  checkInt("products", products, 1, 0x7fffffff);
  checkInt("users", users, 1, 0x7fffffff);
  if (!(drift >= 0 && drift <= 1)) throw new ReviewDataError(`drift must be a number in 0..1, got ${drift}`);
  if (!(Number.isFinite(startTime) && Number.isFinite(spanMs) && spanMs >= 0)) throw new ReviewDataError(`startTime and spanMs must be finite (spanMs ≥ 0), got ${startTime} and ${spanMs}`);

  const rand = seededRandom(seed);
  const cumulative: number[] = [];
  let acc = 0;
  for (let s = 0; s < 5; s++) cumulative.push((acc += (1 - drift) * BASE_RATINGS[s]! + drift * DRIFT_RATINGS[s]!));
  const slang = 0.6 * drift;

  const reviewId = new Int32Array(count);
  const productId = new Int32Array(count);
  const userId = new Int32Array(count);
  const timestamp = new Float64Array(count);
  const rating = new Uint8Array(count);
  const label = new Uint8Array(count);
  const offsets = new Int32Array(count + 1);
  // About 85 bytes of text a review on average; grown by doubling if short.
  let bytes = new Uint8Array(Math.max(4096, count * 88));
  let o = 0;
  const step = count > 0 ? spanMs / count : 0;

  const put = (word: Uint8Array, first: boolean) => {
    if (!first) bytes[o++] = 0x20;
    // A byte loop: TypedArray.set costs more than copying a short word by hand.
    for (let k = 0; k < word.length; k++) bytes[o + k] = word[k]!;
    if (first) bytes[o] = word[0]! - 0x20; // capitalised (every word is lower-case ASCII)
    o += word.length;
  };
  const pick = (list: readonly Uint8Array[]) => list[Math.floor(rand() * list.length)]!;

  for (let i = 0; i < count; i++) {
    if (bytes.length - o < 1024) {
      const grown = new Uint8Array(Math.min(bytes.length * 2, 0x7fffffff));
      grown.set(bytes.subarray(0, o));
      bytes = grown;
    }
    const u = rand();
    let stars = 1;
    while (stars < 5 && u >= cumulative[stars - 1]!) stars++;
    reviewId[i] = firstId + i;
    productId[i] = 1 + Math.floor(products * rand() * rand());
    userId[i] = 1 + Math.floor(users * rand());
    timestamp[i] = Math.floor(startTime + i * step + rand() * step);
    rating[i] = stars;
    label[i] = stars >= 4 ? 1 : 0;

    const slots = 5 + Math.floor(rand() * 20);
    const pPositive = POSITIVE_GIVEN_RATING[stars]!;
    for (let s = 0; s < slots; s++) {
      const first = s === 0;
      if (rand() >= SENTIMENT_SLOT) {
        // Long-tail words are Zipf-like: a few are common, most are rare.
        if (rand() < LONG_TAIL_SHARE) put(WORDS.longTail[Math.floor(WORDS.longTail.length * rand() ** 3)]!, first);
        else put(pick(WORDS.neutral), first);
      } else {
        const positive = rand() < pPositive;
        if (slang > 0 && rand() < slang) put(pick(positive ? WORDS.driftPositive : WORDS.driftNegative), first);
        else if (rand() < NEGATION) {
          // A negated word of the other polarity: "not great" is negative, "not broken" positive.
          put(NOT, first);
          put(pick(positive ? WORDS.negative : WORDS.positive), false);
        } else {
          const strong = rand() < 0.6;
          put(pick(positive ? (strong ? WORDS.positive : WORDS.mildPositive) : strong ? WORDS.negative : WORDS.mildNegative), first);
        }
      }
      if (s < slots - 1 && rand() < 0.06) bytes[o++] = 0x2c; // ","
    }
    bytes[o++] = rand() < 0.3 ? 0x21 : 0x2e; // "!" or "."
    offsets[i + 1] = o;
  }
  return { length: count, reviewId, productId, userId, timestamp, rating, label, text: { length: count, offsets, bytes: bytes.slice(0, o) } };
}

/**
 * The given rows of `reviews`, in that order, as new compact columns.
 *
 * @example
 * ```ts
 * const positives = selectReviews(r, Int32Array.from({ length: r.length }, (_, i) => i).filter((i) => r.label[i] === 1));
 * ```
 */
export function selectReviews(reviews: Reviews, rows: ArrayLike<number>): Reviews {
  const n = rows.length;
  const out = { reviewId: new Int32Array(n), productId: new Int32Array(n), userId: new Int32Array(n), timestamp: new Float64Array(n), rating: new Uint8Array(n), label: new Uint8Array(n) };
  for (let k = 0; k < n; k++) {
    const r = rows[k]!;
    if (!(r >= 0 && r < reviews.length)) throw new RangeError(`row ${r} is outside the reviews (0..${reviews.length - 1})`);
    out.reviewId[k] = reviews.reviewId[r]!;
    out.productId[k] = reviews.productId[r]!;
    out.userId[k] = reviews.userId[r]!;
    out.timestamp[k] = reviews.timestamp[r]!;
    out.rating[k] = reviews.rating[r]!;
    out.label[k] = reviews.label[r]!;
  }
  return { length: n, ...out, text: utf8Take(reviews.text, rows) };
}

/**
 * Several review sets as one, in order (e.g. every batch ingested since the last run).
 *
 * @example
 * ```ts
 * const all = concatReviews(files.map((f) => readReviewBatch(f)));
 * ```
 */
export function concatReviews(parts: readonly Reviews[]): Reviews {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const size = parts.reduce((s, p) => s + p.text.offsets[p.length]! - p.text.offsets[0]!, 0);
  const cols = { reviewId: new Int32Array(n), productId: new Int32Array(n), userId: new Int32Array(n), timestamp: new Float64Array(n), rating: new Uint8Array(n), label: new Uint8Array(n) };
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(size);
  let row = 0;
  let o = 0;
  for (const p of parts) {
    for (const k of Object.keys(cols) as (keyof typeof cols)[]) cols[k].set(p[k], row);
    const base = p.text.offsets[0]!;
    for (let i = 1; i <= p.length; i++) offsets[row + i] = o + p.text.offsets[i]! - base;
    bytes.set(p.text.bytes.subarray(base, p.text.offsets[p.length]!), o);
    o += p.text.offsets[p.length]! - base;
    row += p.length;
  }
  return { length: n, ...cols, text: { length: n, offsets, bytes } };
}

/**
 * The review texts as JS strings (convenient for small sets; the featurizer takes `reviews.text` as is).
 *
 * @example
 * ```ts
 * reviewTexts(generateReviews({ count: 2, seed: 1 })); // ["Gift the box, great ...", "..."]
 * ```
 */
export function reviewTexts(reviews: Reviews): string[] {
  return utf8ToStrings(reviews.text);
}
