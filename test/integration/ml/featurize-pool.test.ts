import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../jobs/lib/random.js";
import { FeaturizerPool } from "../../../jobs/lib/ml/featurize-pool.js";
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
});
