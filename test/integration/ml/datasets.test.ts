/**
 * The data folder the ML jobs share: landing batches (sequential ids, continuing review ids),
 * curated evaluation sets that are never replaced, trigger-once checkpoints, and the Arrow
 * tables that carry features and ONNX bytes between tasks (through real IPC files).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { tableFromIPC } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { checkpointFile, CheckpointError, commitCheckpoint, readCheckpoint } from "../../../jobs/lib/checkpoint.js";
import { csrFromTable, csrToTable, onnxFromTable, onnxToTable, writeArrowFile } from "../../../jobs/lib/ml/arrow-tables.js";
import { csrTake } from "../../../jobs/lib/ml/csr.js";
import { ensureEvaluationSet, landReviewBatch, readReviews } from "../../../jobs/lib/ml/datasets.js";
import { ReviewDataError } from "../../../jobs/lib/ml/errors.js";
import { featurize, featurizerConfig } from "../../../jobs/lib/ml/features.js";
import { listReviewBatches, readReviewBatch } from "../../../jobs/lib/ml/review-files.js";
import { generateReviews } from "../../../jobs/lib/ml/reviews.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const temp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "dagship-data-"));
  dirs.push(dir);
  return dir;
};

describe("data folders", () => {
  it("lands batches with sequential ids, continuing review ids and one day apart; reproducible by default", async () => {
    const data = temp();
    const a = await landReviewBatch(data, { rows: 300 });
    const b = await landReviewBatch(data, { rows: 200, drift: 0.5 });
    expect([a.id, b.id]).toEqual(["batch-000001", "batch-000002"]);
    expect([a.seed, b.seed]).toEqual([1, 2]);
    expect(listReviewBatches(path.join(data, "reviews")).map((x) => x.id)).toEqual(["batch-000001", "batch-000002"]);
    const first = readReviewBatch(a.file);
    const second = readReviewBatch(b.file);
    expect(second.reviewId[0]).toBe(first.reviewId[299]! + 1);
    const day2 = Date.UTC(2024, 0, 2);
    expect(second.timestamp.every((t) => t >= day2 && t < day2 + 86_400_000)).toBe(true);
    expect(first.timestamp.every((t) => t < day2)).toBe(true);
    const again = await landReviewBatch(temp(), { rows: 300 });
    expect(readFileSync(again.file).equals(readFileSync(a.file))).toBe(true);
    await expect(landReviewBatch(data, { rows: 0 })).rejects.toBeInstanceOf(ReviewDataError);
  });

  it("writes an environment's evaluation set once and keeps it; reads folders and files", async () => {
    const data = temp();
    const made = await ensureEvaluationSet(data, "staging", { count: 200 });
    expect(made).toMatchObject({ created: true, rows: 200 });
    const kept = await ensureEvaluationSet(data, "staging", { count: 400 });
    expect(kept).toMatchObject({ created: false, file: made.file, rows: 200 });
    const set = readReviews(path.join(data, "eval"));
    expect(set.length).toBe(200);
    expect(set.label.reduce((s, x) => s + x, 0)).toBe(100);
    expect(readReviews(made.file).length).toBe(200);
    await landReviewBatch(data, { rows: 50 });
    await landReviewBatch(data, { rows: 70 });
    expect(readReviews(path.join(data, "reviews")).length).toBe(120);
    expect(() => readReviews(path.join(data, "nope"))).toThrow(ReviewDataError);
    expect(() => readReviews(temp())).toThrow(/holds no review batch files/);
  });
});

describe("checkpoints", () => {
  it("starts empty, adds batches atomically, and refuses bad names and malformed files", () => {
    const data = temp();
    const file = checkpointFile(data, "retrain");
    expect(readCheckpoint(file)).toEqual({ batches: [], run_id: null, committed_at: null });
    commitCheckpoint(file, ["batch-000002", "batch-000001"], "r-1");
    const next = commitCheckpoint(file, ["batch-000002", "batch-000003"], "r-2");
    expect(next).toMatchObject({ batches: ["batch-000001", "batch-000002", "batch-000003"], run_id: "r-2" });
    expect(readCheckpoint(file)).toEqual(next);
    expect(() => checkpointFile(data, "../x")).toThrow(CheckpointError);
    writeFileSync(file, "{ torn");
    expect(() => readCheckpoint(file)).toThrow(/not JSON/);
  });
});

describe("Arrow tables of features and models", () => {
  it("round-trips sparse features with labels through an IPC file, sliced or not", async () => {
    const config = featurizerConfig({ hashBits: 10 });
    const reviews = generateReviews({ count: 500, seed: 3 });
    const csr = featurize(reviews.text, config);
    const rows = Int32Array.from({ length: 200 }, (_, i) => i * 2 + 1);
    const part = csrTake(csr, rows);
    const labels = Uint8Array.from(rows, (r) => reviews.label[r]!);
    const file = path.join(temp(), "train.arrow");
    await writeArrowFile(file, csrToTable(part, labels));
    const back = csrFromTable(tableFromIPC(readFileSync(file)), 2 ** 10);
    expect(back.labels).toEqual(labels);
    expect(back.csr.rows).toBe(200);
    expect([...back.csr.indptr]).toEqual([...part.indptr]);
    expect([...back.csr.indices]).toEqual([...part.indices]);
    expect([...back.csr.values]).toEqual([...part.values]);
    // Several record batches come back concatenated.
    const two = csrToTable(csrTake(csr, [0, 1]), Uint8Array.of(1, 0)).concat(csrToTable(csrTake(csr, [2]), Uint8Array.of(1)));
    const joined = csrFromTable(two, 2 ** 10);
    expect([...joined.csr.indices]).toEqual([...csrTake(csr, [0, 1, 2]).indices]);
    expect(() => csrToTable(part, labels.subarray(1))).toThrow(/199 labels for 200 rows/);
  });

  it("round-trips ONNX bytes as a one-row table, and replaces a published file atomically", async () => {
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 255);
    const file = path.join(temp(), "out", "model.arrow");
    await writeArrowFile(file, onnxToTable(Uint8Array.of(1, 2, 3)));
    await writeArrowFile(file, onnxToTable(bytes));
    expect([...onnxFromTable(tableFromIPC(readFileSync(file)))]).toEqual([...bytes]);
    expect(listReviewBatches(path.dirname(file))).toHaveLength(1); // no temporaries left beside it
  });
});
