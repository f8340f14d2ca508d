import { DagshipError } from "../errors.js";
import { gitInfo } from "../render/git.js";
import type { CompiledJob } from "../spec/compiled.js";
import { formatList } from "../spec/suggest.js";
import type { EnvironmentContext } from "../workspace/environment.js";
import { DeploymentStore } from "../workspace/deployments.js";
import { namespaceFor } from "./namespace.js";
import { readJobBundle, runnableJob } from "./objects.js";

/** A job of the current deployment, ready to run, and where it came from. */
export interface DeployedRunSource {
  job: CompiledJob;
  namespace: string;
  deployment_id: string;
  seq: number;
  /** The bundle's job.json, relative to the workspace. */
  file: string;
  /** The commit the deployment was made from ("" when it was made outside git). */
  git_sha: string;
}

/**
 * The job `name` exactly as the current deployment of `env` (namespace of `branch` or the
 * checkout's) has it — not the working tree. Nothing deployed, or no such job in the deployment,
 * is an error (exit 2) saying what is deployed.
 *
 * @example
 * ```ts
 * const { job, deployment_id } = loadDeployedJob(env, "hello", undefined);
 * ```
 */
export function loadDeployedJob(env: EnvironmentContext, name: string, branch: string | undefined, namespace?: string): DeployedRunSource {
  const ns = namespace ?? namespaceFor(env.spec!, branch, gitInfo(env.root).branch);
  const store = new DeploymentStore(env.workspace);
  const current = store.current(ns);
  if (!current) throw new DagshipError("DS2014", `nothing is deployed to ${env.name}/${ns}`, { hint: `deploy first: dagship deploy --env ${env.name}${branch ? ` --branch ${branch}` : ""}`, exitCode: 2 });
  const id = current.jobs[name];
  if (id === undefined) {
    throw new DagshipError("DS2014", `job "${name}" is not in deployment ${current.seq} of ${env.name}/${ns}`, { hint: `deployed jobs: ${formatList(Object.keys(current.jobs))}`, exitCode: 2 });
  }
  const bundle = readJobBundle(store, name, id);
  return { job: runnableJob(bundle, env.root), namespace: ns, deployment_id: id, seq: current.seq, file: `deployments/objects/${name}/${id}/job.json`, git_sha: bundle.manifest.git.sha };
}
