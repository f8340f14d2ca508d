import { spawnSync } from "node:child_process";
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { describeSample, FigureError, format, median, sample, seconds, type Benchmark } from "../harness.js";
import { runDir, runJob, runnerRepository, writeRunnerJob, type RunnerRepo } from "../runner-repo.js";
import { mapFileAddon } from "../../runner/sdk/map-file.js";

const ROWS = 10_000_000;
const TABLE = "orders";

/**
 * The `write` task: builds a ROWS-row table of 3 numeric columns (id Int32, price and score
 * Float64) and one string column (sku: "sku-" + 1–4 base-36 digits, 5–8 bytes) straight from
 * typed arrays (no 10-million-element JS string array), then times `ctx.tables.write` alone.
 */
const WRITE_TASK = `import { Table, Utf8, makeData, makeVector } from "apache-arrow";

export default async (ctx: { params: Record<string, unknown>; tables: { write(name: string, table: unknown): Promise<unknown> }; values: { set(name: string, value: unknown): void } }) => {
  const n = Number(ctx.params.rows);
  const started = performance.now();
  const id = new Int32Array(n);
  const price = new Float64Array(n);
  const score = new Float64Array(n);
  const offsets = new Int32Array(n + 1);
  const chars = new Uint8Array(n * 8);
  const digits = new Uint8Array(8);
  let o = 0;
  for (let i = 0; i < n; i++) {
    id[i] = i;
    price[i] = i * 0.25;
    score[i] = (i % 1000) / 8;
    offsets[i] = o;
    chars[o++] = 115; chars[o++] = 107; chars[o++] = 117; chars[o++] = 45; // "sku-"
    let v = (i * 7919) % 1000000;
    let d = 0;
    do {
      const r = v % 36;
      digits[d++] = r < 10 ? 48 + r : 87 + r;
      v = Math.floor(v / 36);
    } while (v > 0);
    while (d > 0) chars[o++] = digits[--d]!;
  }
  offsets[n] = o;
  const sku = makeVector(makeData({ type: new Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data: chars.subarray(0, o) }));
  const table = new Table({ id: makeVector(id), price: makeVector(price), score: makeVector(score), sku });
  const built = performance.now();
  await ctx.tables.write("${TABLE}", table);
  const written = performance.now();
  ctx.values.set("build_ms", built - started);
  ctx.values.set("write_ms", written - built);
};
`;

/**
 * The `read` task: imports apache-arrow itself, as a consumer of a table would (so loading the
 * library, ~80 ms, is not part of `tables.read`: the SDK's own import of it hits the module
 * cache), times `ctx.tables.read` alone, then touches every batch (sums the price column, counts
 * the sku bytes) and reports what it saw for the bench to check.
 */
const READ_TASK = `import { Table } from "apache-arrow";

export default async (ctx: { tables: { read(task: string, name: string): Promise<any> }; values: { set(name: string, value: unknown): void } }) => {
  const started = performance.now();
  const table = await ctx.tables.read("write", "${TABLE}");
  const read = performance.now();
  let rows = 0;
  let priceSum = 0;
  let skuBytes = 0;
  for (const batch of table.batches) {
    const price = batch.getChild("price").toArray() as Float64Array;
    for (let i = 0; i < price.length; i++) priceSum += price[i]!;
    // The offsets buffer read back is padded to 8 bytes: index by the data's own offset and length.
    const sku = batch.getChild("sku").data[0];
    const offsets = sku.valueOffsets as Int32Array;
    skuBytes += offsets[sku.offset + sku.length]! - offsets[sku.offset]!;
    rows += batch.numRows;
  }
  const touched = performance.now();
  ctx.values.set("read_ms", read - started);
  ctx.values.set("touch_ms", touched - read);
  ctx.values.set("rows", rows);
  ctx.values.set("batches", table.batches.length);
  ctx.values.set("price_sum", priceSum);
  ctx.values.set("sku_bytes", skuBytes);
  ctx.values.set("last_sku", table.getChild("sku").get(rows - 1));
  ctx.values.set("same_arrow", table instanceof Table);
};
`;

