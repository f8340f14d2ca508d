import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Field, Float64, Int32, makeVector, RecordBatch, Schema, Table, tableFromArrays, Utf8, vectorFromArray } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { createContext } from "../../../runner/sdk/context.js";
import type { TaskContext } from "../../../runner/sdk/index.js";
import type { ChildMessage, InitMessage } from "../../../runner/sdk/protocol.js";
import * as arrow from "apache-arrow";
import { mapFileAddon } from "../../../runner/sdk/map-file.js";
import { readTableFile, TableFormatError, TableNotFoundError, writeTableFile } from "../../../runner/sdk/tables.js";
import type { TableRecord } from "../../../runner/workspace/records.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A task's ctx in this process, writing into a fresh attempt folder; `sent` collects its messages. */
function attempt(tables: InitMessage["tables"] = {}, extra: Partial<InitMessage> = {}): { ctx: TaskContext; dir: string; sent: ChildMessage[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "dagship-tables-"));
  dirs.push(dir);
  const sent: ChildMessage[] = [];
  const init: InitMessage = {
    type: "init",
    bundle: "",
    module: "tasks/t.ts",
    export: "default",
    params: {},
    job: { name: "demo", run_id: "r-1", env: "dev", attempt: 1 },
    task_key: "t",
    values: {},
    tables,
    attemptDir: dir,
    arrow: "apache-arrow",
    ...extra,
  };
  return { ctx: createContext(init, new AbortController().signal, (m) => sent.push(m)).ctx, dir, sent };
}

/** Writes `table` as task "up"'s table `name` and returns a ctx downstream of it. */
async function handOff(name: string, table: Table): Promise<{ record: TableRecord; file: string; down: TaskContext; sent: ChildMessage[] }> {
  const up = attempt();
  const record = await up.ctx.tables.write(name, table);
  const file = path.join(up.dir, record.path);
  return { record, file, down: attempt({ up: { [name]: file } }).ctx, sent: up.sent };
}

/** Three batches of 1,000, 1 and 2,500 rows: an Int32, a Float64 and a nullable Utf8 column. */
function multiBatch(): Table {
  const batch = (from: number, rows: number) => {
    const ids = Array.from({ length: rows }, (_, i) => from + i);
    return new Table({
      id: vectorFromArray(ids, new Int32()),
      price: vectorFromArray(ids.map((i) => i * 0.5), new Float64()),
      sku: vectorFromArray(ids.map((i) => (i % 7 === 0 ? null : `sku-${i.toString(36)}-é`)), new Utf8()),
    });
  };
  return batch(0, 1000).concat(batch(1000, 1), batch(1001, 2500));
}

