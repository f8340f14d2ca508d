import { isEmpty, isObj, type Dropped, type Obj } from "./types.js";

/** Databricks task kinds that become a ts_task to port (run_job_task and condition_task carry over). */
export const PORTED_KINDS = [
  "notebook_task",
  "spark_python_task",
  "python_wheel_task",
  "spark_jar_task",
  "spark_submit_task",
  "sql_task",
  "dbt_task",
  "pipeline_task",
  "for_each_task",
  "dashboard_task",
  "power_bi_task",
  "clean_rooms_notebook_task",
  "dbt_cloud_task",
  "gen_ai_compute_task",
] as const;

/** Every Databricks task kind the importer knows. */
export const TASK_KINDS: readonly string[] = [...PORTED_KINDS, "run_job_task", "condition_task"];

/** How a Databricks task kind becomes a ts_task to port. */
export interface PortedKind {
  /** What the task replaces, for the error its module throws: `notebook "../training/Train.py"`. */
  replaces: string;
  /** The task's own parameters, as ts_task.parameters (strings not yet converted). */
  parameters: Obj;
  /** Whether Databricks pushes job parameters down into this task's parameters. */
  pushdown: boolean;
  /** Fields of the kind block that are not carried over. */
  dropped: Dropped[];
}

const WAREHOUSE = "SQL warehouses do not exist in dagship: the task runs as a local process";

/**
 * Describes a Databricks task kind that becomes a ts_task: what it replaces and which of its
 * parameters carry over. Keyed parameters (notebook `base_parameters`, wheel `named_parameters`,
 * SQL `parameters`) become keys of ts_task.parameters; positional ones (Python, JAR, spark-submit
 * `parameters`, dbt `commands`) become `args`, a list of strings.
 *
 * @example
 * ```ts
 * describeKind("notebook_task", { notebook_path: "../Train", base_parameters: { env: "dev" } });
 * // → { replaces: 'notebook "../Train"', parameters: { env: "dev" }, pushdown: true, dropped: [] }
 * ```
 */
export function describeKind(kind: string, block: Obj): PortedKind {
  const q = (v: unknown) => JSON.stringify(typeof v === "string" ? v : String(v ?? "?"));
  const dropped: Dropped[] = [];
  const drop = (field: string, reason: string) => {
    if (!isEmpty(block[field])) dropped.push({ field: `${kind}.${field}`, reason });
  };
  const keyed = (v: unknown): Obj => (isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stringify(x)])) : {});
  const args = (v: unknown): Obj => (Array.isArray(v) && v.length > 0 ? { args: v.map(stringify) } : {});
  const git = block.source === "GIT" ? " (from the job's git source)" : "";
  switch (kind) {
    case "notebook_task":
      drop("warehouse_id", WAREHOUSE);
      return { replaces: `notebook ${q(block.notebook_path)}${git}`, parameters: keyed(block.base_parameters), pushdown: true, dropped };
    case "spark_python_task":
      return { replaces: `Python file ${q(block.python_file)}${git}`, parameters: args(block.parameters), pushdown: false, dropped };
    case "python_wheel_task": {
      const positional = Array.isArray(block.parameters) && block.parameters.length > 0;
      return { replaces: `Python wheel ${q(block.package_name)} entry point ${q(block.entry_point)}`, parameters: { ...keyed(block.named_parameters), ...args(block.parameters) }, pushdown: !positional, dropped };
    }
    case "spark_jar_task":
      drop("jar_uri", "the JAR is not carried over");
      return { replaces: `JAR main class ${q(block.main_class_name)}`, parameters: args(block.parameters), pushdown: false, dropped };
    case "spark_submit_task":
      return { replaces: "spark-submit", parameters: args(block.parameters), pushdown: false, dropped };
    case "sql_task": {
      drop("warehouse_id", WAREHOUSE);
      const what = isObj(block.file) ? `SQL file ${q(block.file.path)}` : isObj(block.query) ? `SQL query ${q(block.query.query_id)}` : isObj(block.dashboard) ? `SQL dashboard ${q(block.dashboard.dashboard_id)}` : isObj(block.alert) ? `SQL alert ${q(block.alert.alert_id)}` : "SQL task";
      return { replaces: what, parameters: keyed(block.parameters), pushdown: true, dropped };
    }
    case "dbt_task":
      drop("warehouse_id", WAREHOUSE);
      return { replaces: `dbt commands ${Array.isArray(block.commands) ? block.commands.map(q).join(", ") : "?"}`, parameters: args(block.commands), pushdown: false, dropped };
    case "pipeline_task":
      return { replaces: `pipeline ${q(block.pipeline_id)}${block.full_refresh === true ? " (full refresh)" : ""}`, parameters: {}, pushdown: false, dropped };
    case "for_each_task": {
      const inner = isObj(block.task) ? innerKind(block.task) : undefined;
      const inputs = typeof block.inputs === "string" ? block.inputs : JSON.stringify(block.inputs ?? []);
      const innerWhat = inner ? describeKind(inner, (block.task as Obj)[inner] as Obj).replaces : "a task";
      return { replaces: `a for-each loop over ${inputs} running ${innerWhat}`, parameters: { inputs }, pushdown: false, dropped };
    }
    default:
      return { replaces: `a Databricks ${kind.replace(/_task$/, "")} task`, parameters: {}, pushdown: false, dropped };
  }
}

/** The kind key of a task object: the first known `*_task` key. */
export function innerKind(task: Obj): string | undefined {
  return TASK_KINDS.find((k) => k in task && isObj(task[k]));
}

/** Databricks parameter values are strings: numbers and booleans from YAML become their text. */
function stringify(value: unknown): unknown {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return value;
}
