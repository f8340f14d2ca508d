/**
 * `deploy`: validate, render and bundle every job of the repository for an environment, store the
 * bundles that are new, and make the deployment current in one atomic step, under the workspace's
 * deploy lock. Unchanged content is a no-op that says so.
 */
import type { Diagnostic } from "../spec/diagnostics.js";
import { gitInfo, gitState, type GitInfo, type GitState } from "../render/git.js";
import type { EnvironmentContext } from "../workspace/environment.js";
import { DeploymentStore, type DeploymentRecord } from "../workspace/deployments.js";
import { acquireLock } from "../workspace/lock.js";
import { rememberInputs, unchangedSince } from "./fingerprint.js";
import { namespaceFor } from "./namespace.js";
import { checkDeployPolicy } from "./policy.js";

export interface DeployOptions {
  env: EnvironmentContext;
  /** `--branch`: the namespace of an environment with branch isolation (default: the checkout's branch). */
  branch?: string;
  force?: boolean;
  /** True in CI, where --force is refused. */
  ci?: boolean;
  /** Paths in diagnostics are relative to this folder. */
  cwd: string;
  processEnv?: NodeJS.ProcessEnv;
  /** How long to wait for another deploy to finish (default 120 s). */
  lockTimeoutMs?: number;
}

/** What happened to one job. */
export interface DeployedJobResult {
  deployment_id: string;
  changed: boolean;
  status: "added" | "changed" | "unchanged";
}

/** The outcome of a deploy that was not refused. */
export type DeployResult =
  | { ok: false; env: string; namespace: string; diagnostics: Diagnostic[]; bundleErrors: string[] }
  | {
      ok: true;
      env: string;
      namespace: string;
      /** The current deployment's seq after the deploy. */
      seq: number;
      /** True when nothing changed and nothing was written. */
      noop: boolean;
      jobs: Record<string, DeployedJobResult>;
      /** Jobs of the previous deployment that are gone from the repository. */
      removed: string[];
      /** Policy violations overridden with --force. */
      forced: string[];
      git: GitInfo;
    };

/**
 * Deploys every job of `env`'s repository.
 *
 * @example
 * ```ts
 * const r = await deploy({ env: loadEnvironment(root, "staging"), cwd: root });
 * if (r.ok && r.noop) console.log("nothing changed");
 * ```
 */
export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const { env } = options;
  const spec = env.spec!;
  const git = gitInfo(env.root, options.processEnv);
  const namespace = namespaceFor(spec, options.branch, git.branch);
  let state: GitState | undefined;
  const stateOf = () => (state ??= gitState(env.root));
  const forced = checkDeployPolicy({ spec, git, state: stateOf, force: options.force ?? false, ci: options.ci ?? false });
  const store = new DeploymentStore(env.workspace);

  const current = store.current(namespace);
  if (current && forced.length === 0 && unchangedSince(store, namespace, current.seq, env.root, git)) {
    return { ok: true, env: env.name, namespace, seq: current.seq, noop: true, jobs: unchangedJobs(current), removed: [], forced, git };
  }

  // Loaded only past the no-op check: the compiler, renderer and bundler cost start-up time.
  const [{ planDeployment }, { writeJobBundle }] = await Promise.all([import("./plan.js"), import("./objects.js")]);
  const plan = await planDeployment(env, namespace, git, options.cwd);
  if (!plan.ok) return { ok: false, env: env.name, namespace, diagnostics: plan.diagnostics, bundleErrors: plan.bundleErrors };

  const release = await acquireLock(store.lockFile, options.lockTimeoutMs ?? 120_000);
  try {
    // Read again under the lock: another deploy may have finished while this one planned.
    const before = store.current(namespace);
    const author = stateOf().author;
    const jobs: Record<string, DeployedJobResult> = {};
    for (const planned of plan.jobs) {
      const was = before?.jobs[planned.name];
      await writeJobBundle(store, planned, { namespace, git: { sha: git.sha, branch: git.branch, author } });
      jobs[planned.name] = { deployment_id: planned.id, changed: was !== planned.id, status: was === undefined ? "added" : was === planned.id ? "unchanged" : "changed" };
    }
    const removed = Object.keys(before?.jobs ?? {}).filter((name) => !(name in jobs)).sort();
    const changed = removed.length > 0 || Object.values(jobs).some((j) => j.changed) || before === undefined;
    let seq = before?.seq ?? 0;
    if (changed) {
      const record: DeploymentRecord = {
        seq: store.nextSeq(namespace),
        env: env.name,
        namespace,
        kind: "deploy",
        created_at: new Date().toISOString(),
        git: { sha: git.sha, branch: git.branch, author, dirty: stateOf().dirty ?? [] },
        jobs: Object.fromEntries(plan.jobs.map((j) => [j.name, j.id])),
        ...(before ? { previous: before.seq } : {}),
        ...(forced.length > 0 ? { forced } : {}),
      };
      store.commit(record);
      seq = record.seq;
    }
    if (forced.length === 0) rememberInputs(store, namespace, seq, env.root, git, plan.inputs);
    return { ok: true, env: env.name, namespace, seq, noop: !changed, jobs, removed, forced, git };
  } finally {
    release();
  }
}

function unchangedJobs(record: DeploymentRecord): Record<string, DeployedJobResult> {
  return Object.fromEntries(Object.entries(record.jobs).map(([name, id]) => [name, { deployment_id: id, changed: false, status: "unchanged" as const }]));
}
