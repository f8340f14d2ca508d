/**
 * Planning a deployment: every job of the repository compiled as the environment gets it
 * (rendered, overrides merged, schedules paused in a branch namespace) and each ts_task bundled
 * (through the workspace's bundle cache, so unchanged code is not rebuilt). Writes nothing but
 * that cache; `deploy` stores the plan, `diff` compares it with what is current.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { bundleTask } from "../executors/bundle.js";
import { sdkFiles } from "../executors/group.js";
import { environmentExpander, targetOf } from "../render/expand.js";
import type { GitInfo } from "../render/git.js";
import { compileJobs } from "../spec/compile.js";
import type { Diagnostic } from "../spec/diagnostics.js";
import { listJobFiles } from "../spec/repository.js";
import type { EnvironmentContext } from "../workspace/environment.js";
import { deployableJob, deploymentId, sha256, type DeployedCode, type DeployedJob } from "./content.js";

/** A job ready to deploy: its id, deployable form and the bytes of its code. */
export interface PlannedJob {
  name: string;
  id: string;
  job: DeployedJob;
  code: Record<string, DeployedCode>;
  /** Bundle files by path relative to the job bundle's folder (code and source maps). */
  files: Record<string, string>;
}

/** The outcome of planning: jobs when everything compiled and bundled, else every problem. */
export type Plan =
  | { ok: true; jobs: PlannedJob[]; inputs: string[] }
  | { ok: false; diagnostics: Diagnostic[]; bundleErrors: string[] };

/**
 * Plans the deployment of every job of `env`'s repository into `namespace`.
 *
 * @example
 * ```ts
 * const plan = await planDeployment(env, "default", gitInfo(env.root), process.cwd());
 * if (plan.ok) for (const j of plan.jobs) console.log(j.name, j.id);
 * ```
 */
export async function planDeployment(env: EnvironmentContext, namespace: string, git: GitInfo, cwd: string): Promise<Plan> {
  const root = env.root;
  const target = targetOf(env, git);
  if (!target) throw new Error(`environment ${env.name} was opened without its file`);
  const files = listJobFiles(root);
  const compiled = await compileJobs(files, { root, cwd, cacheDir: path.join(env.workspace, "cache", "exports"), expand: environmentExpander([target], { pauseSchedules: true }) });
  const errors = compiled.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { ok: false, diagnostics: compiled.diagnostics, bundleErrors: [] };

  const { sdk } = sdkFiles();
  const cacheDir = path.join(env.workspace, "cache", "bundles");
  const inputs = new Set<string>([...(env.source ? [env.source.path] : []), ...files]);
  const bundleErrors: string[] = [];
  const jobs: PlannedJob[] = [];
  for (const result of compiled.jobs) {
    const job = result.job;
    if (!job) continue;
    const code: Record<string, DeployedCode> = {};
    const out: Record<string, string> = {};
    for (const task of job.tasks) {
      if (task.type !== "ts_task") continue;
      const bundle = await bundleTask(task.ts_task.path, root, cacheDir, sdk);
      if (!bundle.ok) {
        bundleErrors.push(`${job.name}.${task.task_key}: ${bundle.message}`);
        continue;
      }
      const file = `code/${task.task_key}.mjs`;
      // The bundle names its source map after the cache key: renamed beside the deployed code.
      const js = readFileSync(bundle.file, "utf8").replace(/\/\/# sourceMappingURL=\S+\s*$/, `//# sourceMappingURL=${task.task_key}.mjs.map\n`);
      out[file] = js;
      try {
        out[`${file}.map`] = readFileSync(`${bundle.file}.map`, "utf8");
      } catch {
        // A bundle without a map still runs; stack traces point into it.
      }
      for (const i of bundle.inputs) inputs.add(i.path);
      code[task.task_key] = { file, sha256: sha256(js), sources: bundle.inputs.map((i) => ({ path: path.relative(root, i.path), sha256: i.sha256 })), externals: bundle.externals };
    }
    const deployed = deployableJob(job, namespace, target.spec.isolation === "branch", code);
    jobs.push({ name: job.name, id: deploymentId(deployed, code), job: deployed, code, files: out });
  }
  if (bundleErrors.length > 0) return { ok: false, diagnostics: [], bundleErrors };
  return { ok: true, jobs: jobs.sort((a, b) => (a.name < b.name ? -1 : 1)), inputs: [...inputs].sort() };
}
