import { describe, expect, it } from "vitest";
import { terms, tokenize } from "../../../jobs/lib/ml/tokenize.js";

describe("tokenize", () => {
  it("lower-cases and splits on everything but word characters", () => {
    expect(tokenize("Not GREAT, broke after 2 days!")).toEqual(["not", "great", "broke", "after", "2", "days"]);
    expect(tokenize("snake_case stays; don't splits")).toEqual(["snake_case", "stays", "don", "t", "splits"]);
    expect(tokenize("  ...  ")).toEqual([]);
    expect(tokenize("")).toEqual([]);
  });

  it("keeps non-ASCII letters, digits and combining marks", () => {
    expect(tokenize("Café CRÈME brûlée—naïve")).toEqual(["café", "crème", "brûlée", "naïve"]);
    expect(tokenize("Ünïcödé ٣ 東京タワー")).toEqual(["ünïcödé", "٣", "東京タワー"]);
    expect(tokenize("e\u0301tude")).toEqual(["e\u0301tude"]);
  });

  it("terms adds the bigram ending at each word after the first", () => {
    expect(terms(["not", "great", "at", "all"], 2)).toEqual(["not", "great", "not great", "at", "great at", "all", "at all"]);
    expect(terms(["not", "great"], 1)).toEqual(["not", "great"]);
    expect(terms([], 2)).toEqual([]);
  });
});
