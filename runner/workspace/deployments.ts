/**
 * The deployments of one environment's workspace:
 *
 * ```text
 * <workspace>/deployments/
 *   deploy.lock                           held while a deploy, rollback or destroy changes anything
 *   objects/<job>/<deployment_id>/        one job's immutable, content-addressed bundle
 *     job.json  code/<task>.mjs(.map)  manifest.json
 *   namespaces/<namespace>/
 *     current.json                        the current deployment (a copy of its history record)
 *     history/<seq>.json                  every deployment and rollback, in order
 *     fingerprint.json                    inputs of the last deploy (a cache for the no-op check)
 * ```
 *
 * Every file is written atomically; a job bundle is assembled in a temporary folder and renamed
 * into place whole, so a crash leaves either no bundle or a complete one, and `current.json`
 * always names bundles that exist.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../errors.js";
import { writeJsonAtomic } from "./atomic.js";

/** Where a deploy came from, as a deployment record keeps it. */
export interface DeploySource {
  sha: string;
  branch: string;
  author: string;
  /** Uncommitted paths at deploy time (deploys with --force can have some). */
  dirty: string[];
}

/** One deployment (or rollback) of a namespace: which bundle of each job is current. */
export interface DeploymentRecord {
  /** 1, 2, 3, ... per namespace. */
  seq: number;
  env: string;
  namespace: string;
  kind: "deploy" | "rollback";
  created_at: string;
  git: DeploySource;
  /** Job name → deployment id (the job bundle's content hash). */
  jobs: Record<string, string>;
  /** The seq that was current before this one: what `--rollback` returns to. */
  previous?: number;
  /** For a rollback: the seq whose jobs it made current again. */
  rolled_back_to?: number;
  /** Set when policy checks were overridden with --force. */
  forced?: string[];
}

const NAMESPACE = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * The deployment records of a workspace. Readers need no lock; writers hold the deploy lock
 * (see {@link DeploymentStore.lockFile}).
 *
 * @example
 * ```ts
 * const store = new DeploymentStore("/repo/.dagship/staging");
 * store.current("default")?.jobs; // { hello: "3f9c…" }
 * ```
 */
export class DeploymentStore {
  readonly dir: string;
  constructor(readonly workspace: string) {
    this.dir = path.join(workspace, "deployments");
  }

  get lockFile(): string {
    return path.join(this.dir, "deploy.lock");
  }

  namespaceDir(namespace: string): string {
    if (!NAMESPACE.test(namespace)) throw new ConfigError("DS2001", `"${namespace.slice(0, 80)}" is not a namespace name`, { hint: "namespaces are lower-case letters, digits, '.', '_' and '-', at most 63 characters" });
    return path.join(this.dir, "namespaces", namespace);
  }

  /** The folder of a job's bundle (which may not exist). */
  objectDir(job: string, id: string): string {
    return path.join(this.dir, "objects", job, id);
  }

  /** The namespaces that have deployments. */
  namespaces(): string[] {
    return list(path.join(this.dir, "namespaces")).filter((n) => NAMESPACE.test(n) && existsSync(path.join(this.dir, "namespaces", n, "current.json")));
  }

  /** The current deployment of a namespace, or undefined before its first deploy. */
  current(namespace: string): DeploymentRecord | undefined {
    return readJson<DeploymentRecord>(path.join(this.namespaceDir(namespace), "current.json"));
  }

  /** Every deployment of a namespace, oldest first. */
  history(namespace: string): DeploymentRecord[] {
    const dir = path.join(this.namespaceDir(namespace), "history");
    return list(dir)
      .filter((f) => /^\d{6,}\.json$/.test(f))
      .sort((a, b) => parseInt(a, 10) - parseInt(b, 10)) // numerically: seq 1000000 comes after 999999
      .flatMap((f) => readJson<DeploymentRecord>(path.join(dir, f)) ?? []);
  }

  /** One deployment of a namespace by seq. */
  record(namespace: string, seq: number): DeploymentRecord | undefined {
    return readJson<DeploymentRecord>(path.join(this.namespaceDir(namespace), "history", `${String(seq).padStart(6, "0")}.json`));
  }

  /** The next free seq of a namespace (after every history record, current or not). */
  nextSeq(namespace: string): number {
    const seqs = list(path.join(this.namespaceDir(namespace), "history")).map((f) => Number.parseInt(f, 10)).filter(Number.isFinite);
    return Math.max(0, ...seqs) + 1;
  }

  /**
   * Makes `record` current: its history record first, then `current.json`. A crash between the
   * two leaves the previous deployment current and an orphan history record, which the next
   * deploy's seq skips. Call with the deploy lock held.
   */
  commit(record: DeploymentRecord): void {
    const dir = this.namespaceDir(record.namespace);
    mkdirSync(path.join(dir, "history"), { recursive: true });
    writeJsonAtomic(path.join(dir, "history", `${String(record.seq).padStart(6, "0")}.json`), record);
    writeJsonAtomic(path.join(dir, "current.json"), record);
  }

  /**
   * Removes a namespace: renamed away in one step (so it is gone or intact, never half-deleted),
   * then deleted. Call with the deploy lock held.
   */
  removeNamespace(namespace: string): boolean {
    const dir = this.namespaceDir(namespace);
    if (!existsSync(dir)) return false;
    const trash = path.join(this.dir, "trash");
    mkdirSync(trash, { recursive: true });
    const away = path.join(trash, `${namespace}-${process.pid}-${Date.now()}`);
    renameSync(dir, away);
    rmSync(away, { recursive: true, force: true });
    return true;
  }

  /** Every job bundle still named by some namespace's history. */
  referenced(): Set<string> {
    const keep = new Set<string>();
    for (const ns of list(path.join(this.dir, "namespaces"))) {
      if (!NAMESPACE.test(ns)) continue;
      for (const r of this.history(ns)) for (const [job, id] of Object.entries(r.jobs)) keep.add(`${job}/${id}`);
    }
    return keep;
  }

  /**
   * Deletes job bundles no history names any more, leftovers of interrupted deploys and removed
   * namespaces. Call with the deploy lock held. Returns how many bundles went.
   */
  collectGarbage(): number {
    rmSync(path.join(this.dir, "trash"), { recursive: true, force: true });
    const keep = this.referenced();
    let removed = 0;
    for (const job of list(path.join(this.dir, "objects"))) {
      for (const entry of list(path.join(this.dir, "objects", job))) {
        if (keep.has(`${job}/${entry}`)) continue;
        rmSync(path.join(this.dir, "objects", job, entry), { recursive: true, force: true });
        if (!entry.startsWith(".tmp-")) removed++;
      }
    }
    return removed;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readJson<T>(file: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new ConfigError("DS2003", `${file} is not valid JSON: the workspace is damaged`, { hint: "inspect the file; records are written atomically, so this is not a crash of dagship's", cause });
  }
}
