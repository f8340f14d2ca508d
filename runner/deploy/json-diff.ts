import { pointerOf } from "../spec/diagnostics.js";

/** One difference between two JSON values: absent `before` means added, absent `after` removed. */
export interface JsonChange {
  pointer: string;
  /** The task the change is in, when it is in one. */
  task?: string;
  before?: unknown;
  after?: unknown;
}

/** Arrays whose items are matched by a key field rather than by position. */
const KEYED: Record<string, string> = { tasks: "task_key", parameters: "name", depends_on: "task_key" };

/**
 * The differences between two JSON values, as JSON pointers into `after` (into `before` for what
 * was removed). Tasks are matched by `task_key` and parameters by `name`, so inserting a task
 * reports that task, not every task after it.
 *
 * @example
 * ```ts
 * jsonDiff({ a: 1, tasks: [{ task_key: "x", t: 1 }] }, { a: 2, tasks: [{ task_key: "x", t: 2 }] });
 * // [{ pointer: "/a", before: 1, after: 2 }, { pointer: "/tasks/0/t", task: "x", before: 1, after: 2 }]
 * ```
 */
export function jsonDiff(before: unknown, after: unknown): JsonChange[] {
  const out: JsonChange[] = [];
  walk(before, after, "", "", undefined, out);
  return out;
}

function walk(a: unknown, b: unknown, pointer: string, beforePointer: string, task: string | undefined, out: JsonChange[], key?: string): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const at = (p: string) => (task === undefined ? { pointer: p } : { pointer: p, task });
  if (Array.isArray(a) && Array.isArray(b)) {
    const field = key === undefined ? undefined : KEYED[key];
    if (field && [...a, ...b].every((x) => x && typeof x === "object" && typeof (x as Record<string, unknown>)[field] === "string")) {
      const id = (x: unknown) => (x as Record<string, string>)[field]!;
      const inTask = (x: unknown) => (key === "tasks" ? id(x) : task);
      b.forEach((item, i) => {
        const j = a.findIndex((x) => id(x) === id(item));
        if (j < 0) out.push({ ...at(`${pointer}/${i}`), ...(inTask(item) ? { task: inTask(item) } : {}), after: item });
        else walk(a[j], item, `${pointer}/${i}`, `${beforePointer}/${j}`, inTask(item), out);
      });
      a.forEach((item, j) => {
        if (!b.some((x) => id(x) === id(item))) out.push({ pointer: `${beforePointer}/${j}`, ...(inTask(item) ? { task: inTask(item) } : {}), before: item });
      });
      return;
    }
    if (a.length !== b.length) {
      out.push({ ...at(pointer), before: a, after: b });
      return;
    }
    a.forEach((x, i) => walk(x, b[i], `${pointer}/${i}`, `${beforePointer}/${i}`, task, out));
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const p = pointer + pointerOf(k);
      if (!(k in a)) out.push({ ...at(p), after: b[k] });
      else if (!(k in b)) out.push({ ...at(beforePointer + pointerOf(k)), before: a[k] });
      else walk(a[k], b[k], p, beforePointer + pointerOf(k), task, out, k);
    }
    return;
  }
  out.push({ ...at(pointer), before: a, after: b });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
