/**
 * `diff`: the plan of a deploy — per job added, removed, changed or unchanged against the
 * namespace's current deployment, and for a changed job every changed field (JSON pointers into
 * the rendered job, by task) and every task whose code changed, with the source files that did.
 */
import { gitInfo } from "../render/git.js";
import type { Diagnostic } from "../spec/diagnostics.js";
import type { EnvironmentContext } from "../workspace/environment.js";
import { DeploymentStore } from "../workspace/deployments.js";
import { jobView, type DeployedCode } from "./content.js";
import { jsonDiff, type JsonChange } from "./json-diff.js";
import { namespaceFor } from "./namespace.js";
import { readJobBundle } from "./objects.js";
import { planDeployment } from "./plan.js";

/** A change of a job: a field, or a task's code (`files`: its sources that changed). */
export type JobChange = JsonChange & { files?: string[] };

export interface JobDiff {
  status: "unchanged" | "added" | "removed" | "changed";
  changes: JobChange[];
  /** Deployment ids: what is current, and what deploy would make current. */
  before?: string;
  after?: string;
}

export type DiffResult =
  | { ok: true; env: string; namespace: string; current_seq: number | null; jobs: Record<string, JobDiff> }
  | { ok: false; env: string; namespace: string; diagnostics: Diagnostic[]; bundleErrors: string[] };

/**
 * What `deploy` would change in `env` (in the branch namespace of `branch` or the checkout's).
 *
 * @example
 * ```ts
 * const d = await diffDeployment({ env, cwd: root });
 * if (d.ok) for (const [job, j] of Object.entries(d.jobs)) console.log(job, j.status);
 * ```
 */
export async function diffDeployment(options: { env: EnvironmentContext; branch?: string; cwd: string; processEnv?: NodeJS.ProcessEnv }): Promise<DiffResult> {
  const { env } = options;
  const git = gitInfo(env.root, options.processEnv);
  const namespace = namespaceFor(env.spec!, options.branch, git.branch);
  const store = new DeploymentStore(env.workspace);
  const plan = await planDeployment(env, namespace, git, options.cwd);
  if (!plan.ok) return { ok: false, env: env.name, namespace, diagnostics: plan.diagnostics, bundleErrors: plan.bundleErrors };
  const current = store.current(namespace);
  const deployed = current?.jobs ?? {};
  const jobs: Record<string, JobDiff> = {};
  for (const planned of plan.jobs) {
    const id = deployed[planned.name];
    if (id === undefined) jobs[planned.name] = { status: "added", changes: [], after: planned.id };
    else if (id === planned.id) jobs[planned.name] = { status: "unchanged", changes: [], before: id, after: id };
    else {
      const old = readJobBundle(store, planned.name, id);
      const changes = jsonDiff(jobView(old.job, old.manifest.code), jobView(planned.job, planned.code)).map((c) => withFiles(c, old.manifest.code, planned.code));
      jobs[planned.name] = { status: "changed", changes, before: id, after: planned.id };
    }
  }
  for (const [name, id] of Object.entries(deployed)) {
    if (!(name in jobs)) jobs[name] = { status: "removed", changes: [], before: id };
  }
  const sorted = Object.fromEntries(Object.keys(jobs).sort().map((k) => [k, jobs[k]!]));
  return { ok: true, env: env.name, namespace, current_seq: current?.seq ?? null, jobs: sorted };
}

/** A code change names the source files that changed. */
function withFiles(change: JsonChange, before: Record<string, DeployedCode>, after: Record<string, DeployedCode>): JobChange {
  if (!change.pointer.endsWith("/ts_task/code_sha256") || change.task === undefined) return change;
  const a = new Map((before[change.task]?.sources ?? []).map((s) => [s.path, s.sha256]));
  const b = new Map((after[change.task]?.sources ?? []).map((s) => [s.path, s.sha256]));
  const files = [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
  return { ...change, files };
}
