import { DagshipError } from "../errors.js";
import { gitInfo, gitState } from "../render/git.js";
import type { EnvironmentContext } from "../workspace/environment.js";
import { DeploymentStore, type DeploymentRecord } from "../workspace/deployments.js";
import { acquireLock } from "../workspace/lock.js";
import { forgetInputs } from "./fingerprint.js";
import { namespaceFor } from "./namespace.js";
import { readJobBundle } from "./objects.js";

/**
 * `deploy --rollback`: makes the deployment that was current before the current one current
 * again, as a new history record (kind `rollback`). Rolling back again goes one further back,
 * like undo. Nothing is rebuilt: the bundles are still there, and each is checked first.
 *
 * @example
 * ```ts
 * const { record, from } = await rollback({ env, branch: undefined });
 * ```
 */
export async function rollback(options: { env: EnvironmentContext; branch?: string; processEnv?: NodeJS.ProcessEnv }): Promise<{ record: DeploymentRecord; from: DeploymentRecord }> {
  const { env } = options;
  const git = gitInfo(env.root, options.processEnv);
  const namespace = namespaceFor(env.spec!, options.branch, git.branch);
  const store = new DeploymentStore(env.workspace);
  const release = await acquireLock(store.lockFile, 120_000);
  try {
    const current = store.current(namespace);
    if (!current) throw new DagshipError("DS2015", `nothing is deployed to ${env.name}/${namespace}`, { hint: `deploy first: dagship deploy --env ${env.name}`, exitCode: 2 });
    const target = current.previous === undefined ? undefined : store.record(namespace, current.previous);
    if (!target) {
      throw new DagshipError("DS2015", `deployment ${current.seq} of ${env.name}/${namespace} has no previous deployment to roll back to`, { hint: "see the history: dagship deploy --env <env> --history", exitCode: 2 });
    }
    for (const [job, id] of Object.entries(target.jobs)) readJobBundle(store, job, id);
    const state = gitState(env.root);
    const record: DeploymentRecord = {
      seq: store.nextSeq(namespace),
      env: env.name,
      namespace,
      kind: "rollback",
      created_at: new Date().toISOString(),
      git: { sha: git.sha, branch: git.branch, author: state.author, dirty: state.dirty ?? [] },
      jobs: target.jobs,
      ...(target.previous === undefined ? {} : { previous: target.previous }),
      rolled_back_to: target.seq,
    };
    forgetInputs(store, namespace);
    store.commit(record);
    return { record, from: current };
  } finally {
    release();
  }
}
