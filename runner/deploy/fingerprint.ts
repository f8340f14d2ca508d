/**
 * The no-op check of `deploy`: a sha256 over every file the last deploy of a namespace read (the
 * environment file, every job file, every file each task's code was bundled from), the job
 * folders, the git facts templates can see and the dagship version. When nothing of that changed,
 * neither can the deployment, and `deploy` says so without compiling or bundling anything.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { packageInfo } from "../package-info.js";
import type { GitInfo } from "../render/git.js";
import { writeJsonAtomic } from "../workspace/atomic.js";
import type { DeploymentStore } from "../workspace/deployments.js";
import { sha256 } from "./content.js";

interface Stored {
  fingerprint: string;
  /** The seq the fingerprint was taken for: it only short-cuts while that one is current. */
  seq: number;
  inputs: string[];
}

/**
 * The fingerprint of `inputs` as they are now, in `root`'s repository, for namespace `namespace`.
 *
 * @example
 * ```ts
 * fingerprint(root, "default", git, ["/repo/jobs/a/job.json", ...]);
 * ```
 */
export function fingerprint(root: string, namespace: string, git: GitInfo, inputs: readonly string[]): string {
  const hash = (file: string) => {
    try {
      return sha256(readFileSync(file));
    } catch {
      return "missing";
    }
  };
  let jobs: string[] = [];
  try {
    jobs = readdirSync(path.join(root, "jobs")).sort();
  } catch {
    // no jobs folder: an empty list
  }
  return sha256(JSON.stringify([1, packageInfo().version, namespace, git.branch, git.sha, jobs, inputs.map((f) => [f, hash(f)])]));
}

/** True when the namespace's current deployment `seq` was made from exactly these inputs. */
export function unchangedSince(store: DeploymentStore, namespace: string, seq: number, root: string, git: GitInfo): boolean {
  let stored: Stored;
  try {
    stored = JSON.parse(readFileSync(file(store, namespace), "utf8")) as Stored;
  } catch {
    return false;
  }
  return stored.seq === seq && stored.fingerprint === fingerprint(root, namespace, git, stored.inputs);
}

/** Records the inputs a deploy of `seq` was made from. */
export function rememberInputs(store: DeploymentStore, namespace: string, seq: number, root: string, git: GitInfo, inputs: readonly string[]): void {
  const stored: Stored = { fingerprint: fingerprint(root, namespace, git, inputs), seq, inputs: [...inputs] };
  writeJsonAtomic(file(store, namespace), stored);
}

/** Forgets them (after a rollback, the working tree no longer matches what is current). */
export function forgetInputs(store: DeploymentStore, namespace: string): void {
  rmSync(file(store, namespace), { force: true });
}

function file(store: DeploymentStore, namespace: string): string {
  return path.join(store.namespaceDir(namespace), "fingerprint.json");
}
