/**
 * Each environment's curated evaluation set: a fixed, seeded set of reviews that the
 * environment's champion and every challenger are scored on, so their metrics compare.
 * "Curated" here means: the seed comes from the environment's name (dev, staging and prod get
 * different sets that share nothing), the two classes are balanced exactly, every star rating is
 * present, and no text appears twice.
 */
import { ReviewDataError } from "./errors.js";
import { featureHash } from "./hashing.js";
import { generateReviews, selectReviews, type Reviews } from "./reviews.js";

/** Bump when the way evaluation sets are drawn changes (stored with evaluation figures). */
export const EVALUATION_SET_VERSION = 1;

/**
 * Options of {@link evaluationSet}.
 *
 * @example
 * ```ts
 * const opts: EvaluationSetOptions = { count: 2000, drift: 0.2 };
 * ```
 */
export interface EvaluationSetOptions {
  /** Number of reviews, even (default 4,000: half positive, half negative). */
  count?: number;
  /** Drift of the reviews the set is drawn from (default 0). */
  drift?: number;
}

/**
 * The evaluation set of environment `env` (deterministic: same name and options, same set).
 *
 * @example
 * ```ts
 * const prodEval = evaluationSet("prod");        // 4,000 reviews, 2,000 of each class
 * const devEval = evaluationSet("dev", { count: 500 });
 * ```
 */
export function evaluationSet(env: string, options: EvaluationSetOptions = {}): Reviews {
  const { count = 4000, drift = 0 } = options;
  if (typeof env !== "string" || env.length === 0) throw new ReviewDataError(`an evaluation set needs an environment name, got ${JSON.stringify(env)}`);
  if (!Number.isInteger(count) || count < 2 || count % 2 !== 0 || count > 1_000_000) throw new ReviewDataError(`an evaluation set's count must be an even integer in 2..1,000,000, got ${count}`);
  const seed = featureHash(`dagship evaluation set ${EVALUATION_SET_VERSION}: ${env}`);
  // Negatives are about 30% of reviews at drift 0: draw enough for count/2 of them, with margin.
  const pool = generateReviews({ count: Math.ceil(count * 2.5) + 200, seed, drift, firstId: 0 });
  const half = count / 2;
  const chosen: number[] = [];
  const taken = [0, 0];
  const stars = new Set<number>();
  const seen = new Set<string>();
  const decoder = new TextDecoder();
  for (let i = 0; i < pool.length && taken[0]! + taken[1]! < count; i++) {
    const y = pool.label[i]!;
    if (taken[y]! >= half) continue;
    const text = decoder.decode(pool.text.bytes.subarray(pool.text.offsets[i]!, pool.text.offsets[i + 1]!));
    if (seen.has(text)) continue;
    seen.add(text);
    taken[y]!++;
    stars.add(pool.rating[i]!);
    chosen.push(i);
  }
  if (chosen.length < count) throw new ReviewDataError(`could not draw ${count} balanced reviews for "${env}" (got ${taken[0]} negative, ${taken[1]} positive)`);
  if (count >= 100 && stars.size < 5) throw new ReviewDataError(`the evaluation set of "${env}" lacks some star ratings (has ${[...stars].sort().join(", ")})`);
  return selectReviews(pool, chosen);
}
