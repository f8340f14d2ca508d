import path from "node:path";
import type { Finding } from "../../../runner/spec/diagnostics.js";
import { normaliseJob } from "../../../runner/spec/draft.js";
import type { ModuleInfo } from "../../../runner/spec/exports.js";
import { ModuleResolver } from "../../../runner/spec/modules.js";
import type { Rule, RuleContext } from "../../../runner/spec/rules/context.js";

/** A repository root that does not exist: rules that never touch the file system run against it. */
export const FAKE_ROOT = path.resolve("/nonexistent-dagship-repo");

export interface ContextOptions {
  /** Repository root (default: {@link FAKE_ROOT}). */
  root?: string;
  /** Absolute path of the job file (default: `<root>/jobs/<job name>/job.json`). */
  file?: string;
  modules?: ModuleResolver;
  exports?: ReadonlyMap<string, ModuleInfo>;
  siblingJobs?: Iterable<string>;
}

/** A rule context over an inline job object (normalised as the compiler does); findings are collected. */
export function makeContext(job: unknown, options: ContextOptions = {}): { ctx: RuleContext; findings: Finding[] } {
  const draft = normaliseJob(job);
  const root = options.root ?? FAKE_ROOT;
  const file = options.file ?? path.join(root, "jobs", draft.name || "unnamed", "job.json");
  const findings: Finding[] = [];
  const ctx: RuleContext = {
    job: draft,
    file,
    dir: path.dirname(file),
    root,
    modules: options.modules ?? new ModuleResolver(root),
    exports: options.exports ?? new Map(),
    siblingJobs: new Set(options.siblingJobs ?? []),
    display: (abs) => path.relative(root, abs),
    report: (f) => void findings.push(f),
  };
  return { ctx, findings };
}

/** Runs one rule over an inline job and returns what it reported. */
export function runRule(rule: Rule, job: unknown, options: ContextOptions = {}): Finding[] {
  const { ctx, findings } = makeContext(job, options);
  rule(ctx);
  return findings;
}

/** A job named "test-job" with the given tasks and any extra top-level fields. */
export function jobOf(tasks: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: "test-job", tasks, ...extra };
}

/** A ts_task depending on `deps` (task keys), with extra task fields merged in. */
export function tsTask(task_key: string, deps: string[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { task_key, depends_on: deps.map((d) => ({ task_key: d })), ts_task: { module: `tasks/${task_key}.ts` }, ...extra };
}
