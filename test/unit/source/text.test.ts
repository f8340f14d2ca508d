import { describe, expect, it } from "vitest";
import { parseJsonDocument } from "../../../runner/spec/source/json.js";
import { decodeText, MAX_FILE_BYTES } from "../../../runner/spec/source/text.js";

const enc = (text: string) => new TextEncoder().encode(text);
const cat = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...enc(p)] : p)));
const diagnose = (bytes: Uint8Array) => parseJsonDocument("job.json", bytes).diagnostics.map((d) => ({ at: `${d.line}:${d.column}`, code: d.code, message: d.message, hint: d.hint }));

describe("decodeText and unreadable files (DS1025)", () => {
  it("decodes UTF-8 and drops a byte-order mark", () => {
    expect(decodeText(cat([0xef, 0xbb, 0xbf], '{"a":"é"}'), "x")).toEqual({ ok: true, text: '{"a":"é"}' });
    expect(parseJsonDocument("job.json", cat([0xef, 0xbb, 0xbf], '{"a": 1}')).value).toEqual({ a: 1 });
  });

  it("does not count a byte-order mark as a column", () => {
    expect(diagnose(cat([0xef, 0xbb, 0xbf], '{"a": }'))[0]!.at).toBe("1:7");
  });

  it.each([
    ["an empty file", new Uint8Array(), "1:1"],
    ["a file of whitespace (at its end)", enc("  \n\t\n"), "3:1"],
    ["a byte-order mark alone", new Uint8Array([0xef, 0xbb, 0xbf]), "1:1"],
  ])("refuses %s", (_name, bytes, at) => {
    expect(diagnose(bytes)).toEqual([{ at, code: "DS1025", message: "file is empty; expected a JSON object", hint: undefined }]);
  });

  it("refuses a NUL byte at its line and column, naming its byte offset", () => {
    expect(diagnose(cat('{\n  "a": "x', [0], '"}'))).toEqual([
      { at: "2:10", code: "DS1025", message: "file contains a NUL byte at byte 11: it looks binary, expected a JSON object", hint: "check that the right file was given" },
    ]);
  });

  it("refuses invalid UTF-8 at the offending byte, counting columns in characters", () => {
    expect(diagnose(cat('{\n  "é": "', [0xff], '"}'))).toEqual([{ at: "2:9", code: "DS1025", message: "file is not valid UTF-8 (byte 0xff at byte 11)", hint: "save the file as UTF-8" }]);
  });

  it("locates invalid UTF-8 after a byte-order mark without counting the mark", () => {
    expect(diagnose(cat([0xef, 0xbb, 0xbf], '{"a": "', [0xc3, 0x28], '"}'))[0]).toMatchObject({ at: "1:8", message: "file is not valid UTF-8 (byte 0xc3 at byte 10)" });
  });

  it.each([
    ["a truncated sequence at the end", [0xe2, 0x82], 0xe2],
    ["an overlong encoding", [0xc0, 0xaf], 0xc0],
    ["a UTF-16 surrogate", [0xed, 0xa0, 0x80], 0xed],
    ["a lone continuation byte", [0x80], 0x80],
  ])("finds %s", (_name, bad, first) => {
    const r = decodeText(cat("ok ", bad), "x");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.offset).toBe(3);
      expect(r.finding.message).toContain(`byte 0x${first.toString(16)} at byte 3`);
    }
  });

  it("refuses a file over the size limit before decoding it", () => {
    const big = new Uint8Array(MAX_FILE_BYTES + 1).fill(0x20);
    expect(diagnose(big)).toEqual([{ at: "1:1", code: "DS1025", message: "file is 4.0 MiB; the limit is 4 MiB", hint: "split the job, or keep large data out of the job file" }]);
  });

  it("accepts a file of exactly the size limit", () => {
    const exact = new Uint8Array(MAX_FILE_BYTES).fill(0x20);
    exact.set(enc("{}"), 0);
    expect(decodeText(exact, "x").ok).toBe(true);
  });
});
