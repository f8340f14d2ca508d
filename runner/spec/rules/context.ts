import type { Finding } from "../diagnostics.js";
import type { DraftJob } from "../draft.js";
import type { ModuleInfo } from "../exports.js";
import type { Edges } from "../graph.js";
import type { ModuleResolver } from "../modules.js";

/** Everything a rule may look at; rules report through `report` and never throw. */
export interface RuleContext {
  job: DraftJob;
  /** Absolute paths of job.json, its folder and the repository root. */
  file: string;
  dir: string;
  root: string;
  modules: ModuleResolver;
  exports: ReadonlyMap<string, ModuleInfo>;
  /** Names of the jobs that live beside this one (run_job_task targets). */
  siblingJobs: ReadonlySet<string>;
  /** How a path is shown to users. */
  display(abs: string): string;
  report(finding: Finding): void;
}

/** A validation rule: one check from the contract's "Validation rejects" list. */
export type Rule = (ctx: RuleContext) => void;

const edgesOf = new WeakMap<DraftJob, Edges>();

/** The dependency edges between tasks that exist (unknown keys and self-loops left out); computed once per job. */
export function taskEdges(job: DraftJob): Edges {
  let edges = edgesOf.get(job);
  if (!edges) edgesOf.set(job, (edges = computeEdges(job)));
  return edges;
}

function computeEdges(job: DraftJob): Edges {
  const keys = new Set(job.tasks.map((t) => t.task_key));
  const edges = new Map<string, string[]>();
  for (const t of job.tasks) {
    if (edges.has(t.task_key)) continue;
    const deps = [...new Set(t.depends_on.map((d) => d.task_key))].filter((k) => keys.has(k) && k !== t.task_key);
    edges.set(t.task_key, deps);
  }
  return edges;
}

/** Pointer of a task field: `/tasks/3/ts_task/module`. */
export function taskPointer(index: number, ...rest: Array<string | number>): string {
  return `/tasks/${index}${rest.map((s) => `/${s}`).join("")}`;
}