describe("ctx.tables.write / read", () => {
  it("round-trips a multi-batch table with string columns and nulls, batch by batch", async () => {
    const table = multiBatch();
    const { record, file, down, sent } = await handOff("orders", table);
    expect(record).toEqual({
      path: "tables/orders.arrow",
      rows: 3501,
      bytes: statSync(file).size,
      schema: [
        { name: "id", type: "Int32" },
        { name: "price", type: "Float64" },
        { name: "sku", type: "Utf8" },
      ],
    });
    expect(sent).toEqual([{ type: "table", name: "orders", record }]);
    const bytes = readFileSync(file);
    expect([bytes.subarray(0, 6).toString(), bytes.subarray(-6).toString()]).toEqual(["ARROW1", "ARROW1"]);
    expect(readdirSync(path.dirname(file))).toEqual(["orders.arrow"]); // no temporary file left behind

    const back = await down.tables.read("up", "orders");
    expect(back).toBeInstanceOf(Table);
    expect(back.batches.map((b) => b.numRows)).toEqual([1000, 1, 2500]);
    expect(back.getChild("id")!.toArray()).toEqual(table.getChild("id")!.toArray());
    expect(back.getChild("price")!.toArray()).toEqual(table.getChild("price")!.toArray());
    expect(back.getChild("sku")!.toArray()).toEqual(table.getChild("sku")!.toArray());
    expect(back.getChild("sku")!.nullCount).toBe(Math.ceil(3501 / 7));
  });

  it("reads columns as views over one buffer holding the file (no copy per column)", async () => {
    const { file, down } = await handOff("orders", multiBatch());
    const back = await down.tables.read("up", "orders");
    const buffers = new Set(back.batches.flatMap((b) => b.data.children.flatMap((d) => [d.values.buffer, d.valueOffsets?.buffer].filter(Boolean))));
    expect(buffers.size).toBe(1);
    expect((buffers.values().next().value as ArrayBuffer).byteLength).toBe(statSync(file).size);
  });

  it("writes the batches of a sliced table from their offsets", async () => {
    const table = multiBatch().slice(998, 1003); // ends of batch 1, all of batch 2, start of batch 3
    const { record, down } = await handOff("slice", table);
    expect(record.rows).toBe(5);
    const back = await down.tables.read("up", "slice");
    expect(Array.from(back.getChild("id")!.toArray() as Int32Array)).toEqual([998, 999, 1000, 1001, 1002]);
    expect(back.getChild("sku")!.toArray()).toEqual(["sku-rq-é", "sku-rr-é", "sku-rs-é", null, "sku-ru-é"]);
  });

  it("round-trips an empty table, keeping its schema", async () => {
    const empty = new Table(new Schema([new Field("id", new Int32()), new Field("sku", new Utf8())]));
    const { record, down } = await handOff("empty", empty);
    expect(record).toMatchObject({ rows: 0, schema: [{ name: "id", type: "Int32" }, { name: "sku", type: "Utf8" }] });
    const back = await down.tables.read("up", "empty");
    expect(back.numRows).toBe(0);
    expect(back.schema.fields.map(String)).toEqual(["id: Int32", "sku: Utf8"]);
    const batches: RecordBatch[] = [];
    for await (const batch of down.tables.batches("up", "empty")) batches.push(batch);
    expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(0);
  });

  it("replaces a table written again under the same name", async () => {
    const { ctx, dir } = attempt();
    await ctx.tables.write("t", tableFromArrays({ x: Float64Array.from([1, 2, 3]) }));
    const second = await ctx.tables.write("t", tableFromArrays({ x: Float64Array.from([4]) }));
    expect(second.rows).toBe(1);
    expect(readdirSync(path.join(dir, "tables"))).toEqual(["t.arrow"]);
  });

  it("refuses what it cannot store: a bad name, a non-table, batches with different dictionaries", async () => {
    const { ctx, dir } = attempt();
    await expect(ctx.tables.write("../x", new Table())).rejects.toThrow(/^tables\.write: invalid name "\.\.\/x"/);
    await expect(ctx.tables.write("x", [{ a: 1 }] as unknown as Table)).rejects.toThrow(new TypeError('tables.write("x"): expected an apache-arrow Table, got Array'));
    // tableFromArrays dictionary-encodes strings: two such tables concatenated carry two dictionaries.
    const two = tableFromArrays({ s: ["a", "b"] }).concat(tableFromArrays({ s: ["c"] }));
    const error = await ctx.tables.write("x", two).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TableFormatError);
    expect((error as Error).message).toMatch(/^cannot write the table as an Arrow IPC file: .*replacement dictionaries/);
    expect(existsSync(path.join(dir, "tables", "x.arrow"))).toBe(false);
  });
});

describe("writeTableFile", () => {
  it("writes many batches and large buffers in slices, flushing as it goes, byte for byte what apache-arrow would; reads them back whole", async () => {
    // 400 batches of 3 columns: well over one writev's worth of chunks; then a 40 MB column, five slices.
    const source = multiBatch();
    const many = new Table(Array.from({ length: 400 }, (_, b) => source.slice(b, b + 5).batches).flat());
    const big = new Table({ x: makeVector(Float64Array.from({ length: 5_000_000 }, (_, i) => i / 3)) });
    for (const table of [many, big]) {
      const dir = mkdtempSync(path.join(tmpdir(), "dagship-tables-"));
      dirs.push(dir);
      const file = path.join(dir, "t.arrow");
      const bytes = await writeTableFile(arrow, file, table, { flushBytes: 1 });
      const written = readFileSync(file);
      expect(bytes).toBe(written.length);
      expect(written.equals(arrow.tableToIPC(table, "file"))).toBe(true);
      const back = await readTableFile(arrow, file); // the 40 MB file in slices read at once
      expect(back.numRows).toBe(table.numRows);
      expect(Buffer.from(back.batches[0]!.data.children[0]!.values.buffer as ArrayBuffer).equals(written)).toBe(true);
    }
  });
});

