import { describe, expect, it } from "vitest";
import { parseYamlDocument } from "../../../runner/spec/source/yaml.js";

const enc = (text: string) => new TextEncoder().encode(text);
const parse = (text: string) => parseYamlDocument("environments/dev.yaml", enc(text));
const summary = (text: string) => parse(text).diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`);

const ENV = ["# comment", "name: dev", "workspace:", "  path: .dagship/dev", "secrets:", "  - TOKEN", "  - KEY", "vars:", "  a/b: 1", ""].join("\n");

describe("parseYamlDocument", () => {
  it("parses a valid environment with no diagnostics", () => {
    const doc = parse(ENV);
    expect(doc.diagnostics).toEqual([]);
    expect(doc.value).toEqual({ name: "dev", workspace: { path: ".dagship/dev" }, secrets: ["TOKEN", "KEY"], vars: { "a/b": 1 } });
  });

  it("reports a syntax error with its line and column", () => {
    const doc = parse("name: dev\nworkspace:\n\tpath: x\n");
    expect(doc.value).toBeUndefined();
    expect(doc.diagnostics).toEqual([
      {
        file: "environments/dev.yaml",
        pointer: "",
        line: 3,
        column: 1,
        code: "DS1001",
        severity: "error",
        message: "Tabs are not allowed as indentation",
        hint: "check the indentation and quoting around this point",
      },
    ]);
  });

  it("reports every syntax error, with single-line messages", () => {
    const doc = parse("name: dev\n  bad: indent\nfoo: : bar\n");
    expect(doc.diagnostics.length).toBeGreaterThan(1);
    expect(doc.diagnostics.every((d) => d.code === "DS1001" && !d.message.includes("\n") && d.line >= 1 && d.column >= 1)).toBe(true);
    expect(doc.diagnostics.some((d) => d.line === 3)).toBe(true);
  });

  it("reports a duplicate key (DS1019) at the second key", () => {
    const [d] = parse("name: dev\nworkspace:\n  path: a\nname: prod\n").diagnostics;
    expect(d).toMatchObject({ line: 4, column: 1, code: "DS1019", hint: "YAML mappings need unique keys; remove or rename one" });
  });

  it("reports a duplicate key in a nested mapping", () => {
    expect(summary("name: dev\nworkspace:\n  path: a\n  path: b\n")).toEqual(["4:3 DS1019"]);
  });

  it.each([
    ["", 2, 1],
    ["/name", 2, 7],
    ["/workspace/path", 4, 9],
    ["/secrets/1", 7, 5],
    ["/vars/a~1b", 9, 8],
  ])("locates the value at %j", (pointer, line, column) => {
    expect(parse(ENV).locate(pointer)).toEqual({ line, column });
  });

  it.each([
    ["/name", 2, 1],
    ["/workspace/path", 4, 3],
    ["/vars/a~1b", 9, 3],
  ])("locates the key of %j", (pointer, line, column) => {
    expect(parse(ENV).locate(pointer, true)).toEqual({ line, column });
  });

  it("falls back to the deepest existing node", () => {
    expect(parse(ENV).locate("/workspace/nope")).toEqual({ line: 4, column: 3 });
    expect(parse(ENV).locate("/secrets/9")).toEqual({ line: 6, column: 3 });
  });

  it("counts lines of CRLF files correctly", () => {
    const doc = parse(ENV.replace(/\n/g, "\r\n"));
    expect(doc.diagnostics).toEqual([]);
    expect(doc.locate("/workspace/path")).toEqual({ line: 4, column: 9 });
    expect(summary("name: dev\r\nworkspace:\r\n  path: a\r\n  path: b\r\n")).toEqual(["4:3 DS1019"]);
  });

  it("counts columns in characters after non-ASCII text", () => {
    expect(parse("description: ünïcödé\nname: dev\nvars: { é: [1, }\n").diagnostics[0]).toMatchObject({ line: 3, code: "DS1001" });
    expect(parse("description: ünïcödé — ok\nname: dev\n").locate("/name")).toEqual({ line: 2, column: 7 });
    expect(parse("vars: { ünï: 1, b: 2 }\n").locate("/vars/b")).toEqual({ line: 1, column: 20 });
  });

  it("refuses empty files and NUL bytes (DS1025) with positions", () => {
    expect(summary("")).toEqual(["1:1 DS1025"]);
    expect(summary("name: dev\nworkspace: \u0000")).toEqual(["2:12 DS1025"]);
  });

  it("limits alias expansion", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    const doc = parse(bomb);
    expect(doc.value).toBeUndefined();
    expect(doc.diagnostics.map((d) => d.code)).toEqual(["DS1001"]);
    expect(doc.diagnostics[0]!.hint).toBe("avoid deeply nested YAML aliases");
  });

  it("still yields the document after a duplicate key, so the other checks run too", () => {
    const doc = parseYamlDocument("environments/dev.yaml", new TextEncoder().encode("name: dev\nname: dev2\nworkspace:\n  path: a\n"));
    expect(doc.diagnostics.map((d) => d.code)).toEqual(["DS1019"]);
    expect(doc.value).toEqual({ name: "dev2", workspace: { path: "a" } });
  });
});
