import { describe, expect, it } from "vitest";
import { closest, didYouMean, formatList } from "../../runner/spec/suggest.js";

describe("closest", () => {
  it("finds a likely typo", () => {
    expect(closest("depend_on", ["task_key", "depends_on"])).toBe("depends_on");
    expect(closest("evalute", ["train", "evaluate"])).toBe("evaluate");
  });

  it("ignores case when comparing but returns the candidate as written", () => {
    expect(closest("europe/amsterdam", ["Europe/Amsterdam", "Europe/Berlin"])).toBe("Europe/Amsterdam");
  });

  it("allows 1 edit for names of up to 3 characters, 2 up to 6, then 3", () => {
    expect(closest("ab", ["abc"])).toBe("abc");
    expect(closest("ab", ["xyz"])).toBeUndefined();
    expect(closest("abcde", ["axcdx"])).toBe("axcdx");
    expect(closest("abcde", ["xxcdx"])).toBeUndefined();
    expect(closest("abcdefgh", ["xbcdefxx"])).toBe("xbcdefxx");
    expect(closest("abcdefgh", ["xxcdefxx"])).toBeUndefined();
  });

  it("prefers the first of equally close candidates", () => {
    expect(closest("cat", ["bat", "hat"])).toBe("bat");
  });

  it("accepts any iterable and returns undefined when there are no candidates", () => {
    expect(closest("a", new Set(["b"]))).toBe("b");
    expect(closest("anything", [])).toBeUndefined();
  });
});

describe("didYouMean", () => {
  it("suggests the closest candidate", () => {
    expect(didYouMean("exprot", ["export", "module"], "fields")).toBe('did you mean "export"?');
  });

  it("lists the candidates when none is close", () => {
    expect(didYouMean("zzzzzz", ["export", "module"], "allowed fields")).toBe("allowed fields: export, module");
  });

  it("says when there are none", () => {
    expect(didYouMean("x", [], "exports")).toBe("there are no exports");
  });
});

describe("formatList", () => {
  it("joins short lists", () => {
    expect(formatList([])).toBe("");
    expect(formatList(["a", "b"])).toBe("a, b");
  });

  it("shortens long lists", () => {
    const items = Array.from({ length: 15 }, (_, i) => `t${i}`);
    expect(formatList(items)).toBe("t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11 and 3 more");
    expect(formatList(items, 2)).toBe("t0, t1 and 13 more");
    expect(formatList(items.slice(0, 12))).not.toContain("more");
  });
});

describe("closest tie-breaking", () => {
  it("prefers the candidate sharing more letter pairs when edit distances tie", () => {
    expect(closest("taks", ["tags", "tasks"])).toBe("tasks");
    expect(closest("taks", ["tasks", "tags"])).toBe("tasks");
  });

  it("skips candidates whose length rules them out, even among thousands", () => {
    const many = Array.from({ length: 5000 }, (_, i) => `task_number_${i}_with_a_long_name`);
    expect(closest("trian", [...many, "train"])).toBe("train");
  });
});