describe("readTableFile, mapped", () => {
  it("maps the file when the native helper is built (always in CI); the table matches a plain read", async () => {
    if (process.env.CI === "true") expect(mapFileAddon()).not.toBeNull();
    const dir = mkdtempSync(path.join(tmpdir(), "dagship-tables-"));
    dirs.push(dir);
    const file = path.join(dir, "t.arrow");
    const table = multiBatch();
    await writeTableFile(arrow, file, table);
    const mapped = await readTableFile(arrow, file);
    const read = await readTableFile(arrow, file, file, { map: false });
    expect(mapped.toArray().map((r) => r.toJSON())).toEqual(read.toArray().map((r) => r.toJSON()));
    expect(mapped.batches[0]!.data.children[0]!.values.buffer.byteLength).toBe(readFileSync(file).length);
  });

  it("is copy-on-write: writing into a column of a mapped table leaves the file as it was", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dagship-tables-"));
    dirs.push(dir);
    const file = path.join(dir, "t.arrow");
    await writeTableFile(arrow, file, new Table({ x: makeVector(Float64Array.from([1, 2, 3])) }));
    const before = readFileSync(file);
    const column = (await readTableFile(arrow, file)).getChild("x")!.data[0]!.values as Float64Array;
    column[0] = 42;
    expect(column[0]).toBe(42);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect((await readTableFile(arrow, file)).getChild("x")!.get(0)).toBe(1);
  });

  it("reports a missing file as TableNotFoundError and a folder or truncated file as TableFormatError", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dagship-tables-"));
    dirs.push(dir);
    await expect(readTableFile(arrow, path.join(dir, "none.arrow"))).rejects.toBeInstanceOf(TableNotFoundError);
    const file = path.join(dir, "t.arrow");
    await writeTableFile(arrow, file, multiBatch());
    truncateSync(file, 100);
    await expect(readTableFile(arrow, file)).rejects.toBeInstanceOf(TableFormatError);
    if (mapFileAddon()) await expect(readTableFile(arrow, dir)).rejects.toThrow(/not a regular file/);
  });
});

describe("writeTableFile without syncing (a task's tables, synced later by the runner)", () => {
  it("renames the complete file into place, leaving no temporary file, and it reads back", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dagship-tables-"));
    dirs.push(dir);
    const file = path.join(dir, "t.arrow");
    const table = multiBatch();
    const bytes = await writeTableFile(arrow, file, table, { durable: false });
    expect(readFileSync(file).equals(arrow.tableToIPC(table, "file"))).toBe(true);
    expect(bytes).toBe(readFileSync(file).length);
    expect(readdirSync(dir)).toEqual(["t.arrow"]);
    expect((await readTableFile(arrow, file)).numRows).toBe(table.numRows);
  });
});

describe("ctx.tables.batches", () => {
  it("yields the record batches one at a time, in order", async () => {
    const { down } = await handOff("orders", multiBatch());
    const seen: Array<[number, number]> = [];
    for await (const batch of down.tables.batches("up", "orders")) seen.push([batch.numRows, batch.getChild("id")!.get(0) as number]);
    expect(seen).toEqual([[1000, 0], [1, 1000], [2500, 1001]]);
  });

  it("closes the file when the loop breaks early", async () => {
    const { down } = await handOff("orders", multiBatch());
    const fds = () => readdirSync("/proc/self/fd").length;
    const before = fds();
    for await (const batch of down.tables.batches("up", "orders")) {
      expect(batch.numRows).toBe(1000);
      break;
    }
    expect(fds()).toBe(before);
  });
});

