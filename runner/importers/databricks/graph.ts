import { taskKeyFrom, unique } from "./names.js";
import { splitDatabricksPath } from "./references.js";
import { isObj, type Obj } from "./types.js";

/** A dependency as dagship writes it. */
export interface Dependency {
  task_key: string;
  outcome?: "true" | "false";
}

/** The structure of a job's tasks, in dagship keys. */
export interface TaskGraph {
  /** Dagship task key of each task, in file order. */
  keys: string[];
  /** Databricks task key → dagship task key (for references). */
  byDatabricksKey: Map<string, string>;
  /** Dependencies of each task (by index), with unknown, self and repeated ones removed. */
  dependsOn: Dependency[][];
  /** Dagship keys upstream of each task (by index). */
  upstream: Set<string>[];
  /** Notes per task (by index) about what changed in its key or dependencies. */
  notes: string[][];
  /** Task renamings: Databricks key → dagship key. */
  renamed: Record<string, string>;
}

/**
 * Reads the task keys and `depends_on` of a job's tasks: keys are made valid and unique (with
 * a note), dependencies on unknown tasks, on the task itself or repeated are removed (with a
 * note), `outcome` is kept only on a dependency on a condition_task (`isCondition`), and the
 * upstream set of every task is computed (for `{{tasks.k.values.v}}`).
 *
 * @example
 * ```ts
 * readGraph([{ task_key: "a" }, { task_key: "b", depends_on: [{ task_key: "a" }] }], () => false).upstream[1];
 * // Set { "a" }
 * ```
 */
export function readGraph(tasks: readonly Obj[], isCondition: (index: number) => boolean): TaskGraph {
  const taken = new Set<string>();
  const byDatabricksKey = new Map<string, string>();
  const indexOf = new Map<string, number>();
  const renamed: Record<string, string> = {};
  const notes: string[][] = tasks.map(() => []);
  const keys = tasks.map((t, i) => {
    const original = typeof t.task_key === "string" && t.task_key !== "" ? t.task_key : undefined;
    const key = unique(taskKeyFrom(original ?? `task_${i + 1}`), taken, "_");
    if (original === undefined) notes[i]!.push(`the task had no task_key: it is "${key}"`);
    else if (byDatabricksKey.has(original)) notes[i]!.push(`task_key "${original}" is used twice: this task is "${key}"`);
    else byDatabricksKey.set(original, key);
    if (original !== undefined && original !== key) renamed[original] = key;
    indexOf.set(key, i);
    return key;
  });
  const dependsOn = tasks.map((t, i) => {
    const out: Dependency[] = [];
    const list = Array.isArray(t.depends_on) ? t.depends_on : t.depends_on === undefined ? [] : [t.depends_on];
    for (const d of list) {
      const name = isObj(d) ? d.task_key : d;
      const up = typeof name === "string" ? byDatabricksKey.get(name) : undefined;
      if (up === undefined) {
        notes[i]!.push(`depends_on ${JSON.stringify(name)} names no task of the job: removed`);
        continue;
      }
      if (up === keys[i]) {
        notes[i]!.push("the task depended on itself: removed");
        continue;
      }
      if (out.some((o) => o.task_key === up)) {
        notes[i]!.push(`depends_on "${up}" was listed twice: kept once`);
        continue;
      }
      const dep: Dependency = { task_key: up };
      const outcome = isObj(d) && d.outcome !== undefined && d.outcome !== null ? String(d.outcome).toLowerCase() : undefined;
      if (outcome === "true" || outcome === "false") {
        if (isCondition(indexOf.get(up)!)) dep.outcome = outcome;
        else notes[i]!.push(`outcome "${outcome}" on "${up}" was removed: "${up}" is not a condition_task`);
      } else if (outcome !== undefined) {
        notes[i]!.push(`outcome ${JSON.stringify(outcome)} on "${up}" is not "true" or "false": removed`);
      }
      out.push(dep);
    }
    return out;
  });
  const upstream = ancestors(keys, dependsOn, indexOf);
  return { keys, byDatabricksKey, dependsOn, upstream, notes, renamed };
}

function ancestors(keys: readonly string[], dependsOn: readonly Dependency[][], indexOf: ReadonlyMap<string, number>): Set<string>[] {
  const memo: (Set<string> | undefined)[] = keys.map(() => undefined);
  const visiting = new Set<number>();
  const of = (i: number): Set<string> => {
    const done = memo[i];
    if (done) return done;
    const out = new Set<string>();
    // A cycle (Databricks refuses those) cannot loop forever here; the validator names it.
    if (visiting.has(i)) return out;
    visiting.add(i);
    for (const d of dependsOn[i]!) {
      out.add(d.task_key);
      for (const a of of(indexOf.get(d.task_key)!)) out.add(a);
    }
    visiting.delete(i);
    memo[i] = out;
    return out;
  };
  return keys.map((_, i) => of(i));
}

/**
 * The task value names each task's downstream readers expect (`{{tasks.<k>.values.<v>}}`
 * anywhere in the job), by Databricks task key: the generated module lists them.
 */
export function valuesRead(tasks: readonly Obj[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const text = JSON.stringify(tasks);
  for (const m of text.matchAll(/\{\{\s*(tasks\.[^{}]*?)\s*\}\}/g)) {
    const path = splitDatabricksPath(m[1]!);
    if (!path || path.length !== 4 || path[2] !== "values") continue;
    let set = out.get(path[1]!);
    if (!set) out.set(path[1]!, (set = new Set()));
    set.add(path[3]!);
  }
  return out;
}
