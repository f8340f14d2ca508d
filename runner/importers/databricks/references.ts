import { segment } from "./names.js";

/** What a string's references may point at, where the string is. */
export interface ReferenceScope {
  /** Job parameters: Databricks name → dagship name. */
  parameters: ReadonlyMap<string, string>;
  /** Tasks: Databricks task key → dagship task key. */
  tasks: ReadonlyMap<string, string>;
  /** The dagship key of the task the string belongs to; undefined for job-level strings. */
  task?: string;
  /** Dagship keys of the tasks upstream of `task`. */
  upstream?: ReadonlySet<string>;
  /** Whether the string is a job parameter default (no task or parameter references there). */
  parameterDefault?: boolean;
  /** Whether `${...}` bundle interpolations are resolved (bundle files only). */
  bundle: boolean;
}

/** What conversion did, for the report, and the deploy-time variables now needed. */
export interface ReferenceLog {
  /** References converted to dagship's (reported once per job). */
  notes: Set<string>;
  /** References that could not be converted and are kept as inert text (reported where they are). */
  problems: Set<string>;
  vars: Set<string>;
}

/** The text an unconvertible `{{ x }}` becomes: inert (no `{{`), so the job validates, and easy to find. */
export function unresolved(expression: string): string {
  return `<unresolved: ${expression}>`;
}

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}|\$\{([^{}]*)\}/g;
/** Databricks' roots of dynamic value references (everything else in `{{ }}` is a template placeholder). */
const DATABRICKS_ROOTS = new Set(["job", "task", "tasks", "workspace", "backfill", "run_id", "parent_run_id", "job_id", "start_date", "start_time", "task_key", "task_retry_count", "env", "vars", "git"]);

/**
 * Converts the references of one string to dagship's:
 * - Databricks dynamic values: `{{job.parameters.[x]}}`, `{{job.run_id}}`, `{{job.name}}`,
 *   `{{job.start_time.iso_date}}` (and iso_datetime, timestamp_ms), `{{task.name}}` → `{{task.key}}`,
 *   `{{tasks.k.values.v}}` (k upstream), and the legacy `{{parent_run_id}}`, `{{start_date}}`,
 *   `{{start_time}}`, `{{task_key}}`; task keys and parameter names follow their renaming;
 * - template placeholders (dbx, Jinja) `{{project_name}}` → deploy-time `{{vars.project_name}}`;
 * - in bundles, `${var.x}` → `{{vars.x}}`, `${bundle.target}` → `{{env.name}}`,
 *   `${bundle.git.branch}` → `{{git.branch}}`, `${bundle.git.commit}` → `{{git.sha}}`.
 * Anything else is kept as inert text: `${...}` as it is, `{{ x }}` as `<unresolved: x>`.
 * Every change of meaning is noted in `log`, so the result always validates and says what changed.
 *
 * @example
 * ```ts
 * convertString("{{ job.parameters.[input] }}", scope, log); // "{{job.parameters.input}}"
 * ```
 */
