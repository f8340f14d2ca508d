import { defineTask } from "dagship";
import { csrToTable } from "../../lib/ml/arrow-tables.js";
import { csrNnz, csrTake } from "../../lib/ml/csr.js";
import { Featurizer, featurizerConfig } from "../../lib/ml/features.js";
import { reviewsFromTable } from "../../lib/ml/review-files.js";
import { splitRows } from "../../lib/ml/split.js";
import { numberParam } from "../../lib/params.js";

/**
 * Tokenizes and hashes the ingested reviews into 2^hash_bits sparse features (the featurizer
 * config is published as a value: it is stored with the model, and scoring uses it as is), then
 * splits them, seeded, into the tables `train` and `test`.
 */
export default defineTask<{ test_fraction: string; hash_bits: string; seed: string }>({
  description: "hash review texts into sparse features; seeded train / held-out split",
  async run(ctx) {
    const testFraction = numberParam(ctx.params, "test_fraction", { min: 0.05, max: 0.5 });
    const seed = numberParam(ctx.params, "seed", { integer: true, min: 0, max: 0xffffffff });
    const config = featurizerConfig({ hashBits: numberParam(ctx.params, "hash_bits", { integer: true, min: 2, max: 28 }) });
    const reviews = reviewsFromTable(await ctx.tables.read("ingest", "reviews"));
    const csr = new Featurizer(config).featurize(reviews.text);
    const { train, test } = splitRows(reviews.length, { testFraction, seed });
    if (train.length === 0 || test.length === 0) throw new Error(`${reviews.length} reviews are too few to split into train and held-out sets`);
    const labels = (rows: Int32Array) => Uint8Array.from(rows, (r) => reviews.label[r]!);
    await ctx.tables.write("train", csrToTable(csrTake(csr, train), labels(train)));
    await ctx.tables.write("test", csrToTable(csrTake(csr, test), labels(test)));
    ctx.values.set("featurizer", { ...config });
    ctx.values.set("train_rows", train.length);
    ctx.values.set("test_rows", test.length);
    ctx.values.set("nnz_per_row", Number((csrNnz(csr) / Math.max(1, csr.rows)).toFixed(2)));
    ctx.log.info(`featurized ${reviews.length} reviews into 2^${config.hashBits} columns: ${train.length} train, ${test.length} held out`);
  },
});
