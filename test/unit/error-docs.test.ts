import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CODES } from "../../runner/spec/codes.js";

const doc = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");

describe("docs/errors.md", () => {
  it.each(Object.keys(CODES))("documents %s", (code) => {
    expect(doc).toMatch(new RegExp(`^\\| ${code} \\|`, "m"));
  });

  it("documents no code that does not exist", () => {
    const documented = [...doc.matchAll(/^\| (DS\d{4}) \|/gm)].map((m) => m[1]);
    expect(documented.filter((c) => !(c! in CODES))).toEqual([]);
  });
});
