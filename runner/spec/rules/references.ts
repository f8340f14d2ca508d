import { pointerOf } from "../diagnostics.js";
import type { DraftTask } from "../draft.js";
import { ancestors, upstreamIndex } from "../graph.js";
import { JOB_REFERENCES, scanReferences, TASK_REFERENCES } from "../references.js";
import { closest, didYouMean, formatList } from "../suggest.js";
import type { Rule } from "./context.js";
import { taskEdges } from "./context.js";

const KNOWN = `run-time: ${[...JOB_REFERENCES, "job.parameters.<name>", ...TASK_REFERENCES, "tasks.<task_key>.values.<name>"].join(", ")}; deploy-time: env.*, vars.*, git.*`;

/**
 * DS1014 unknown job parameters, DS1015 unknown tasks, DS1016 tasks that are not upstream,
 * DS1020 malformed or unknown references, in every string a run-time reference may appear in.
 */
export const references: Rule = (ctx) => {
  const { job } = ctx;
  const edges = taskEdges(job);
  // Upstream checks use bitsets over the DAG; a job with a cycle (reported elsewhere) falls back to a search.
  const memo = new Map<string, Set<string>>();
  let index: ((task: string, up: string) => boolean) | undefined | null = null;
  const isUpstream = (task: string, up: string): boolean => {
    if (index === null) index = upstreamIndex(edges);
    return index ? index(task, up) : ancestors(task, edges, memo).has(up);
  };
  const parameters = job.parameters.map((p) => p.name);
  const tasks = job.tasks.map((t) => t.task_key);
  const known: Known = { parameters, tasks, parameterSet: new Set(parameters), taskSet: new Set(tasks) };
  const check = (value: string, pointer: string, task: DraftTask | undefined) => {
    for (const ref of scanReferences(value)) {
      if (ref.kind === "deploy") continue;
      if (ref.kind === "invalid") {
        ctx.report({ pointer, code: "DS1020", message: `${ref.reason} in ${JSON.stringify(ref.text)}`, hint: `known references are ${KNOWN}` });
        continue;
      }
      const problem = checkRunReference(ref.path, ref.text, known, task, (up) => isUpstream(task!.task_key, up));
      if (problem) ctx.report({ pointer, ...problem });
    }
  };
  job.parameters.forEach((p) => check(p.default, pointerOf("parameters", p.index, "default"), undefined));
  for (const t of job.tasks) {
    if (t.ts_task) walk(t.ts_task.parameters, pointerOf("tasks", t.index, "ts_task", "parameters"), (s, p) => check(s, p, t));
    if (t.run_job_task) walk(t.run_job_task.job_parameters, pointerOf("tasks", t.index, "run_job_task", "job_parameters"), (s, p) => check(s, p, t));
    if (t.condition_task) {
      check(t.condition_task.left, pointerOf("tasks", t.index, "condition_task", "left"), t);
      check(t.condition_task.right, pointerOf("tasks", t.index, "condition_task", "right"), t);
    }
  }
};

/** The job's parameter names and task keys, computed once per job. */
interface Known {
  parameters: string[];
  tasks: string[];
  parameterSet: Set<string>;
  taskSet: Set<string>;
}

type Problem = { code: "DS1014" | "DS1015" | "DS1016" | "DS1020"; message: string; hint: string };

function checkRunReference(path: string[], text: string, known: Known, task: DraftTask | undefined, isUpstream: (up: string) => boolean): Problem | undefined {
  const dotted = path.join(".");
  const [root, second, third, fourth] = path;
  if (root === "job" && second === "parameters" && path.length === 3) {
    const names = known.parameters;
    if (task === undefined) return { code: "DS1020", message: `a parameter default cannot refer to parameters (${text})`, hint: "write the value itself" };
    if (!known.parameterSet.has(third!)) return { code: "DS1014", message: `${text} refers to unknown job parameter "${third}"`, hint: names.length ? didYouMean(third!, names, "job parameters") : 'the job has no parameters; add one under "parameters"' };
    return undefined;
  }
  if (root === "job" || root === "task") {
    const allowed: readonly string[] = root === "job" ? JOB_REFERENCES : TASK_REFERENCES;
    if (root === "task" && task === undefined) return { code: "DS1020", message: `${text} is only available inside a task`, hint: "job parameters are resolved before any task runs" };
    if (allowed.includes(dotted)) return undefined;
    const best = closest(dotted, allowed);
    return { code: "DS1020", message: `unknown reference ${text}`, hint: best ? `did you mean {{${best}}}?` : `known references are ${KNOWN}` };
  }
  // root === "tasks"
  if (task === undefined) return { code: "DS1020", message: `${text} is only available inside a task`, hint: "job parameters are resolved before any task runs" };
  if (path.length !== 4 || third !== "values") return { code: "DS1020", message: `unknown reference ${text}`, hint: "task values are read as {{tasks.<task_key>.values.<name>}}" };
  const keys = known.tasks;
  if (!known.taskSet.has(second!)) {
    const best = closest(second!, keys);
    return { code: "DS1015", message: `${text} refers to unknown task "${second}" (known tasks: ${formatList(keys)})`, hint: best ? `did you mean "${best}"?` : "name a task of this job" };
  }
  if (second === task.task_key) return { code: "DS1016", message: `task "${task.task_key}" reads its own value "${fourth}"`, hint: "a task's values are only available to the tasks downstream of it" };
  if (!isUpstream(second!)) {
    return { code: "DS1016", message: `task "${task.task_key}" reads ${text} but "${second}" is not upstream of it`, hint: `add { "task_key": "${second}" } to depends_on of "${task.task_key}" so the value exists when it starts` };
  }
  return undefined;
}

/**
 * Calls `visit` for every string in a JSON value that holds `{{`, with its pointer. Pointers are
 * built only for those strings: most parameters hold no reference at all.
 */
function walk(value: unknown, pointer: string, visit: (s: string, pointer: string) => void): void {
  const path: string[] = [];
  const step = (v: unknown): void => {
    if (typeof v === "string") {
      if (v.includes("{{")) visit(v, pointer + pointerOf(...path));
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        path.push(String(i));
        step(item);
        path.pop();
      });
    } else if (v && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        path.push(k);
        step(item);
        path.pop();
      }
    }
  };
  step(value);
}
