/**
 * The Task SDK: what a task module imports (`import { defineTask } from "dagship"`). This module
 * is bundled into every task, so it holds types and one tiny function, and imports nothing at run
 * time (apache-arrow is only referenced as a type; the child loads it when a task uses tables).
 */
import type { RecordBatch, Table } from "apache-arrow";
import type { TableRecord } from "../workspace/records.js";

export type { RecordBatch, Table } from "apache-arrow";
export type { TableRecord } from "../workspace/records.js";

/** The job run an attempt belongs to. */
export interface TaskJob {
  /** The job's name. */
  name: string;
  /** The run's id. */
  run_id: string;
  /** The environment the run belongs to (e.g. `dev`). */
  env: string;
  /** The attempt number: 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
}

/** Small JSON results of tasks (≤ 48 KiB serialized each), for downstream tasks and conditions. */
export interface TaskValues {
  /**
   * Publishes a JSON value under `name` (`^[A-Za-z0-9_.-]{1,128}$`). Throws at once when the value
   * is not plain JSON (undefined, NaN, Map, Date, a cycle, ...) or is over 48 KiB serialized.
   */
  set(name: string, value: unknown): void;
  /** A value published by an upstream task; throws, listing what exists, when there is none. */
  get<T = unknown>(task_key: string, name: string): T;
}

/**
 * Arrow tables handed from task to task, stored as Arrow IPC files in the run's folder
 * (`tables/<name>.arrow` in the attempt's folder) and recorded in the run with their rows, size
 * and schema. No JSON on the way: the writer streams the table's record batches to the file, the
 * reader gets record batches back (views over the file's bytes).
 *
 * Errors (their `name`): `TableNotFoundError` when the upstream task wrote no such table (the
 * message lists the tables there are) or its file is gone; `TableFormatError` when a table cannot
 * be stored in the Arrow IPC file format or a file is not one; `TypeError` for a bad name or a
 * value that is not an apache-arrow Table.
 *
 * @example
 * ```ts
 * import { tableFromArrays } from "apache-arrow";
 * import { defineTask } from "dagship";
 *
 * // in task "prep"
 * export const prep = defineTask({
 *   async run(ctx) {
 *     const table = tableFromArrays({ id: Int32Array.from([1, 2, 3]), price: Float64Array.from([9.5, 3, 7.25]) });
 *     await ctx.tables.write("orders", table); // → { path: "tables/orders.arrow", rows: 3, bytes, schema }
 *   },
 * });
 *
 * // in a task that depends on "prep"
 * export const total = defineTask({
 *   async run(ctx) {
 *     const orders = await ctx.tables.read("prep", "orders");
 *     const price = orders.getChild("price")!.toArray() as Float64Array; // no copy: a view of the file's bytes
 *     ctx.values.set("total", price.reduce((a, b) => a + b, 0));
 *   },
 * });
 * ```
 */
export interface TaskTables {
  /**
   * Writes `table` as an Arrow IPC file, atomically and durably (fsync'ed, then renamed into
   * place), and returns its record. The batches stream to the file as they are: the table is not
   * copied in memory. A name is 1–128 characters of `A–Z a–z 0–9 _ . -`; writing a name again
   * replaces the table.
   */
  write(name: string, table: Table): Promise<TableRecord>;
  /**
   * Reads a table an upstream task wrote, whole: one read of the file into memory, columns as
   * views over it (record batches as written, not JSON). For tables larger than memory use
   * {@link TaskTables.batches}.
   */
  read(task_key: string, name: string): Promise<Table>;
  /**
   * Reads a table an upstream task wrote one record batch at a time, each from the file when the
   * loop asks for it. Throws `TableNotFoundError` at once when there is no such table.
   *
   * @example
   * ```ts
   * let rows = 0;
   * for await (const batch of ctx.tables.batches("prep", "orders")) rows += batch.numRows;
   * ```
   */
  batches(task_key: string, name: string): AsyncIterable<RecordBatch>;
}

/** Log lines, timestamped, kept in the attempt's log and shown live. Arguments as `console.log`. */
export interface TaskLogger {
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

/**
 * What a task receives: its parameters, the job run, values and tables of upstream tasks, a
 * logger, a progress reporter and a signal that aborts on cancel or timeout.
 */
export interface TaskContext<P = Record<string, unknown>> {
  /** The task's parameters, with run-time references resolved. */
  params: P;
  job: TaskJob;
  values: TaskValues;
  tables: TaskTables;
  log: TaskLogger;
  /** Reports progress: `fraction` between 0 and 1 (throttled to a few updates a second). */
  progress(fraction: number, message?: string): void;
  /**
   * Aborted when the run is canceled or the attempt times out. The task then has a grace period
   * (1 s) to stop before its whole process group is killed.
   */
  signal: AbortSignal;
}

/** A task's body: returns nothing, or a JSON result that is published as the value `result`. */
export type TaskFunction<P = Record<string, unknown>, R = unknown> = (ctx: TaskContext<P>) => R | Promise<R>;

/** A task definition, as returned by {@link defineTask}. */
export interface TaskDefinition<P = Record<string, unknown>, R = unknown> {
  /** Runs one attempt. Throwing (or rejecting) fails the attempt with the error's message and stack. */
  run: TaskFunction<P, R>;
  /** Shown in `dagship status` and reports. */
  description?: string;
}

/**
 * Defines a task. The module's export (default unless the job names another) is either this or a
 * plain `async (ctx) => result` function.
 *
 * @example
 * ```ts
 * import { defineTask } from "dagship";
 *
 * export default defineTask<{ rows: string }>({
 *   async run(ctx) {
 *     ctx.log.info("generating %s rows", ctx.params.rows);
 *     ctx.values.set("rows", Number(ctx.params.rows));
 *   },
 * });
 * ```
 */
export function defineTask<P = Record<string, unknown>, R = unknown>(definition: TaskDefinition<P, R>): TaskDefinition<P, R> {
  if (typeof definition?.run !== "function") throw new TypeError("defineTask: expected an object with a run(ctx) function");
  return definition;
}