describe("missing and broken tables", () => {
  const tables = { up: { orders: "/nowhere/orders.arrow", other: "/nowhere/other.arrow" }, side: {} };

  it("names the tables there are when the task or the table is unknown (read and batches)", async () => {
    const { ctx } = attempt(tables);
    const noTable = await ctx.tables.read("up", "nope").catch((e: unknown) => e);
    expect(noTable).toBeInstanceOf(TableNotFoundError);
    expect((noTable as Error).message).toBe('tables.read("up", "nope"): task "up" wrote no table "nope"; its tables: orders, other');
    await expect(ctx.tables.read("ghost", "orders")).rejects.toThrow('tables.read("ghost", "orders"): no tables from task "ghost"; tasks with tables: up, side');
    await expect(ctx.tables.read("side", "orders")).rejects.toThrow('tables.read("side", "orders"): task "side" wrote no table "orders"; its tables: (none)');
    expect(() => ctx.tables.batches("up", "nope")).toThrow(new TableNotFoundError('tables.batches("up", "nope"): task "up" wrote no table "nope"; its tables: orders, other'));
  });

  it("says so when the table's file is gone", async () => {
    const { file, down } = await handOff("orders", multiBatch());
    unlinkSync(file);
    const where = 'tables.read("up", "orders")';
    await expect(down.tables.read("up", "orders")).rejects.toThrow(new TableNotFoundError(`${where}: the table's file ${file} does not exist (was the run's folder cleaned up?)`));
    const iterate = async () => {
      for await (const _ of down.tables.batches("up", "orders")) void _;
    };
    await expect(iterate()).rejects.toBeInstanceOf(TableNotFoundError);
  });

  it("refuses a truncated or foreign file with TableFormatError", async () => {
    const { file, down } = await handOff("orders", multiBatch());
    truncateSync(file, statSync(file).size - 100);
    await expect(down.tables.read("up", "orders")).rejects.toThrow(/^tables\.read\("up", "orders"\): .* is not an Arrow IPC file \(\d+ bytes, without "ARROW1" at both ends\)/);
    writeFileSync(file, "id,price\n1,2.5\n");
    await expect(down.tables.read("up", "orders")).rejects.toBeInstanceOf(TableFormatError);
    const iterate = async () => {
      for await (const _ of down.tables.batches("up", "orders")) void _;
    };
    await expect(iterate()).rejects.toThrow(/^tables\.batches\("up", "orders"\): .* is not an Arrow IPC file \(it does not start with "ARROW1"\)/);
    await expect(readTableFile({} as typeof import("apache-arrow"), file)).rejects.toThrow(TableFormatError);
  });
});

describe("secrets in tables", () => {
  const SECRET = "tbl-s3cr3t-Ω-value";
  const withSecret = (fn: () => Promise<void>) => async () => {
    process.env.DAGSHIP_TABLES_TEST_SECRET = `${SECRET}\nsecond-line-of-it`;
    try {
      await fn();
    } finally {
      delete process.env.DAGSHIP_TABLES_TEST_SECRET;
    }
  };
  const refused = async (table: Table) => {
    const { ctx, dir } = attempt({}, { secret_env: ["DAGSHIP_TABLES_TEST_SECRET"] });
    const error = await ctx.tables.write("t", table).then(() => undefined, (e: Error) => e);
    expect(error?.name).toBe("TableSecretError");
    expect(error?.message).toContain('tables.write("t"): the table holds the value of the secret DAGSHIP_TABLES_TEST_SECRET');
    expect(error?.message).not.toContain(SECRET);
    // Nothing of it reached the disk, not even a temporary file.
    expect(existsSync(path.join(dir, "tables")) ? readdirSync(path.join(dir, "tables")) : []).toEqual([]);
  };

  it(
    "a secret in a column's values, a column name, the schema's or a field's metadata, or one line of it, is refused",
    withSecret(async () => {
      await refused(tableFromArrays({ who: ["a", `token ${SECRET} here`] }));
      await refused(tableFromArrays({ [`col ${SECRET}`]: Float64Array.from([1]) }));
      const meta = tableFromArrays({ x: Float64Array.from([1]) });
      meta.schema.metadata.set("origin", SECRET);
      await refused(meta);
      const field = tableFromArrays({ x: Float64Array.from([1]) });
      field.schema.fields[0]!.metadata.set("note", "second-line-of-it");
      await refused(field);
    }),
  );

  it(
    "a table without the secret is written as usual, and without secret_env nothing is checked",
    withSecret(async () => {
      const { ctx } = attempt({}, { secret_env: ["DAGSHIP_TABLES_TEST_SECRET"] });
      expect((await ctx.tables.write("clean", tableFromArrays({ who: ["a", "b"] }))).rows).toBe(2);
      expect((await attempt().ctx.tables.write("t", tableFromArrays({ who: [SECRET] }))).rows).toBe(1);
    }),
  );
});

describe("names that are Object.prototype members", () => {
  it("are not found as upstream tables or values, and __proto__ is not a name", async () => {
    const { ctx } = attempt({ up: { t: "/nowhere/t.arrow" } }, { values: { up: { v: 1 } } });
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      await expect(ctx.tables.read(name, "t")).rejects.toThrow(/no tables from task/);
      await expect(ctx.tables.read("up", name)).rejects.toThrow(/wrote no table/);
      expect(() => ctx.values.get(name, "v")).toThrow(/no values from task/);
      expect(() => ctx.values.get("up", name)).toThrow(/has no value/);
    }
    expect(() => ctx.values.set("__proto__", 1)).toThrow(/invalid name/);
    await expect(ctx.tables.write("__proto__", tableFromArrays({ x: Float64Array.from([1]) }))).rejects.toThrow(/invalid name/);
  });
});
