import { describe, expect, it } from "vitest";
import { countKeys, scanStructure } from "../../../runner/spec/source/json-scan.js";
import { parseJsonDocument } from "../../../runner/spec/source/json.js";

const parse = (text: string) => parseJsonDocument("job.json", new TextEncoder().encode(text));

describe("scanStructure and countKeys", () => {
  it("count the same keys for text without duplicates", () => {
    const text = '{"a": {"b": [1, {"c": "x:y"}], "d": "}\\"{"}, "e": [], "f": {}}';
    expect(scanStructure(text, 128)).toEqual({ tooDeepAt: -1, keys: 6 });
    expect(countKeys(JSON.parse(text))).toBe(6);
  });

  it("count more keys in the text than in the value when a key repeats", () => {
    const text = '{"a": 1, "b": {"a": 2, "a": 3}}';
    expect(scanStructure(text, 128).keys).toBe(4);
    expect(countKeys(JSON.parse(text))).toBe(3);
  });

  it("do not take strings that contain quotes, colons or brackets for keys", () => {
    const text = '["a\\":", "\\\\", "{[", "k"]';
    expect(scanStructure(text, 128)).toEqual({ tooDeepAt: -1, keys: 0 });
  });

  it("report the bracket that opens one level too many", () => {
    expect(scanStructure("[[[1]]]", 2).tooDeepAt).toBe(2);
    expect(scanStructure("[[1]]", 2).tooDeepAt).toBe(-1);
  });
});

describe("duplicate keys through parseJsonDocument", () => {
  it("finds a duplicate spelled with an escape as the same key", () => {
    const doc = parse('{"name": "a", "n\\u0061me": "b"}');
    expect(doc.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([["DS1019", 1, 15]]);
  });

  it("does not flag the same key in two different objects", () => {
    expect(parse('{"a": {"k": 1}, "b": {"k": 2}}').diagnostics).toEqual([]);
  });
});
