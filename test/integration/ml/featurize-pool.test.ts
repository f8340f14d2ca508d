import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../jobs/lib/random.js";
import { FeaturizerPool, sharedFeaturizerPool } from "../../../jobs/lib/ml/featurize-pool.js";
import { DEFAULT_FEATURIZER, Featurizer, featurizerConfig } from "../../../jobs/lib/ml/features.js";
import { generateReviews } from "../../../jobs/lib/ml/reviews.js";
import { utf8FromStrings, utf8Slice } from "../../../jobs/lib/ml/utf8.js";

describe("FeaturizerPool", () => {
  it("featurizes exactly like the calling thread, ASCII and Unicode, in any order of completion", async () => {
    const rand = seededRandom(3);
    const extra = ["Café", "東京", "naïve", "İstanbul", "😀", "great", "not", "GREAT"];
    const reviews = generateReviews({ count: 3000, seed: 8 });
    const texts = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? `${extra[Math.floor(rand() * extra.length)]} ${extra[Math.floor(rand() * extra.length)]}` : new TextDecoder().decode(reviews.text.bytes.subarray(reviews.text.offsets[i]!, reviews.text.offsets[i + 1]!))));
    const column = utf8FromStrings(texts);
    for (const config of [DEFAULT_FEATURIZER, featurizerConfig({ signed: true, tf: "count", norm: "none", hashBits: 10, ngrams: 1 })]) {
      const pool = new FeaturizerPool(config, { workers: 3 });
      try {
        const parts = await Promise.all([0, 1, 2, 3, 4].map((k) => pool.featurize(utf8Slice(column, k * 600, (k + 1) * 600), { rowIds: true })));
        const f = new Featurizer(config);
        for (let k = 0; k < 5; k++) {
          const want = f.featurize(utf8Slice(column, k * 600, (k + 1) * 600), { rowIds: true });
          expect(parts[k]!.indptr).toEqual(want.indptr);
          expect(parts[k]!.indices).toEqual(want.indices);
          expect(parts[k]!.values).toEqual(want.values);
          expect(parts[k]!.rowIds).toEqual(want.rowIds);
          expect(parts[k]!.cols).toBe(2 ** config.hashBits);
        }
      } finally {
        await pool.close();
      }
    }
  });

  it("fails pending and later calls once closed, and rejects a bad size", async () => {
    const pool = new FeaturizerPool(DEFAULT_FEATURIZER, { workers: 1 });
    await pool.close();
    await expect(pool.featurize(utf8FromStrings(["x"]))).rejects.toThrow(/closed/);
    expect(() => new FeaturizerPool(DEFAULT_FEATURIZER, { workers: 0 })).toThrow(/workers must be an integer in 1..64/);
  });

  it("puts a released batch's arrays to use for the next call, with the same features", async () => {
    const reviews = generateReviews({ count: 4000, seed: 5 });
    const f = new Featurizer(DEFAULT_FEATURIZER);
    const pool = new FeaturizerPool(DEFAULT_FEATURIZER, { workers: 1 });
    try {
      const first = await pool.featurize(utf8Slice(reviews.text, 0, 2000), { rowIds: true });
      const buffer = first.indices.buffer;
      expect(buffer.byteLength).toBeGreaterThan(0);
      pool.release(first);
      pool.release(first); // twice: ignored
      pool.release(f.featurize(utf8Slice(reviews.text, 0, 10))); // not the pool's: ignored, untouched
      const second = await pool.featurize(utf8Slice(reviews.text, 2000, 3900), { rowIds: true });
      expect(second.indices.buffer).toBe(buffer); // the second batch's features went into the first's arrays
      expect(second.indices.buffer).not.toBeInstanceOf(SharedArrayBuffer); // onnxruntime-node reads only unshared memory
      const want = f.featurize(utf8Slice(reviews.text, 2000, 3900), { rowIds: true });
      expect(second.indptr).toEqual(want.indptr);
      expect(second.indices).toEqual(want.indices);
      expect(second.values).toEqual(want.values);
      expect(second.rowIds).toEqual(want.rowIds);
    } finally {
      await pool.close();
    }
  });

  it("keeps one shared pool per thread count for the process, and replaces it once it failed", async () => {
    const pool = sharedFeaturizerPool(1);
    expect(sharedFeaturizerPool(1)).toBe(pool);
    expect(sharedFeaturizerPool(2)).not.toBe(pool);
    const csr = await pool.featurize(utf8FromStrings(["Great value, love it"]), { config: featurizerConfig({ hashBits: 12 }) });
    expect(csr.cols).toBe(4096);
    await pool.close();
    const next = sharedFeaturizerPool(1);
    expect(next).not.toBe(pool);
    expect((await next.featurize(utf8FromStrings(["broken"]))).rows).toBe(1);
  });

  it.runIf(process.platform === "linux")("runs its threads ten steps nicer than the calling thread", async () => {
    const niceOf = (task: string) => Number(readFileSync(`/proc/self/task/${task}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
    const own = niceOf(String(readFileSync("/proc/thread-self/stat", "utf8").split(" ")[0]));
    const pool = new FeaturizerPool(DEFAULT_FEATURIZER, { workers: 1 });
    try {
      await pool.featurize(utf8FromStrings(["great"]));
      const nices = readdirSync("/proc/self/task").map(niceOf);
      expect(nices).toContain(Math.min(19, own + 10));
    } finally {
      await pool.close();
    }
  });

  it("lets the process exit by itself when its shared pool is idle, after many calls", () => {
    const root = path.resolve(import.meta.dirname, "../../..");
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "test/fixtures/ml/shared-pool-idle.ts")], { cwd: root, encoding: "utf8", timeout: 20_000 });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("200");
  });
});
