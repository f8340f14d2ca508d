/**
 * An environment's data folder (`<workspace>/data`, or any folder a job is given), as the retrain
 * and score jobs and `npm run data` use it:
 *
 * ```text
 * <data>/reviews/batch-000001.arrow   landed review batches, one Arrow IPC file each, never rewritten
 * <data>/reviews/batch-000002.arrow   (ids sort in landing order)
 * <data>/eval/reviews.arrow           the environment's curated evaluation set (the gate's dataset "eval")
 * <data>/checkpoints/<job>.json       what each job has ingested (see ./checkpoint.ts)
 * ```
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { ReviewDataError } from "./errors.js";
import { evaluationSet } from "./evaluation.js";
import { listReviewBatches, readReviewBatch, writeReviewBatch } from "./review-files.js";
import { concatReviews, generateReviews, type Reviews } from "./reviews.js";

/** The landed batches' folder, relative to the data folder. */
export const REVIEWS_DIR = "reviews";
/** The evaluation set's folder, relative to the data folder (the gate's `dataset: eval`). */
export const EVAL_DIR = "eval";

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2024, 0, 1);
const BATCH = /^batch-(\d{6,})$/;

/**
 * Options of {@link landReviewBatch}.
 *
 * @example
 * ```ts
 * const opts: LandOptions = { rows: 5000, drift: 0.3 };
 * ```
 */
export interface LandOptions {
  /** Number of reviews (1..10,000,000). */
  rows: number;
  /** 0..1: how far the batch drifts from the base distribution (default 0). */
  drift?: number;
  /** The generator's seed (default: the batch's number, so a sequence of landings is reproducible). */
  seed?: number;
}

/** A landed batch. */
export interface LandedBatch {
  id: string;
  file: string;
  rows: number;
  seed: number;
  drift: number;
}

/**
 * Lands a new batch of generated reviews in `<dataDir>/reviews/` as the next `batch-NNNNNN`:
 * review ids continue after the previous batch's, timestamps one day later per batch. Written
 * atomically; a batch that appeared meanwhile (another writer) makes it take the next number.
 *
 * @example
 * ```ts
 * const { id, file } = await landReviewBatch(".dagship/dev/data", { rows: 20_000 }); // "batch-000001"
 * ```
 */
export async function landReviewBatch(dataDir: string, options: LandOptions): Promise<LandedBatch> {
  const { rows, drift = 0 } = options;
  if (!Number.isInteger(rows) || rows < 1 || rows > 10_000_000) throw new ReviewDataError(`rows must be an integer in 1..10,000,000, got ${rows}`);
  const dir = path.join(dataDir, REVIEWS_DIR);
  for (let tries = 0; ; tries++) {
    const batches = listReviewBatches(dir);
    const last = batches.at(-1);
    const n = batches.reduce((max, b) => Math.max(max, Number(BATCH.exec(b.id)?.[1] ?? 0)), 0) + 1;
    const firstId = last ? nextReviewId(readReviewBatch(last.file)) : 0;
    const seed = options.seed ?? n;
    const id = `batch-${String(n).padStart(6, "0")}`;
    const reviews = generateReviews({ count: rows, seed, drift, firstId, startTime: FIRST_DAY + (n - 1) * DAY_MS });
    try {
      const written = await writeReviewBatch(dir, id, reviews);
      return { id, file: written.file, rows, seed, drift };
    } catch (error) {
      if (tries < 5 && existsSync(path.join(dir, `${id}.arrow`))) continue;
      throw error;
    }
  }
}

function nextReviewId(reviews: Reviews): number {
  let max = -1;
  for (let i = 0; i < reviews.length; i++) if (reviews.reviewId[i]! > max) max = reviews.reviewId[i]!;
  return max + 1;
}

/**
 * Writes the evaluation set of environment `env` to `<dataDir>/eval/reviews.arrow` unless the
 * folder already holds one (a curated set is never replaced behind the gate's back).
 *
 * @example
 * ```ts
 * const { file, created } = await ensureEvaluationSet(".dagship/staging/data", "staging");
 * ```
 */
export async function ensureEvaluationSet(dataDir: string, env: string, options: { count?: number } = {}): Promise<{ file: string; created: boolean; rows: number }> {
  const dir = path.join(dataDir, EVAL_DIR);
  const existing = listReviewBatches(dir);
  if (existing.length > 0) return { file: existing[0]!.file, created: false, rows: readReviews(dir).length };
  const set = evaluationSet(env, options.count === undefined ? {} : { count: options.count });
  try {
    const { file } = await writeReviewBatch(dir, "reviews", set);
    return { file, created: true, rows: set.length };
  } catch (error) {
    // Another writer made it meanwhile: theirs is the same set.
    if (listReviewBatches(dir).length > 0) return { file: listReviewBatches(dir)[0]!.file, created: false, rows: set.length };
    throw error;
  }
}

/**
 * Every review of a folder of batch files (in id order), or of one batch file. A folder without
 * batches, or a path that does not exist, is a {@link ReviewDataError}.
 *
 * @example
 * ```ts
 * const evalSet = readReviews(path.join(dataDir, EVAL_DIR));
 * ```
 */
export function readReviews(folderOrFile: string): Reviews {
  let isFile: boolean;
  try {
    isFile = statSync(folderOrFile).isFile();
  } catch {
    throw new ReviewDataError(`no review data at ${folderOrFile}`);
  }
  if (isFile) return readReviewBatch(folderOrFile);
  const batches = listReviewBatches(folderOrFile);
  if (batches.length === 0) throw new ReviewDataError(`${folderOrFile} holds no review batch files (*.arrow)`);
  return batches.length === 1 ? readReviewBatch(batches[0]!.file) : concatReviews(batches.map((b) => readReviewBatch(b.file)));
}
