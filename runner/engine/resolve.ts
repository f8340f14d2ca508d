import { scanReferences } from "../spec/references.js";

/** What run-time references resolve against when a task starts. */
export interface ReferenceScope {
  job: { run_id: string; name: string; parameters: Record<string, string>; start_time: Date };
  task?: { key: string };
  /** Values of the tasks that finished, by task key. */
  values: Record<string, Record<string, unknown>>;
}

/**
 * Resolves run-time references (`{{job.*}}`, `{{task.key}}`, `{{tasks.k.values.v}}`) in every
 * string of a JSON value. A value that is not a string is inserted as its JSON text, so strings
 * stay strings. Deploy-time expressions are left untouched (rendering handles them).
 * A reference to something that does not exist (a value the upstream task never set) throws.
 *
 * @example
 * ```ts
 * resolveReferences({ p: "{{job.parameters.rows}}" }, scope); // { p: "1000" }
 * ```
 */
export function resolveReferences<T>(value: T, scope: ReferenceScope): T {
  return walk(value, scope) as T;
}

function walk(value: unknown, scope: ReferenceScope): unknown {
  if (typeof value === "string") return resolveString(value, scope);
  if (Array.isArray(value)) return value.map((v) => walk(v, scope));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, scope)]));
  return value;
}

function resolveString(s: string, scope: ReferenceScope): string {
  if (!s.includes("{{")) return s;
  let out = s;
  for (const ref of scanReferences(s)) {
    if (ref.kind !== "run") continue;
    out = out.split(ref.text).join(lookup(ref.path, ref.text, scope));
  }
  return out;
}

function lookup(path: readonly string[], text: string, scope: ReferenceScope): string {
  const [root, a, b, c] = path;
  if (root === "job") {
    if (a === "run_id") return scope.job.run_id;
    if (a === "name") return scope.job.name;
    if (a === "parameters" && b !== undefined) {
      const v = scope.job.parameters[b];
      if (v === undefined) throw new Error(`${text}: the run has no parameter "${b}"`);
      return v;
    }
    if (a === "start_time") {
      const t = scope.job.start_time;
      if (b === "iso_date") return t.toISOString().slice(0, 10);
      if (b === "iso_datetime") return t.toISOString();
      if (b === "timestamp_ms") return String(t.getTime());
    }
  }
  if (root === "task" && a === "key" && scope.task) return scope.task.key;
  if (root === "tasks" && a !== undefined && b === "values" && c !== undefined) {
    const values = scope.values[a];
    if (!values || !(c in values)) throw new Error(`${text}: task "${a}" did not set a value "${c}"${values ? ` (it set: ${Object.keys(values).join(", ") || "nothing"})` : ""}`);
    const v = values[c];
    return typeof v === "string" ? v : JSON.stringify(v);
  }
  throw new Error(`${text} cannot be resolved here`);
}
