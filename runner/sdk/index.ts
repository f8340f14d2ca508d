/**
 * The Task SDK: what a task module imports (`import { defineTask } from "dagship"`). This module
 * is bundled into every task, so it holds types and one tiny function, and imports nothing at run
 * time (apache-arrow and onnxruntime-node are only referenced as types; the child loads them when
 * a task uses tables or models).
 */
import type { RecordBatch, Table } from "apache-arrow";
import type { InferenceSession } from "onnxruntime-node";
import type { GateDecisionInput } from "../models/record-gate.js";
import type { GateRecord, Json, ModelVersionMeta } from "../models/types.js";
import type { TableRecord } from "../workspace/records.js";

export type { RecordBatch, Table } from "apache-arrow";
export type { InferenceSession } from "onnxruntime-node";
export type { EvaluationDataset, EvaluationModel, Evaluator, Metrics } from "../models/evaluate.js";
export type { GateRecord, InputTable, Json, Lineage, ModelVersionMeta } from "../models/types.js";
export type { GateDecisionInput } from "../models/record-gate.js";
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
 * be stored in the Arrow IPC file format or a file is not one; `TableSecretError` when it holds the
 * value of one of the environment's secrets (in values, column names or metadata: it is not
 * written); `TypeError` for a bad name or a
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
   * Reads a table an upstream task wrote, whole: the file is read into one buffer, the columns are
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

/**
 * A new model version, as a task hands it to {@link TaskModels.register}.
 *
 * @example
 * ```ts
 * const version: NewModelVersion = { onnx, featurizer: config, metrics: { auc: 0.93 }, params: { l2: 1, seed: 7 }, inputs: [{ task_key: "ingest", name: "reviews" }] };
 * ```
 */
export interface NewModelVersion {
  /** The ONNX model's bytes. */
  onnx: Uint8Array;
  /** What scoring needs to build the model's input from raw data (stored in the version's meta). */
  featurizer?: Json;
  /** Metric name → finite number, e.g. `{ auc: 0.93, accuracy: 0.87 }`. */
  metrics: Record<string, number>;
  /** Training parameters, as JSON. */
  params?: Record<string, Json>;
  /** Further files of the version: relative path → content. */
  files?: Record<string, Uint8Array | string>;
  /**
   * Upstream tables the version was made from that this task did not read itself (e.g. the
   * training data, when this task only reads the trained weights). They join the tables the task
   * read through `ctx.tables` in the lineage's `input_tables`, each with the sha256 of its file.
   */
  inputs?: Array<{ task_key: string; name: string }>;
}

/** A loaded model version: an onnxruntime-node session on its verified `model.onnx`, and its meta. */
export interface LoadedModel {
  session: InferenceSession;
  meta: ModelVersionMeta;
  /** The featurizer config stored with the version (`meta.featurizer`; null if none). */
  featurizer: Json;
  /** Absolute path of the version's `model.onnx`. */
  onnx: string;
  /** The version's further files: relative path → absolute path. */
  files: Record<string, string>;
}

/**
 * The model registry of the run's environment (`<workspace>/models`): register versions with
 * their lineage filled in by dagship, load them as onnxruntime-node sessions, move aliases.
 * The registry code and onnxruntime-node are loaded on first use only.
 *
 * Errors carry a `code` (see docs/errors.md): `DS2017` no such model, version or alias;
 * `DS2018` a version whose files fail their checksums; `DS2016` a bad name; `DS2023` an alias
 * that moved meanwhile (`setAlias` with `expect`); `DS2022` the registry stayed locked.
 *
 * @example
 * ```ts
 * const meta = await ctx.models.register("reviews", { onnx, featurizer, metrics: { auc }, params });
 * const { champion } = await ctx.models.aliases("reviews");
 * if (champion !== undefined) {
 *   const { session, featurizer } = await ctx.models.load("reviews", { alias: "champion" });
 * }
 * await ctx.models.setAlias("reviews", "champion", meta.version, { reason: "gate passed", expect: champion ?? null });
 * ```
 */
export interface TaskModels {
  /**
   * Registers a new, immutable version of model `name` (1, 2, 3, ...) and returns its meta. The
   * lineage is filled in by dagship: env, job, run, task, deployment (for a run of a deployment),
   * git sha, and the tables this task read plus `inputs`, each with the sha256 of its Arrow file.
   */
  register(name: string, version: NewModelVersion): Promise<ModelVersionMeta>;
  /**
   * Loads a version — by number or by alias — verified against its checksums, as an
   * onnxruntime-node `InferenceSession` (options as `InferenceSession.create` takes them).
   */
  load(name: string, ref: { alias: string } | { version: number }, options?: { session?: InferenceSession.SessionOptions }): Promise<LoadedModel>;
  /** Every version's meta, oldest first (as recorded; `load` verifies the files). Empty for a model with no versions. */
  versions(name: string): Promise<ModelVersionMeta[]>;
  /** The model's aliases (alias → version); empty for a model with none or no versions yet. */
  aliases(name: string): Promise<Record<string, number>>;
  /**
   * Points `alias` at `version` and records the move, with `reason` and this run, in the audit
   * log. With `expect` (a version, or null for "unset"), moves only if the alias still names it,
   * else throws (`DS2023`) and changes nothing. Not part of the original contract: it is how a
   * retrain's promote task moves `champion`.
   */
  setAlias(name: string, alias: string, version: number, options?: { reason?: string; expect?: number | null }): Promise<{ alias: string; from: number | null; to: number | null }>;
  /**
   * Records a gate decision on `decision.version` (passed or not) in the audit log as a `gate`
   * entry with this run, as `dagship models promote` records its own: what the new version was
   * compared with and why it passed or not. It moves nothing (`setAlias` does); a malformed
   * decision is `DS2030`. Not part of the original contract: it is how a retrain keeps every
   * gate decision in the registry, including the ones that keep the champion.
   *
   * @example
   * ```ts
   * await ctx.models.recordGate("reviews", { version: 4, metric: "auc", greater_is_better: true, min_delta: 0.001, dataset: "eval",
   *   challenger: 0.93, champion: 0.92, champion_version: 3, threshold: 0.921, bootstrap: false, passed: true,
   *   reason: "auc +0.01", challenger_metrics: { auc: 0.93 }, champion_metrics: { auc: 0.92 } });
   * ```
   */
  recordGate(name: string, decision: GateDecisionInput): Promise<GateRecord>;
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
  /** The environment's model registry. */
  models: TaskModels;
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