/** What the read task must see: computed here the same way the write task builds the table. */
function expected(n: number): { priceSum: number; skuBytes: number; lastSku: string } {
  let skuBytes = 0;
  for (let i = 0; i < n; i++) {
    const v = (i * 7919) % 1000000;
    skuBytes += 4 + (v < 36 ? 1 : v < 36 ** 2 ? 2 : v < 36 ** 3 ? 3 : 4);
  }
  const lastSku = `sku-${(((n - 1) * 7919) % 1000000).toString(36)}`;
  return { priceSum: (0.25 * n * (n - 1)) / 2, skuBytes, lastSku };
}

/**
 * The same bytes through the same system calls in plain Node, in fresh processes like the tasks:
 * one process holds the file's bytes in memory (read first, not timed) and writes them to a new
 * file (write + fsync + rename, timed), a second one reads that file into one fresh buffer
 * (timed). What the handoff costs without apache-arrow and the SDK, written the plain way (one
 * fsync at the end; tables.write flushes as it writes, which is why it can beat this): the table
 * goes through the page cache twice and is made durable once.
 */
const SYSCALLS = `
const fs = require("node:fs");
const [mode, from, to] = process.argv.slice(1);
if (mode === "write") {
  const bytes = fs.readFileSync(from);
  const start = performance.now();
  const fd = fs.openSync(to + ".tmp", "w");
  for (let o = 0; o < bytes.length; ) o += fs.writeSync(fd, bytes, o);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(to + ".tmp", to);
  console.log(performance.now() - start);
} else {
  const start = performance.now();
  const fd = fs.openSync(from, "r");
  const size = fs.fstatSync(fd).size;
  const buffer = Buffer.allocUnsafeSlow(size);
  for (let o = 0; o < size; ) o += fs.readSync(fd, buffer, o, size - o, o);
  fs.closeSync(fd);
  console.log(performance.now() - start);
}
`;

/** Milliseconds one SYSCALLS phase reports. */
function syscallPhase(mode: "write" | "read", from: string, to = ""): number {
  const r = spawnSync(process.execPath, ["-e", SYSCALLS, mode, from, to], { encoding: "utf8" });
  const ms = Number(r.stdout.trim());
  if (r.error || r.status !== 0 || !Number.isFinite(ms)) throw new FigureError(`the plain-Node ${mode} of ${from} failed: ${r.error?.message ?? r.stderr}`);
  return ms;
}

/**
 * table_handoff_10m: handing a 10,000,000-row Arrow table from one task to the next. The job
 * `handoff` has two tasks in their own processes: `write` builds the table (not timed: making
 * the data is the producer's work, not the handoff) and calls `ctx.tables.write`; `read` calls
 * `ctx.tables.read`, then touches every batch. The figure is the time spent inside those two
 * calls (performance.now() in the tasks, reported through ctx.values): the writer persisting the
 * table it holds (streaming its batches to a temporary file renamed into place; the runner fsyncs
 * it once the task has ended, while the read task starts, before the run record may say the task
 * succeeded) plus the reader getting it (mapping the file into memory, or reading it without the
 * native helper, and building the Table over it). `tables.read` is eager: the batches it returns
 * are mapped in, so touching them (reported, not counted) does no I/O. Not counted
 * either: starting the two task processes (the runner's per-task cost, see run_task_overhead).
 * The floor: `cp` of the very .arrow file written (same bytes) to a new file in the same folder,
 * warm: the file was just written and read, so it is in the page cache for `cp` as it was for
 * `read`. The notes add the same bytes through the same system calls in plain Node (see
 * SYSCALLS), which tells the SDK's own cost from the machine's. Every run's outcome is checked
 * (rows, a column sum, the string bytes, the last string); each run's folder is removed before
 * the next run starts (the last is kept for the floors), as each cp's previous copy is removed
 * before it: on a VM whose free memory goes back to the host (Firecracker here), writing 320 MB
 * into pages the kernel has not just freed costs up to 10× more, the same for any writer.
 */
