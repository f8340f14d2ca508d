import { describe, expect, it } from "vitest";
import { ReviewDataError } from "../../../jobs/lib/ml/errors.js";
import { evaluationSet } from "../../../jobs/lib/ml/evaluation.js";
import { concatReviews, generateReviews, reviewTexts, selectReviews, type Reviews } from "../../../jobs/lib/ml/reviews.js";
import { tokenize } from "../../../jobs/lib/ml/tokenize.js";
import { VOCABULARY } from "../../../jobs/lib/ml/vocabulary.js";

function sameReviews(a: Reviews, b: Reviews): void {
  expect(a.length).toBe(b.length);
  for (const k of ["reviewId", "productId", "userId", "timestamp", "rating", "label"] as const) expect(a[k]).toEqual(b[k]);
  expect(reviewTexts(a)).toEqual(reviewTexts(b));
}

/** Share of reviews with a given label that contain `word` (not negated: "not great" is negative). */
function share(r: Reviews, word: string, label: number, negated = false): number {
  const texts = reviewTexts(r);
  let n = 0;
  let hit = 0;
  for (let i = 0; i < r.length; i++) {
    if (r.label[i] !== label) continue;
    n++;
    const t = tokenize(texts[i]!);
    if (t.some((w, k) => w === word && (t[k - 1] === "not") === negated)) hit++;
  }
  return hit / n;
}

