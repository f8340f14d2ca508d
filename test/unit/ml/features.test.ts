import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../jobs/lib/random.js";
import { checkCsr } from "../../../jobs/lib/ml/csr.js";
import { FeaturizerConfigError } from "../../../jobs/lib/ml/errors.js";
import { DEFAULT_FEATURIZER, Featurizer, featurize, featurizerConfig, parseFeaturizerConfig, termColumn, type FeaturizerConfig } from "../../../jobs/lib/ml/features.js";
import { terms, tokenize } from "../../../jobs/lib/ml/tokenize.js";
import { utf8FromStrings } from "../../../jobs/lib/ml/utf8.js";

/** The features of one text computed the slow, obvious way: tokenize, terms, hash each, merge, weigh. */
function reference(text: string, config: FeaturizerConfig): Map<number, number> {
  const counts = new Map<number, number>();
  for (const t of terms(tokenize(text), config.ngrams)) {
    const { column, sign } = termColumn(t, config);
    counts.set(column, (counts.get(column) ?? 0) + sign);
  }
  let sq = 0;
  for (const [c, v] of counts) {
    const x = config.tf === "binary" ? Math.sign(v) : config.tf === "log1p" ? Math.sign(v) * Math.log1p(Math.abs(v)) : v;
    counts.set(c, Math.fround(x));
    sq += Math.fround(x) ** 2;
  }
  if (config.norm === "l2" && sq > 0) for (const [c, v] of counts) counts.set(c, v / Math.sqrt(sq));
  return counts;
}

function rowMap(csr: ReturnType<typeof featurize>, r: number): Map<number, number> {
  const m = new Map<number, number>();
  for (let k = csr.indptr[r]!; k < csr.indptr[r + 1]!; k++) m.set(csr.indices[k]!, csr.values[k]!);
  return m;
}

function randomText(rand: () => number, unicode: boolean): string {
  const pieces = ["great", "GREAT", "Love", "not", "refund", "it's", "a_b", "x2", "!!", ", ", " ", "\n", "--", "42"];
  const uni = ["Café", "naïve", "ÉCOLE", "東京", "İstanbul", "straße", "ß", "😀", "e\u0301", "Ω"];
  let s = "";
  const n = Math.floor(rand() * 20);
  for (let i = 0; i < n; i++) {
    const list = unicode && rand() < 0.3 ? uni : pieces;
    s += list[Math.floor(rand() * list.length)]! + (rand() < 0.7 ? " " : "");
  }
  return s;
}

describe("FeaturizerConfig", () => {
  it("defaults to 2^18 hashed words and bigrams, log1p, L2", () => {
    expect(DEFAULT_FEATURIZER).toEqual({ kind: "hashing", version: 1, hashBits: 18, ngrams: 2, seed: 0, signed: false, tf: "log1p", norm: "l2" });
    expect(parseFeaturizerConfig(JSON.parse(JSON.stringify(DEFAULT_FEATURIZER)))).toEqual(DEFAULT_FEATURIZER);
  });

  it("rejects bad or incomplete configs, listing every problem", () => {
    expect(() => featurizerConfig({ hashBits: 40 })).toThrow(/hashBits must be an integer in 2..28, got 40/);
    expect(() => parseFeaturizerConfig({ ...DEFAULT_FEATURIZER, ngrams: 3, tf: "tfidf", extra: 1 })).toThrow(FeaturizerConfigError);
    try {
      parseFeaturizerConfig({ ...DEFAULT_FEATURIZER, ngrams: 3, tf: "tfidf", extra: 1 });
    } catch (error) {
      expect((error as Error).message).toMatch(/unknown field "extra"/);
      expect((error as Error).message).toMatch(/ngrams must be 1 or 2, got 3/);
      expect((error as Error).message).toMatch(/tf must be "count", "binary" or "log1p", got "tfidf"/);
      expect((error as FeaturizerConfigError).code).toBe("ML_FEATURIZER_CONFIG");
    }
    const { seed: _seed, ...noSeed } = DEFAULT_FEATURIZER;
    expect(() => parseFeaturizerConfig(noSeed)).toThrow(/missing field "seed"/);
    expect(() => parseFeaturizerConfig("hashing")).toThrow(/must be an object/);
  });
});

