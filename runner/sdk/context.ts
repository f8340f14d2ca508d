/**
 * The `ctx` a task receives, as built in the attempt's child process. Values, tables, log lines
 * and progress go to the parent as messages; apache-arrow is imported only when a task uses
 * `ctx.tables`, the model registry and onnxruntime-node only when it uses `ctx.models`.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { format } from "node:util";
import type { Table } from "apache-arrow";
import type { TableRecord } from "../workspace/records.js";
import { checkName, serializeValue } from "./checks.js";
import type { TaskContext } from "./index.js";
import { createModels, type TableReads } from "./models.js";
import type { ChildMessage, InitMessage } from "./protocol.js";
import { readTableBatches, readTableFile, TableNotFoundError, writeTableFile, type SecretPattern } from "./tables.js";

/** Sends one message to the parent. */
export type Send = (message: ChildMessage) => void;

type Arrow = typeof import("apache-arrow");

const PROGRESS_INTERVAL_MS = 200;

/** The context plus `flush()`, which sends the last throttled progress update. */
export interface ChildContext {
  ctx: TaskContext;
  flush(): void;
}

/** Builds the task's context for one attempt. */
export function createContext(init: InitMessage, signal: AbortSignal, send: Send): ChildContext {
  let arrow: Promise<Arrow> | undefined;
  const loadArrow = () => (arrow ??= import(init.arrow) as Promise<Arrow>);
  const log = (level: "info" | "warn" | "error") => (message: string, ...args: unknown[]) =>
    send({ type: "log", level, message: format(message, ...args), at: new Date().toISOString() });

  let lastProgress = 0;
  let pending: ChildMessage | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending) send(pending);
    pending = undefined;
    lastProgress = Date.now();
  };

  // The tables this attempt read: the lineage of a model it registers.
  const reads: TableReads = new Map();
  const readFile = (task_key: string, name: string, where: string) => {
    const file = tableFile(init.tables, task_key, name, where);
    reads.set(`${task_key}/${name}`, file);
    return file;
  };

  const ctx: TaskContext = {
    params: init.params,
    job: { ...init.job },
    signal,
    log: { info: log("info"), warn: log("warn"), error: log("error") },
    progress(fraction, message) {
      if (typeof fraction !== "number" || !(fraction >= 0 && fraction <= 1)) {
        throw new RangeError(`progress(fraction): expected a number from 0 to 1, got ${String(fraction)}`);
      }
      pending = { type: "progress", fraction, at: new Date().toISOString(), ...(message === undefined ? {} : { message: String(message) }) };
      const wait = lastProgress + PROGRESS_INTERVAL_MS - Date.now();
      if (wait <= 0 || fraction === 1) flush();
      else timer ??= setTimeout(flush, wait).unref();
    },
    values: {
      set(name, value) {
        checkName("values.set", name);
        send({ type: "value", name, value: JSON.parse(serializeValue(name, value)) as unknown });
      },
      get<T>(task_key: string, name: string): T {
        // Own keys only: "constructor" or "toString" must not find Object.prototype's.
        const values = Object.hasOwn(init.values, task_key) ? init.values[task_key] : undefined;
        if (!values) {
          const known = Object.keys(init.values).filter((k) => Object.keys(init.values[k] ?? {}).length > 0);
          throw new Error(
            `values.get(${JSON.stringify(task_key)}, ${JSON.stringify(name)}): no values from task "${task_key}"` +
              `; tasks with values: ${known.length ? known.join(", ") : "(none)"} (only tasks that finished before this one count)`,
          );
        }
        if (!Object.hasOwn(values, name)) {
          const names = Object.keys(values);
          throw new Error(
            `values.get(${JSON.stringify(task_key)}, ${JSON.stringify(name)}): task "${task_key}" has no value "${name}"; ` +
              `its values: ${names.length ? names.join(", ") : "(none)"}`,
          );
        }
        return structuredClone(values[name]) as T;
      },
    },
    tables: {
      async write(name, table) {
        checkName("tables.write", name);
        const where = `tables.write(${JSON.stringify(name)})`;
        if (!isTable(table)) throw new TypeError(`${where}: expected an apache-arrow Table, got ${kindOf(table)}`);
        const arrow = await loadArrow();
        if (!(table instanceof arrow.Table)) {
          throw new TypeError(`${where}: the table was made by another copy of apache-arrow than the one this task imports (${init.arrow}); build it with the task's own apache-arrow`);
        }
        const rel = `tables/${name}.arrow`;
        mkdirSync(path.join(init.attemptDir, "tables"), { recursive: true });
        // Not synced here: the runner syncs the file once the attempt has ended (see
        // executors/flushes.ts) while the tasks that read it already start.
        const bytes = await writeTableFile(arrow, path.join(init.attemptDir, rel), table, { durable: false, secrets: secretPatterns(init) }).catch((error: Error) => {
          if (error.name === "TableSecretError") error.message = `${where}: ${error.message}`;
          throw error;
        });
        const record: TableRecord = {
          path: rel,
          rows: table.numRows,
          bytes,
          schema: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) })),
        };
        send({ type: "table", name, record });
        return record;
      },
      async read(task_key, name) {
        const where = `tables.read(${JSON.stringify(task_key)}, ${JSON.stringify(name)})`;
        const file = readFile(task_key, name, where);
        return readTableFile(await loadArrow(), file, where);
      },
      batches(task_key, name) {
        const where = `tables.batches(${JSON.stringify(task_key)}, ${JSON.stringify(name)})`;
        const file = readFile(task_key, name, where);
        return (async function* () {
          yield* readTableBatches(await loadArrow(), file, where);
        })();
      },
    },
    models: createModels(init, reads, (task_key, name, where) => tableFile(init.tables, task_key, name, where)),
  };
  return { ctx, flush };
}

/** The file of an upstream table, or a TableNotFoundError listing what there is. */
function tableFile(tables: InitMessage["tables"], task_key: string, name: string, where: string): string {
  // Own keys only: "constructor" or "toString" must not find Object.prototype's.
  const have = Object.hasOwn(tables, task_key) ? tables[task_key] : undefined;
  const file = have && Object.hasOwn(have, name) ? have[name] : undefined;
  if (file !== undefined) return file;
  throw new TableNotFoundError(
    have
      ? `${where}: task "${task_key}" wrote no table "${name}"; its tables: ${Object.keys(have).join(", ") || "(none)"}`
      : `${where}: no tables from task "${task_key}"; tasks with tables: ${Object.keys(tables).join(", ") || "(none)"}`,
  );
}

function isTable(value: unknown): value is Table {
  const t = value as Partial<Table> | null;
  return typeof t === "object" && t !== null && typeof t.numRows === "number" && Array.isArray(t.batches) && typeof t.schema === "object";
}

function kindOf(value: unknown): string {
  if (value === null || typeof value !== "object") return String(value === null ? "null" : typeof value);
  return (value as object).constructor?.name ?? "an object";
}

/** The secrets a table must not hold: each whole value and each line of a multi-line one, as the log masker masks them. */
function secretPatterns(init: InitMessage): SecretPattern[] {
  const out: SecretPattern[] = [];
  for (const variable of init.secret_env ?? []) {
    const value = process.env[variable];
    if (!value) continue;
    const parts = new Set([value, ...value.split(/\r?\n/).filter((line) => line.trim() !== "")]);
    for (const part of parts) out.push({ variable, bytes: Buffer.from(part) });
  }
  return out;
}
