import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runProcessAttempt } from "../../../runner/executors/process.js";
import type { AttemptResult } from "../../../runner/executors/types.js";
import { cleanup, request, tempDir } from "./helpers.js";

const cacheDir = path.join(tempDir(), "cache");
afterAll(cleanup);

function errorOf(result: AttemptResult) {
  if (result.ok) throw new Error(`expected a failed attempt, got values ${JSON.stringify(result.values)}`);
  return result.error;
}

describe("ctx.values", () => {
  it("accepts a value of exactly 48 KiB and refuses one byte more, saying by how much", async () => {
    const fits = await runProcessAttempt(request("values.ts", { cacheDir, export: "big", params: { bytes: 48 * 1024 - 2 } }));
    expect(fits.ok).toBe(true);
    expect((fits.values.big as string).length).toBe(48 * 1024 - 2);
    const over = errorOf(await runProcessAttempt(request("values.ts", { cacheDir, export: "big", params: { bytes: 48 * 1024 - 1 } })));
    expect(over).toMatchObject({ reason: "threw", name: "RangeError" });
    expect(over.message).toBe(
      'values.set("big"): the value is 49,153 bytes serialized, 1 byte over the 48 KiB limit (49,152 bytes); write large data with ctx.tables.write instead',
    );
  });

  it("refuses a value that is not JSON, naming where", async () => {
    const error = errorOf(await runProcessAttempt(request("values.ts", { cacheDir, export: "notJson" })));
    expect(error.message).toBe('values.set("lookup"): the value is not JSON: value.table is a Map (use Object.fromEntries(map)); only plain objects, arrays, strings, finite numbers, booleans and null are JSON');
  });

  it("refuses a name that could escape the folder", async () => {
    const error = errorOf(await runProcessAttempt(request("values.ts", { cacheDir, export: "badName" })));
    expect(error.message).toMatch(/^values\.set: invalid name "\.\.\/escape": use 1–128 characters/);
  });

  it("reads upstream values, and explains a missing one", async () => {
    const values = { prep: { rows: 21 }, other: {} };
    const ok = await runProcessAttempt(request("values.ts", { cacheDir, export: "downstream", values, params: { from: "prep", name: "rows" } }));
    expect(ok).toMatchObject({ ok: true, values: { doubled: 42 } });

    const noValue = errorOf(await runProcessAttempt(request("values.ts", { cacheDir, export: "downstream", values, params: { from: "prep", name: "nope" } })));
    expect(noValue.message).toBe('values.get("prep", "nope"): task "prep" has no value "nope"; its values: rows');
    const noTask = errorOf(await runProcessAttempt(request("values.ts", { cacheDir, export: "downstream", values, params: { from: "ghost", name: "rows" } })));
    expect(noTask.message).toBe('values.get("ghost", "rows"): no values from task "ghost"; tasks with values: prep (only tasks that finished before this one count)');
  });
});

describe("ctx.tables", () => {
  it("writes an Arrow IPC file that a later attempt reads back as record batches", async () => {
    const write = request("tables.ts", { cacheDir, export: "writer", task_key: "writer" });
    const written = await runProcessAttempt(write);
    expect(written.ok).toBe(true);
    const record = written.tables.points!;
    const file = path.join(write.attemptDir, record.path);
    expect(record).toEqual({
      path: "tables/points.arrow",
      rows: 3,
      bytes: statSync(file).size,
      schema: [
        { name: "id", type: "Int32" },
        { name: "score", type: "Float64" },
        { name: "label", type: "Dictionary<Int32, Utf8>" },
      ],
    });
    expect(written.values.record).toEqual(record);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 6).toString()).toBe("ARROW1"); // the IPC *file* format's magic
    expect(bytes.subarray(-6).toString()).toBe("ARROW1");

    const read = await runProcessAttempt(request("tables.ts", { cacheDir, export: "reader", tables: { writer: { points: file } } }));
    expect(read.ok).toBe(true);
    expect(read.values.summary).toEqual({ rows: 3, batches: 1, fields: ["id", "score", "label"], ids: [1, 2, 3], labels: ["a", "b", "c"] });
  });

  it("explains a table that is not there", async () => {
    const error = errorOf(await runProcessAttempt(request("tables.ts", { cacheDir, export: "reader", tables: { writer: { other: "/nowhere.arrow" } } })));
    expect(error).toMatchObject({ reason: "threw", name: "TableNotFoundError" });
    expect(error.message).toBe('tables.read("writer", "points"): task "writer" wrote no table "points"; its tables: other');
  });
});