describe("featurize", () => {
  it("makes a CSR batch of the right shape", () => {
    const csr = featurize(["Great value, LOVE it -- great!", "", "refund"], DEFAULT_FEATURIZER);
    expect(csr.rows).toBe(3);
    expect(csr.cols).toBe(2 ** 18);
    expect(csr.indptr).toBeInstanceOf(Int32Array);
    expect(csr.indices).toBeInstanceOf(Int32Array);
    expect(csr.values).toBeInstanceOf(Float32Array);
    expect(Array.from(csr.indptr)).toEqual([0, 8, 8, 9]);
    expect(csr.indices.length).toBe(9);
    expect(csr.values.length).toBe(9);
    checkCsr(csr);
  });

  // Golden: the columns of a sentence under the default config (see hashing.test.ts for why).
  it("keeps its golden columns and values", () => {
    const csr = featurize(["Great value, LOVE it -- great!"], DEFAULT_FEATURIZER);
    // Terms in order: great, value, "great value", love, "value love", it, "love it", (great), "it great".
    expect(Array.from(csr.indices)).toEqual([3777, 56501, 115539, 195541, 127773, 74976, 25413, 75729]);
    expect(termColumn("not great", DEFAULT_FEATURIZER).column).toBe(103920);
    // "great" twice: log1p(2); the 7 other terms once: log1p(1); then unit length.
    const norm = Math.sqrt(Math.fround(Math.log1p(2)) ** 2 + 7 * Math.fround(Math.log1p(1)) ** 2);
    expect(csr.values[0]).toBeCloseTo(Math.log1p(2) / norm, 6);
    for (let k = 1; k < 8; k++) expect(csr.values[k]).toBeCloseTo(Math.log1p(1) / norm, 6);
    const signed = featurize(["Great value, LOVE it -- great!"], featurizerConfig({ signed: true, tf: "count", norm: "none", hashBits: 10, seed: 7 }));
    expect(Array.from(signed.indices)).toEqual([1004, 123, 688, 457, 789, 982, 225, 807]);
    expect(Array.from(signed.values)).toEqual([-2, 1, -1, -1, 1, -1, -1, -1]);
  });

  it("merges repeated terms within a row and normalises rows to unit length", () => {
    const csr = featurize(["love love love", "refund now"], featurizerConfig({ tf: "count", norm: "none", ngrams: 1 }));
    expect(Array.from(csr.indptr)).toEqual([0, 1, 3]);
    expect(csr.values[0]).toBe(3);
    const l2 = featurize(["love love love it", "broken"], DEFAULT_FEATURIZER);
    for (let r = 0; r < l2.rows; r++) {
      let sq = 0;
      for (let k = l2.indptr[r]!; k < l2.indptr[r + 1]!; k++) sq += l2.values[k]! ** 2;
      expect(sq).toBeCloseTo(1, 6);
    }
    const binary = featurize(["love love love"], featurizerConfig({ tf: "binary", norm: "none", ngrams: 1 }));
    expect(Array.from(binary.values)).toEqual([1]);
  });

  it("agrees with the reference tokenizer on random ASCII and Unicode text, for every option", () => {
    const rand = seededRandom(5);
    const texts = Array.from({ length: 400 }, (_, i) => randomText(rand, i % 2 === 1));
    const configs = [
      DEFAULT_FEATURIZER,
      featurizerConfig({ ngrams: 1, tf: "count", norm: "none" }),
      featurizerConfig({ signed: true, seed: 99, hashBits: 6, tf: "log1p" }),
      featurizerConfig({ tf: "binary", hashBits: 12 }),
    ];
    for (const config of configs) {
      const csr = featurize(texts, config);
      checkCsr(csr);
      for (let r = 0; r < texts.length; r++) {
        const want = reference(texts[r]!, config);
        const got = rowMap(csr, r);
        expect([...got.keys()].sort(), `row ${r}: ${JSON.stringify(texts[r])}`).toEqual([...want.keys()].sort());
        for (const [c, v] of want) expect(got.get(c)!, `row ${r} column ${c}`).toBeCloseTo(v, 6);
      }
    }
  });

  it("adds each entry's row on request", () => {
    const csr = new Featurizer(DEFAULT_FEATURIZER).featurize(["a b", "", "c"], { rowIds: true });
    expect(Array.from(csr.rowIds!)).toEqual([0, 0, 0, 2]);
    expect(featurize(["a"], DEFAULT_FEATURIZER).rowIds).toBeUndefined();
    expect(() => termColumn("a  b", DEFAULT_FEATURIZER)).toThrow(/one word or two/);
  });

  it("gives the same features from strings, from a UTF-8 column, and batch after batch", () => {
    const texts = ["Great!", "Café crème, not great", "broken broken", "", "東京 love"];
    const a = featurize(texts, DEFAULT_FEATURIZER);
    const f = new Featurizer(DEFAULT_FEATURIZER);
    const b = f.featurize(utf8FromStrings(texts));
    const c = f.featurize(texts);
    for (const x of [b, c]) {
      expect(x.indptr).toEqual(a.indptr);
      expect(x.indices).toEqual(a.indices);
      expect(x.values).toEqual(a.values);
    }
  });

  it("featurizes rows far longer than the merge table's first size", () => {
    const words = Array.from({ length: 6000 }, (_, i) => `w${i}`);
    const text = words.join(" ") + " " + words.slice(0, 100).join(" ");
    const config = featurizerConfig({ tf: "count", norm: "none", ngrams: 1 });
    const csr = featurize([text, "w1 w1"], config);
    const want = reference(text, config);
    expect(rowMap(csr, 0)).toEqual(want);
    expect(Array.from(csr.values.subarray(csr.indptr[1]!, csr.indptr[2]!))).toEqual([2]);
  });
});
