import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Table, tableFromIPC, tableToIPC } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { ReviewDataError } from "../../../jobs/lib/ml/errors.js";
import { listReviewBatches, readReviewBatch, reviewsFromTable, reviewsToTable, writeReviewBatch } from "../../../jobs/lib/ml/review-files.js";
import { concatReviews, generateReviews, reviewTexts, selectReviews, type Reviews } from "../../../jobs/lib/ml/reviews.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), "dagship-ml-"));
  dirs.push(d);
  return d;
}

function expectSame(a: Reviews, b: Reviews): void {
  expect(b.length).toBe(a.length);
  for (const k of ["reviewId", "productId", "userId", "timestamp", "rating", "label"] as const) expect(Array.from(b[k])).toEqual(Array.from(a[k]));
  expect(reviewTexts(b)).toEqual(reviewTexts(a));
}

describe("review batch files", () => {
  it("round-trips every column through an Arrow IPC file", async () => {
    const dir = path.join(tempDir(), "data", "reviews");
    const reviews = generateReviews({ count: 3000, seed: 5, firstId: 7000, startTime: Date.UTC(2031, 0, 1) });
    const written = await writeReviewBatch(dir, "batch-0001", reviews);
    expect(written.file).toBe(path.join(dir, "batch-0001.arrow"));
    expect(written.rows).toBe(3000);
    expect(readdirSync(dir)).toEqual(["batch-0001.arrow"]); // no temporary left behind
    const back = readReviewBatch(written.file);
    expectSame(reviews, back);
    const table = tableFromIPC(new Uint8Array(await import("node:fs").then((fs) => fs.readFileSync(written.file))));
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      "review_id:Int32",
      "product_id:Int32",
      "user_id:Int32",
      "timestamp:Timestamp<MILLISECOND>",
      "rating:Uint8",
      "label:Bool",
      "text:Utf8",
    ]);
    expect(table.getChild("timestamp")!.get(0)).toBe(reviews.timestamp[0]);
  });

  it("never overwrites a batch and refuses bad ids", async () => {
    const dir = tempDir();
    const reviews = generateReviews({ count: 10, seed: 1 });
    await writeReviewBatch(dir, "b1", reviews);
    await expect(writeReviewBatch(dir, "b1", generateReviews({ count: 10, seed: 2 }))).rejects.toThrow(/already exists/);
    expectSame(reviews, readReviewBatch(path.join(dir, "b1.arrow")));
    await expect(writeReviewBatch(dir, "../escape", reviews)).rejects.toThrow(ReviewDataError);
    await expect(writeReviewBatch(dir, ".hidden", reviews)).rejects.toThrow(/must be 1–128 letters/);
    expect(readdirSync(dir)).toEqual(["b1.arrow"]);
  });

  it("lists batches in id order, ignoring temporaries and other files", async () => {
    const dir = tempDir();
    expect(listReviewBatches(path.join(dir, "missing"))).toEqual([]);
    for (const id of ["2024-01-03", "2024-01-01", "2024-01-02"]) await writeReviewBatch(dir, id, generateReviews({ count: 5, seed: 1 }));
    writeFileSync(path.join(dir, ".2024-01-04.arrow.tmp-1-1"), "partial");
    writeFileSync(path.join(dir, "notes.txt"), "hi");
    expect(listReviewBatches(dir).map((b) => b.id)).toEqual(["2024-01-01", "2024-01-02", "2024-01-03"]);
  });

  it("reads tables of several record batches and sliced tables", () => {
    const a = generateReviews({ count: 50, seed: 1 });
    const b = generateReviews({ count: 30, seed: 2, firstId: 50 });
    const both = reviewsToTable(a).concat(reviewsToTable(b));
    expect(both.batches.length).toBe(2);
    expectSame(concatReviews([a, b]), reviewsFromTable(both));
    const sliced = both.slice(45, 60);
    expectSame(selectReviews(concatReviews([a, b]), Array.from({ length: 15 }, (_, i) => 45 + i)), reviewsFromTable(sliced));
    const ipc = tableFromIPC(tableToIPC(both, "file"));
    expectSame(concatReviews([a, b]), reviewsFromTable(ipc));
  });

  it("names a missing or mistyped column, and a file that is not Arrow", () => {
    const dir = tempDir();
    const t = reviewsToTable(generateReviews({ count: 5, seed: 1 }));
    const noText = t.select(["review_id", "product_id", "user_id", "timestamp", "rating", "label"]);
    expect(() => reviewsFromTable(noText)).toThrow(/no column "text"/);
    const wrong = new Table({ ...Object.fromEntries(t.schema.fields.map((f) => [f.name, t.getChild(f.name)!])), rating: t.getChild("review_id")! });
    expect(() => reviewsFromTable(wrong)).toThrow(/column "rating" is Int32, expected Uint8/);
    const junk = path.join(dir, "junk.arrow");
    writeFileSync(junk, "not arrow at all");
    expect(() => readReviewBatch(junk)).toThrow(ReviewDataError);
    expect(() => readReviewBatch(path.join(dir, "nope.arrow"))).toThrow(/cannot read review batch/);
  });
});