describe("generateReviews", () => {
  it("is deterministic for a seed, and the seed matters", () => {
    const a = generateReviews({ count: 2000, seed: 11 });
    sameReviews(a, generateReviews({ count: 2000, seed: 11 }));
    expect(reviewTexts(generateReviews({ count: 2000, seed: 12 }))).not.toEqual(reviewTexts(a));
  });

  it("fills every column consistently", () => {
    const r = generateReviews({ count: 5000, seed: 3, firstId: 100, startTime: Date.UTC(2024, 5, 1), spanMs: 3_600_000, products: 50, users: 70 });
    expect(r.length).toBe(5000);
    expect(r.text.length).toBe(5000);
    expect(r.text.offsets.length).toBe(5001);
    const bad: string[] = [];
    for (let i = 0; i < r.length; i++) {
      if (r.reviewId[i] !== 100 + i) bad.push(`reviewId[${i}] = ${r.reviewId[i]}`);
      if (!(r.rating[i]! >= 1 && r.rating[i]! <= 5)) bad.push(`rating[${i}] = ${r.rating[i]}`);
      if (r.label[i] !== (r.rating[i]! >= 4 ? 1 : 0)) bad.push(`label[${i}] = ${r.label[i]} for rating ${r.rating[i]}`);
      if (!(r.productId[i]! >= 1 && r.productId[i]! <= 50)) bad.push(`productId[${i}] = ${r.productId[i]}`);
      if (!(r.userId[i]! >= 1 && r.userId[i]! <= 70)) bad.push(`userId[${i}] = ${r.userId[i]}`);
      if (!(r.timestamp[i]! >= Date.UTC(2024, 5, 1) && r.timestamp[i]! < Date.UTC(2024, 5, 1) + 3_600_000)) bad.push(`timestamp[${i}] = ${r.timestamp[i]}`);
      if (i > 0 && r.timestamp[i]! < r.timestamp[i - 1]!) bad.push(`timestamp[${i}] goes back`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    const texts = reviewTexts(r);
    expect(texts.every((t) => /^[A-Z][a-z ,]*[a-z][.!]$/.test(t))).toBe(true);
    const words = texts.map((t) => tokenize(t).length);
    expect(Math.min(...words)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...words)).toBeLessThanOrEqual(48);
  });

  it("puts signal in the words: sentiment words lean to their class", () => {
    const r = generateReviews({ count: 20_000, seed: 1 });
    for (const w of ["great", "love", "excellent"]) expect(share(r, w, 1)).toBeGreaterThan(2 * share(r, w, 0));
    for (const w of ["return", "broken", "horrible", "refund"]) expect(share(r, w, 0)).toBeGreaterThan(2 * share(r, w, 1));
    // Negated, they swap sides: "not great" is negative, "not broken" positive.
    expect(share(r, "great", 0, true)).toBeGreaterThan(2 * share(r, "great", 1, true));
    expect(share(r, "broken", 1, true)).toBeGreaterThan(2 * share(r, "broken", 0, true));
    // ...with noise: the words appear in the other class too.
    expect(share(r, "great", 0)).toBeGreaterThan(0);
    expect(share(r, "refund", 1)).toBeGreaterThan(0);
    const positives = r.label.reduce((a, b) => a + b, 0) / r.length;
    expect(positives).toBeGreaterThan(0.6);
    expect(positives).toBeLessThan(0.75);
  });

  it("drifts: fewer positive ratings and slang the base vocabulary lacks", () => {
    const base = generateReviews({ count: 10_000, seed: 4 });
    const drifted = generateReviews({ count: 10_000, seed: 4, drift: 1 });
    const pos = (r: Reviews) => r.label.reduce((a, b) => a + b, 0) / r.length;
    expect(pos(drifted)).toBeLessThan(pos(base) - 0.2);
    const slang = new Set([...VOCABULARY.driftPositive, ...VOCABULARY.driftNegative]);
    const hasSlang = (r: Reviews) => reviewTexts(r).filter((t) => tokenize(t).some((w) => slang.has(w))).length;
    expect(hasSlang(base)).toBe(0);
    expect(hasSlang(drifted)).toBeGreaterThan(2000);
  });

  it("rejects bad options with ReviewDataError", () => {
    expect(() => generateReviews({ count: -1, seed: 1 })).toThrow(ReviewDataError);
    expect(() => generateReviews({ count: 1.5, seed: 1 })).toThrow(/count must be an integer/);
    expect(() => generateReviews({ count: 10, seed: 1, drift: 2 })).toThrow(/drift must be a number in 0..1, got 2/);
    expect(() => generateReviews({ count: 10, seed: -3 })).toThrow(/seed/);
    expect(generateReviews({ count: 0, seed: 1 }).length).toBe(0);
  });

  it("selects and concatenates rows", () => {
    const a = generateReviews({ count: 30, seed: 1 });
    const b = generateReviews({ count: 20, seed: 2, firstId: 30 });
    const all = concatReviews([a, b]);
    expect(all.length).toBe(50);
    expect(reviewTexts(all)).toEqual([...reviewTexts(a), ...reviewTexts(b)]);
    expect(Array.from(all.reviewId)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const picked = selectReviews(all, [49, 0, 31]);
    expect(reviewTexts(picked)).toEqual([reviewTexts(b)[19], reviewTexts(a)[0], reviewTexts(b)[1]]);
    expect(Array.from(picked.rating)).toEqual([b.rating[19], a.rating[0], b.rating[1]]);
    sameReviews(concatReviews([selectReviews(all, Array.from({ length: 30 }, (_, i) => i)), b]), all);
  });
});

describe("evaluationSet", () => {
  it("is a balanced, duplicate-free, deterministic set per environment", () => {
    const dev = evaluationSet("dev", { count: 1000 });
    expect(dev.length).toBe(1000);
    expect(dev.label.reduce((a, b) => a + b, 0)).toBe(500);
    expect(new Set(dev.rating).size).toBe(5);
    const texts = reviewTexts(dev);
    expect(new Set(texts).size).toBe(1000);
    expect(reviewTexts(evaluationSet("dev", { count: 1000 }))).toEqual(texts);
    const prod = reviewTexts(evaluationSet("prod", { count: 1000 }));
    expect(prod).not.toEqual(texts);
    expect(prod.filter((t) => texts.includes(t)).length).toBeLessThan(20);
  });

  it("rejects bad options", () => {
    expect(() => evaluationSet("", {})).toThrow(ReviewDataError);
    expect(() => evaluationSet("dev", { count: 7 })).toThrow(/even integer/);
  });
});
