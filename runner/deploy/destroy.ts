import { renameSync, rmSync, mkdirSync } from "node:fs";
import path from "node:path";
import { DagshipError, UsageError } from "../errors.js";
import type { EnvironmentContext } from "../workspace/environment.js";
import { DeploymentStore } from "../workspace/deployments.js";
import { acquireLock } from "../workspace/lock.js";
import { runnerAlive } from "../workspace/processes.js";
import { RunStore } from "../workspace/store.js";
import { namespaceFor } from "./namespace.js";

/** What `destroy` removed. */
export interface DestroyResult {
  env: string;
  namespace: string;
  /** False when the namespace had nothing deployed (destroying it again is not an error). */
  existed: boolean;
  runs_removed: number;
  bundles_removed: number;
}

/**
 * `destroy --env <env> --branch <b>`: removes a branch namespace — its deployments, its runs and
 * the job bundles nothing else uses. Refused while a run of the namespace is active. Other
 * namespaces and the environment's working-tree runs are untouched.
 *
 * @example
 * ```ts
 * await destroy({ env: loadEnvironment(root, "dev"), branch: "feature-x" });
 * ```
 */
export async function destroy(options: { env: EnvironmentContext; branch: string | undefined }): Promise<DestroyResult> {
  const { env } = options;
  if (env.spec!.isolation !== "branch") {
    throw new UsageError(`destroy removes a branch namespace, and ${env.name} has none (isolation: none)`, { hint: "destroy applies to environments with isolation: branch, e.g. dagship destroy --env dev --branch feature-x" });
  }
  if (options.branch === undefined) throw new UsageError("dagship destroy needs --branch <branch>", { hint: `e.g. dagship destroy --env ${env.name} --branch feature-x` });
  const namespace = namespaceFor(env.spec!, options.branch, options.branch);
  const store = new DeploymentStore(env.workspace);
  const runs = new RunStore(env.workspace);
  const release = await acquireLock(store.lockFile, 120_000);
  try {
    const mine = runs.list().filter((r) => r.namespace === namespace);
    const active = mine.filter((r) => r.state === "RUNNING" && runnerAlive(r.runner)).map((r) => r.run_id);
    if (active.length > 0) {
      throw new DagshipError("DS2007", `namespace ${namespace} of ${env.name} has active runs: ${active.join(", ")}`, { hint: `cancel them first: dagship cancel ${active[0]} --env ${env.name}`, exitCode: 2 });
    }
    const existed = store.removeNamespace(namespace);
    // Each run goes in one rename (gone or intact), then its files.
    const trash = path.join(store.dir, "trash");
    mkdirSync(trash, { recursive: true });
    for (const run of mine) {
      const away = path.join(trash, `${run.run_id}-${process.pid}`);
      renameSync(runs.runDir(run.run_id), away);
      rmSync(away, { recursive: true, force: true });
    }
    const bundles_removed = store.collectGarbage();
    return { env: env.name, namespace, existed: existed || mine.length > 0, runs_removed: mine.length, bundles_removed };
  } finally {
    release();
  }
}