export const tableHandoff: Benchmark = {
  figures: ["table_handoff_10m"],
  async run(ctx) {
    const repo: RunnerRepo = runnerRepository(ctx.tempDir());
    writeRunnerJob(repo, "handoff", {
      name: "handoff",
      parameters: [{ name: "rows", default: String(ROWS) }],
      tasks: [
        { task_key: "write", ts_task: { module: "tasks/write.ts", parameters: { rows: "{{job.parameters.rows}}" } } },
        { task_key: "read", depends_on: [{ task_key: "write" }], ts_task: { module: "tasks/read.ts" } },
      ],
    });
    mkdirSync(path.join(repo.root, "jobs", "handoff", "tasks"), { recursive: true });
    writeFileSync(path.join(repo.root, "jobs", "handoff", "tasks", "write.ts"), WRITE_TASK);
    writeFileSync(path.join(repo.root, "jobs", "handoff", "tasks", "read.ts"), READ_TASK);
    const want = expected(ROWS);

    const parts: Array<{ write: number; read: number; touch: number; build: number; run: number }> = [];
    let file = "";
    let bytes = 0;
    let previous: string | undefined;
    let sameArrow = true;
    const sampling = ctx.sampling("slow");
    const handoff = await sample(`table_handoff_10m: write + read of ${ROWS.toLocaleString("en-US")} rows`, sampling, async () => {
      // The previous run's folder goes first, as the floor's previous copy does before each cp:
      // both then write into memory the kernel has just freed (see the notes).
      if (previous) rmSync(previous, { recursive: true, force: true });
      const r = await runJob(repo, "handoff", 2, { extra: ["--concurrency", "1"] });
      const w = r.record.tasks.write!;
      const rd = r.record.tasks.read!;
      const v = rd.values as Record<string, unknown>;
      const problems: string[] = [];
      if (v.rows !== ROWS) problems.push(`rows ${String(v.rows)} (expected ${ROWS})`);
      if (v.price_sum !== want.priceSum) problems.push(`price sum ${String(v.price_sum)} (expected ${want.priceSum})`);
      if (v.sku_bytes !== want.skuBytes) problems.push(`sku bytes ${String(v.sku_bytes)} (expected ${want.skuBytes})`);
      if (v.last_sku !== want.lastSku) problems.push(`last sku ${JSON.stringify(v.last_sku)} (expected ${JSON.stringify(want.lastSku)})`);
      const table = w.tables[TABLE];
      if (!table) problems.push(`the write task recorded no table "${TABLE}"`);
      if (problems.length > 0) throw new FigureError(`the read task did not see the table the write task wrote: ${problems.join("; ")}`);
      const dir = runDir(repo, r.record.run_id);
      file = path.join(dir, table!.path);
      bytes = statSync(file).size;
      if (bytes !== table!.bytes) throw new FigureError(`${file} has ${bytes} bytes; the run record says ${table!.bytes}`);
      sameArrow = v.same_arrow === true;
      const ms = (x: unknown) => (typeof x === "number" ? x : Number.NaN);
      const part = { write: ms(w.values.write_ms), read: ms(v.read_ms), touch: ms(v.touch_ms), build: ms(w.values.build_ms), run: r.seconds * 1000 };
      parts.push(part);
      previous = dir;
      return (part.write + part.read) / 1000;
    });

    // The floor: cp of the same file, warm (it was just written and read).
    const copy = path.join(path.dirname(file), "copy.arrow");
    const cp = await sample("table_handoff_10m: floor cp of the .arrow file", ctx.sampling("fast"), () => {
      rmSync(copy, { force: true });
      const start = performance.now();
      const r = spawnSync("cp", [file, copy], { encoding: "utf8" });
      const s = (performance.now() - start) / 1000;
      if (r.error || r.status !== 0) throw new FigureError(`cp ${file} ${copy} failed: ${r.error?.message ?? r.stderr}`);
      return s;
    });
    // For the notes: the same copy made durable, as tables.write makes its file (fsync).
    const cpSync = await sample("table_handoff_10m: cp + fsync of the copy (notes only)", { warmup: 0, runs: 3 }, () => {
      rmSync(copy, { force: true });
      const start = performance.now();
      const r = spawnSync("cp", [file, copy], { encoding: "utf8" });
      if (r.error || r.status !== 0) throw new FigureError(`cp ${file} ${copy} failed: ${r.error?.message ?? r.stderr}`);
      const fd = openSync(copy, "r");
      fsyncSync(fd);
      closeSync(fd);
      return (performance.now() - start) / 1000;
    });
    rmSync(copy, { force: true });
    // For the notes: the handoff's system calls alone, in plain Node.
    const plain: Array<{ write: number; read: number }> = [];
    await sample("table_handoff_10m: the same bytes written + read by plain Node (notes only)", { warmup: 0, runs: 3 }, () => {
      rmSync(copy, { force: true });
      const write = syscallPhase("write", file, copy);
      const read = syscallPhase("read", copy);
      plain.push({ write, read });
      return (write + read) / 1000;
    });
    rmSync(copy, { force: true });

    const measured = parts.slice(sampling.warmup);
    const med = (pick: (p: (typeof parts)[number]) => number) => format(median(measured.map(pick)));
    return {
      table_handoff_10m: {
        value: handoff.median,
        unit: "s",
        floor: cp.median,
        ratio: handoff.median / cp.median,
        goal: { of: "ratio", op: "≤", limit: 3, text: "ratio ≤ 3" },
        notes: [
          `handoff = time inside ctx.tables.write (write task) + ctx.tables.read (read task), ${describeSample(handoff)}`,
          `per run, tables.write + tables.read: ${measured.map((p) => `${format(p.write)} + ${format(p.read)}`).join(", ")} ms`,
          `medians: tables.write ${med((p) => p.write)} ms, tables.read ${med((p) => p.read)} ms; not counted: building the table ${med((p) => p.build)} ms, touching every batch after the read ${med((p) => p.touch)} ms, the whole \`dagship run handoff\` ${med((p) => p.run)} ms`,
          `the table read is ${sameArrow ? "" : "NOT "}an instance of the read task's own apache-arrow Table (${sameArrow ? "one module instance: loading apache-arrow is not in tables.read" : "two module instances: tables.read loaded apache-arrow again"})`,
          `the file: ${format(bytes / 1e6)} MB (${ROWS.toLocaleString("en-US")} rows × id Int32, price Float64, score Float64, sku Utf8 of 5–8 bytes), Arrow IPC file format, one record batch; tables.write streams the batches' own buffers to it (no copy in memory), the runner fsyncs it after the write task ends (in \`dagship run\`'s time, not in tables.write's), tables.read ${mapFileAddon() ? "maps it into memory (the native helper is built)" : "reads it into one buffer (the native helper is NOT built)"} and the columns are views over it`,
          `floor cp of that file to a new file in the same folder, page cache warm for both: ${describeSample(cp)}; before each run and each cp the previous output is deleted, so both write into memory just freed`,
          `cp + fsync of the copy (what the runner's fsync adds, off the handoff's path): ${seconds(cpSync.median)}, ${describeSample(cpSync)}`,
          `the same bytes in plain Node, fresh processes (write from memory + fsync + rename, then read into one new buffer, as the SDK did before): ${plain.map((p) => `${format(p.write)} + ${format(p.read)}`).join(", ")} ms; median ${format(median(plain.map((p) => p.write + p.read)))} ms`,
        ],
      },
    };
  },
};