export function convertString(value: string, scope: ReferenceScope, log: ReferenceLog): string {
  if (!value.includes("{{") && !(scope.bundle && value.includes("${"))) return value;
  // Converted references are set aside while any other "{{" (unclosed, nested) is made inert.
  const kept: string[] = [];
  const keep = (s: string) => (s.includes("{{") ? `\u0000${kept.push(s) - 1}\u0000` : s);
  let out = value.replace(TOKEN, (text, dynamic: string | undefined, interpolation: string | undefined) => {
    if (dynamic !== undefined) return keep(convertDynamic(text, dynamic, scope, log));
    return scope.bundle ? keep(convertInterpolation(text, interpolation!, log)) : text;
  });
  if (out.includes("{{")) {
    out = out.replace(/\{\{/g, "{ {");
    log.problems.add(`"{{" that does not start a reference was written as "{ {" in ${JSON.stringify(value.length > 60 ? value.slice(0, 60) + "…" : value)}`);
  }
  return kept.length ? out.replace(/\u0000(\d+)\u0000/g, (_, i: string) => kept[Number(i)]!) : out;
}

function convertDynamic(text: string, expression: string, scope: ReferenceScope, log: ReferenceLog): string {
  const path = splitDatabricksPath(expression);
  const fail = (why: string) => {
    log.problems.add(`${text} has no dagship equivalent (${why}): written as ${JSON.stringify(unresolved(expression))}`);
    return unresolved(expression);
  };
  const legacy = (to: string, caveat = "") => {
    log.notes.add(`${text} (a legacy Databricks reference) became ${to}${caveat}`);
    return to;
  };
  if (!path) return fail("not a Databricks dynamic value reference");
  const [root, a, b, c] = path;
  const inTask = scope.task !== undefined && !scope.parameterDefault;
  if (!DATABRICKS_ROOTS.has(root!)) {
    if (!path.every((s) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s))) return fail("not a plain name");
    const to = `{{vars.${path.join(".")}}}`;
    log.vars.add(root!);
    log.notes.add(`template placeholder ${text} became the deploy-time ${to}`);
    return to;
  }
  if (root === "job" && a === "parameters" && b !== undefined && path.length === 3) {
    if (scope.parameterDefault) return fail("a job parameter default cannot refer to job parameters");
    const name = scope.parameters.get(b);
    if (name === undefined) return fail(`the job has no parameter "${b}"`);
    return `{{job.parameters.${segment(name)}}}`;
  }
  if (root === "job" && path.length === 2 && (a === "run_id" || a === "name")) return `{{job.${a}}}`;
  if (root === "job" && a === "start_time" && path.length === 3 && (b === "iso_date" || b === "iso_datetime" || b === "timestamp_ms")) return `{{job.start_time.${b}}}`;
  if (root === "parent_run_id" && path.length === 1) return legacy("{{job.run_id}}");
  if (root === "start_date" && path.length === 1) return legacy("{{job.start_time.iso_date}}");
  if (root === "start_time" && path.length === 1) return legacy("{{job.start_time.timestamp_ms}}", " (the run's start, not the task's)");
  if ((root === "task" && a === "name" && path.length === 2) || (root === "task_key" && path.length === 1)) {
    if (!inTask) return fail("only a task's own strings can name the task");
    return root === "task_key" ? legacy("{{task.key}}") : "{{task.key}}";
  }
  if (root === "tasks" && b === "values" && a !== undefined && c !== undefined && path.length === 4) {
    const key = scope.tasks.get(a);
    if (key === undefined) return fail(`the job has no task "${a}"`);
    if (!inTask) return fail("task values are only available to tasks");
    if (key === scope.task) return fail(`task "${key}" reads its own value`);
    if (!scope.upstream?.has(key)) return fail(`task "${a}" is not upstream of "${scope.task}", so its values do not exist when it starts; add it to depends_on and write {{tasks.${key}.values.${segment(c)}}}`);
    return `{{tasks.${key}.values.${segment(c)}}}`;
  }
  return fail("dagship resolves job.run_id, job.name, job.parameters.*, job.start_time.iso_date/iso_datetime/timestamp_ms, task.key and tasks.<key>.values.*");
}

function convertInterpolation(text: string, expression: string, log: ReferenceLog): string {
  const path = expression.trim().split(".");
  const [root, a, b] = path;
  let to: string | undefined;
  if (root === "var" && a !== undefined && path.every((s) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s))) {
    to = `{{vars.${path.slice(1).join(".")}}}`;
    log.vars.add(a);
  } else if (root === "bundle" && (a === "target" || a === "environment") && path.length === 2) {
    to = "{{env.name}}";
  } else if (root === "bundle" && a === "git" && path.length === 3 && (b === "branch" || b === "commit")) {
    to = b === "branch" ? "{{git.branch}}" : "{{git.sha}}";
  }
  if (to === undefined) {
    log.problems.add(`${text} has no dagship equivalent: kept as literal text`);
    return text;
  }
  log.notes.add(`${text} became the deploy-time ${to}`);
  return to;
}

/**
 * Splits `a.[b c].d` (Databricks' bracket syntax) into segments; undefined when the expression
 * is not a dotted path (a Jinja expression, a filter, a subscript).
 */
export function splitDatabricksPath(expression: string): string[] | undefined {
  const out: string[] = [];
  const re = /\[([^\]]*)\]|([^.[\]\s]+)/y;
  let i = 0;
  while (i < expression.length) {
    re.lastIndex = i;
    const m = re.exec(expression);
    if (!m) return undefined;
    out.push(m[1] ?? m[2]!);
    i = re.lastIndex;
    if (i < expression.length) {
      if (expression[i] !== ".") return undefined;
      if (++i === expression.length) return undefined;
    }
  }
  return out.length > 0 && out.every((s) => s !== "") ? out : undefined;
}
