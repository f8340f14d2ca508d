import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { readSource } from "../../../runner/importers/databricks/parse.js";

const dir = mkdtempSync(path.join(tmpdir(), "dagship-import-parse-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array) => {
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
};
const error = (f: string) => {
  try {
    readSource(f, path.basename(f));
  } catch (e) {
    return e as { code: string; exitCode: number; message: string };
  }
  throw new Error("expected an error");
};

describe("reading a source file", () => {
  it("parses JSON and YAML, resolving anchors, aliases and << merge keys", () => {
    expect(readSource(file("a.json", '{"name": "x"}'), "a.json")).toEqual({ name: "x" });
    const yaml = "base: &b\n  num_workers: 1\njob:\n  new_cluster:\n    <<: *b\n    node: x\n  again: *b\n";
    expect(readSource(file("a.yml", yaml), "a.yml")).toEqual({ base: { num_workers: 1 }, job: { new_cluster: { num_workers: 1, node: "x" }, again: { num_workers: 1 } } });
  });

  it("a syntax error is DS1001 (exit 1), located at file:line:column", () => {
    expect(error(file("bad.json", '{\n  "name": "x",\n}'))).toMatchObject({ code: "DS1001", exitCode: 1, message: expect.stringMatching(/^bad\.json:3:1 /) });
    expect(error(file("bad.yml", "a: [1, 2\nb: 3\n"))).toMatchObject({ code: "DS1001", exitCode: 1, message: expect.stringMatching(/^bad\.yml:\d+:\d+ /) });
  });

  it("an empty file, or one with only comments, is DS2008 (exit 2)", () => {
    expect(error(file("empty.yml", ""))).toMatchObject({ code: "DS2008", exitCode: 2 });
    expect(error(file("blank.json", "  \n"))).toMatchObject({ code: "DS2008", exitCode: 2 });
    expect(error(file("comments.yml", "# nothing here\n"))).toMatchObject({ code: "DS2008", exitCode: 2 });
  });

  it("a missing file is DS2002 and a folder DS2003 (exit 2); a binary file DS1025", () => {
    expect(error(path.join(dir, "nope.json"))).toMatchObject({ code: "DS2002", exitCode: 2 });
    expect(error(dir)).toMatchObject({ code: "DS2003", exitCode: 2 });
    expect(error(file("bin.json", new Uint8Array([123, 0, 125])))).toMatchObject({ code: "DS1025" });
  });

  it("refuses a YAML alias bomb", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    expect(error(file("bomb.yml", bomb)).code).toBe("DS1001");
  });
});
