/**
 * `{{ }}` references in job strings. Two kinds share the syntax:
 * - run-time references (`job.*`, `task.*`, `tasks.*`), resolved by the runner when a task starts;
 * - deploy-time expressions (`env.*`, `vars.*`, `git.*`, and any handlebars helper or block),
 *   rendered per environment before deployment.
 */
export const RUN_TIME_ROOTS = ["job", "task", "tasks"] as const;
export const DEPLOY_TIME_ROOTS = ["env", "vars", "git"] as const;

/** The `job.*` references the runner resolves, besides `job.parameters.<name>`. */
export const JOB_REFERENCES = ["job.run_id", "job.name", "job.start_time.iso_date", "job.start_time.iso_datetime", "job.start_time.timestamp_ms"] as const;
/** The `task.*` references the runner resolves. */
export const TASK_REFERENCES = ["task.key"] as const;

export type Reference =
  | { kind: "run"; text: string; path: string[] }
  | { kind: "deploy"; text: string }
  | { kind: "invalid"; text: string; reason: string };

const PATTERN = /\{\{(.*?)\}\}/gs;

/**
 * Every `{{ }}` occurrence in a string, classified. An unclosed `{{` is reported as invalid.
 *
 * @example
 * ```ts
 * scanReferences("{{ tasks.train.values.auc }} > {{vars.floor}}");
 * // → [{ kind: "run", path: ["tasks", "train", "values", "auc"], ... }, { kind: "deploy", ... }]
 * ```
 */
export function scanReferences(value: string): readonly Reference[] {
  if (!value.includes("{{")) return NONE;
  let refs = scanned.get(value);
  if (!refs) scanned.set(value, (refs = scan(value)));
  return refs;
}

const NONE: readonly Reference[] = [];
/** Jobs repeat the same reference strings many times: each distinct string is scanned once. */
const scanned = new Map<string, readonly Reference[]>();

function scan(value: string): readonly Reference[] {
  const out: Reference[] = [];
  let end = 0;
  for (const m of value.matchAll(PATTERN)) {
    out.push(classify(m[0], m[1]!.trim()));
    end = m.index + m[0].length;
  }
  const rest = value.indexOf("{{", end);
  if (rest !== -1) out.push({ kind: "invalid", text: value.slice(rest, rest + 40), reason: 'unclosed "{{"' });
  return out;
}

function classify(text: string, expr: string): Reference {
  if (expr === "") return { kind: "invalid", text, reason: "empty reference" };
  // Handlebars blocks, partials, comments, raw blocks and helper calls belong to deploy time.
  if (/^[#/^>!{&~]|^else\b/.test(expr) || /\s/.test(expr.replace(/\[[^\]]*\]/g, ""))) return { kind: "deploy", text };
  const path = splitPath(expr);
  if (!path) return { kind: "invalid", text, reason: `"${expr}" is not a dotted name` };
  const root = path[0]!;
  if ((RUN_TIME_ROOTS as readonly string[]).includes(root)) return { kind: "run", text, path };
  if ((DEPLOY_TIME_ROOTS as readonly string[]).includes(root)) return { kind: "deploy", text };
  return { kind: "invalid", text, reason: `unknown name "${root}"` };
}

/** Splits `a.b.[c d].e` into segments; undefined when malformed. */
export function splitPath(expr: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < expr.length) {
    if (expr[i] === "[") {
      const close = expr.indexOf("]", i);
      if (close === -1) return undefined;
      out.push(expr.slice(i + 1, close));
      i = close + 1;
    } else {
      const m = /^[A-Za-z0-9_$-]+/.exec(expr.slice(i));
      if (!m) return undefined;
      out.push(m[0]);
      i += m[0].length;
    }
    if (i < expr.length) {
      if (expr[i] !== ".") return undefined;
      i++;
      if (i === expr.length) return undefined;
    }
  }
  return out;
}
