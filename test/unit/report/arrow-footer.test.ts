import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Table, tableFromArrays, tableToIPC } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { ArrowFooterError, readArrowFooter } from "../../../runner/report/arrow-footer.js";

const dir = mkdtempSync(path.join(tmpdir(), "dagship-footer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readArrowFooter", () => {
  it("reads the schema and adds up the rows of every record batch", async () => {
    const t = tableFromArrays({ x: Float64Array.from({ length: 1000 }, (_, i) => i), name: Array.from({ length: 1000 }, (_, i) => `r${i}`) });
    const two = new Table([...t.batches, ...t.slice(0, 10).batches]);
    const file = path.join(dir, "t.arrow");
    writeFileSync(file, tableToIPC(two, "file"));
    const info = await readArrowFooter(file);
    expect(info.rows).toBe(1010);
    expect(info.batches).toBe(2);
    expect(info.schema.map((f) => [f.name, f.type])).toEqual([["x", "Float64"], ["name", "Dictionary<Int32, Utf8>"]]);
  });

  it("refuses what is not an Arrow IPC file, and a truncated one", async () => {
    const junk = path.join(dir, "junk.arrow");
    writeFileSync(junk, "not arrow at all, just text that is long enough");
    await expect(readArrowFooter(junk)).rejects.toBeInstanceOf(ArrowFooterError);
    const bytes = tableToIPC(tableFromArrays({ x: Int32Array.from([1, 2, 3]) }), "file");
    const cut = path.join(dir, "cut.arrow");
    writeFileSync(cut, bytes.subarray(0, bytes.length - 3));
    await expect(readArrowFooter(cut)).rejects.toBeInstanceOf(ArrowFooterError);
  });

  it("passes a missing file's error through (the report then uses the run record)", async () => {
    await expect(readArrowFooter(path.join(dir, "gone.arrow"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
