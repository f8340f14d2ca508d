import { describe, expect, it } from "vitest";
import { MAX_DEPTH, parseJsonDocument } from "../../../runner/spec/source/json.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const parse = (text: string) => parseJsonDocument("jobs/a/job.json", bytes(text));
/** `line:column code message` of each diagnostic, in the order reported. */
const summary = (text: string) => parse(text).diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);

describe("parseJsonDocument: syntax errors (DS1001)", () => {
  it("parses a valid document with no diagnostics", () => {
    const doc = parse('{ "name": "a", "tasks": [ { "task_key": "t" } ] }');
    expect(doc.diagnostics).toEqual([]);
    expect(doc.value).toEqual({ name: "a", tasks: [{ task_key: "t" }] });
    expect(doc.text).toContain('"name"');
  });

  it("locates a trailing comma at the closing brace and hints at it", () => {
    const doc = parse('{\n  "a": 1,\n}');
    expect(doc.value).toBeUndefined();
    expect(doc.diagnostics[0]).toEqual({
      file: "jobs/a/job.json",
      pointer: "",
      line: 3,
      column: 1,
      code: "DS1001",
      severity: "error",
      message: "expected a property name in double quotes",
      hint: "check for a trailing comma before this point",
    });
  });

  it("reports every syntax error of a file, each at its own line and column", () => {
    const text = ['{', '  "a": 1', "  \"b\": 'x',", '  "c": [1 2]', "}"].join("\n");
    expect(summary(text)).toEqual([
      '3:3 DS1001 expected "," between items',
      "3:8 DS1001 unexpected character",
      "3:11 DS1001 expected a value",
      '4:11 DS1001 expected "," between items',
    ]);
    expect(parse(text).diagnostics[1]!.hint).toBe("JSON strings use double quotes");
  });

  it("refuses comments with a hint to use description", () => {
    const [d] = parse('{ // note\n  "a": 1 }').diagnostics;
    expect(d).toMatchObject({ line: 1, column: 3, message: "comments are not allowed in JSON" });
    expect(d!.hint).toContain('"description"');
  });

  it("reports an unterminated string where it starts", () => {
    expect(summary('{\n  "a": "open\n')[0]).toBe("2:8 DS1001 unterminated string");
  });

  it("reports content after the document", () => {
    expect(summary('{ "a": 1 }\n{ "b": 2 }')).toEqual(["2:1 DS1001 unexpected content after the end of the JSON value"]);
  });

  it("counts lines of CRLF files correctly", () => {
    expect(summary('{\r\n  "a": 1,\r\n  "b": ,\r\n  "c": 3\r\n}')).toEqual(["3:8 DS1001 expected a value"]);
  });

  it("counts columns in characters after non-ASCII text", () => {
    expect(summary('{ "naïve": "ünïcödé", "b": x }')).toContain("1:28 DS1001 unexpected character");
  });

  it("counts columns in UTF-16 code units (as editors do) after astral characters", () => {
    expect(summary('{ "😀": tru }')[0]).toBe("1:9 DS1001 unexpected character");
  });
});

describe("parseJsonDocument: duplicate keys (DS1019)", () => {
  it("reports the second key, at its position, with the pointer of the key", () => {
    const doc = parse('{\n  "name": "a",\n  "tasks": [],\n  "name": "b"\n}');
    expect(doc.diagnostics).toEqual([
      expect.objectContaining({ pointer: "/name", line: 4, column: 3, code: "DS1019", message: 'duplicate key "name"', hint: "JSON keeps only the last one; remove or rename one of them" }),
    ]);
    expect(doc.value).toEqual({ name: "b", tasks: [] });
  });

  it("finds duplicates at any depth and escapes pointer segments", () => {
    const doc = parse('{\n  "tasks": [\n    { "task_key": "a", "a/b~c": 1, "a/b~c": 2 }\n  ]\n}');
    expect(doc.diagnostics.map((d) => [d.pointer, d.line, d.column])).toEqual([["/tasks/0/a~1b~0c", 3, 36]]);
  });

  it("reports each repeated key of a file", () => {
    const doc = parse('{ "a": 1, "a": 2, "b": { "x": 1, "x": 2 } }');
    expect(doc.diagnostics.map((d) => d.pointer).sort()).toEqual(["/a", "/b/x"]);
  });
});

describe("parseJsonDocument: nesting guard (DS1026)", () => {
  it(`accepts ${MAX_DEPTH} levels`, () => {
    expect(parse("[".repeat(MAX_DEPTH) + "]".repeat(MAX_DEPTH)).diagnostics).toEqual([]);
  });

  it("refuses one level more, at the bracket that opens it, without parsing", () => {
    const deep = "[".repeat(MAX_DEPTH + 1) + "]".repeat(MAX_DEPTH + 1);
    const doc = parse(`{\n  "a": ${deep}\n}`);
    expect(doc.value).toBeUndefined();
    expect(doc.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual([`2:${7 + MAX_DEPTH} DS1026`]);
    expect(doc.diagnostics[0]!.message).toBe(`nesting deeper than ${MAX_DEPTH} levels`);
  });

  it("does not count brackets inside strings", () => {
    expect(parse(JSON.stringify({ a: "[{".repeat(500) + '\\"' })).diagnostics).toEqual([]);
  });

  it("refuses 100 000 levels quickly instead of overflowing the stack", () => {
    const doc = parse("[".repeat(100_000));
    expect(doc.diagnostics.map((d) => d.code)).toEqual(["DS1026"]);
  });
});

describe("parseJsonDocument: locate", () => {
  const text = ['{', '  "tasks": [', '    { "task_key": "a", "depends_on": [ { "task_key": "b" } ] }', "  ],", '  "a/b": 1', "}"].join("\n");
  const doc = parse(text);

  it.each([
    ["", false, 1, 1],
    ["/tasks", false, 2, 12],
    ["/tasks", true, 2, 3],
    ["/tasks/0", false, 3, 5],
    ["/tasks/0/task_key", false, 3, 19],
    ["/tasks/0/task_key", true, 3, 7],
    ["/tasks/0/depends_on/0/task_key", false, 3, 54],
    ["/tasks/0/depends_on/0/task_key", true, 3, 42],
    ["/a~1b", true, 5, 3],
  ])("places %j (atKey %s) at %i:%i", (pointer, atKey, line, column) => {
    expect(doc.locate(pointer, atKey)).toEqual({ line, column });
  });

  it("falls back to the deepest existing node for a pointer that goes nowhere", () => {
    expect(doc.locate("/tasks/0/nope")).toEqual({ line: 3, column: 5 });
    expect(doc.locate("/tasks/7", true)).toEqual({ line: 2, column: 12 });
    expect(doc.locate("/tasks/0/task_key/deeper")).toEqual({ line: 3, column: 19 });
  });

  it("places pointers at 1:1 when the document did not parse", () => {
    expect(parse("{ oops").locate("/tasks/0")).toEqual({ line: 1, column: 1 });
  });
});
