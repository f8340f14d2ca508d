/**
 * Job bundles in the workspace (`deployments/objects/<job>/<id>/`): written once, whole, and
 * never changed. A bundle is assembled in a temporary folder beside its final place (every file
 * fsync'ed, the manifest last) and renamed into place in one step.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../errors.js";
import { packageInfo } from "../package-info.js";
import type { CompiledJob } from "../spec/compiled.js";
import { fsyncDir } from "../workspace/atomic.js";
import type { DeploymentStore } from "../workspace/deployments.js";
import { sha256, type DeployedJob, type JobManifest } from "./content.js";
import type { PlannedJob } from "./plan.js";

/**
 * Writes a planned job's bundle unless it exists (content-addressed: same id, same content).
 * Leftover temporary folders of interrupted deploys are removed on the way. Call with the deploy
 * lock held. Returns whether it wrote anything.
 *
 * @example
 * ```ts
 * writeJobBundle(store, planned, { namespace: "default", git: { sha, branch, author } });
 * ```
 */
export async function writeJobBundle(store: DeploymentStore, planned: PlannedJob, meta: Pick<JobManifest, "namespace" | "git">): Promise<boolean> {
  const final = store.objectDir(planned.name, planned.id);
  const parent = path.dirname(final);
  mkdirSync(parent, { recursive: true });
  for (const entry of readdirSync(parent)) if (entry.startsWith(".tmp-")) rmSync(path.join(parent, entry), { recursive: true, force: true });
  if (existsSync(path.join(final, "manifest.json"))) return false;
  const tmp = path.join(parent, `.tmp-${planned.id.slice(0, 12)}-${process.pid}`);
  mkdirSync(path.join(tmp, "code"), { recursive: true });
  const files: Record<string, string> = { "job.json": JSON.stringify(planned.job, null, 2) + "\n", ...planned.files };
  const hashes: Record<string, string> = {};
  for (const [rel, text] of Object.entries(files)) hashes[rel] = sha256(text);
  // Written and fsync'ed concurrently (the file system batches the flushes), the manifest last.
  await Promise.all(Object.entries(files).map(([rel, text]) => writeDurably(path.join(tmp, rel), text)));
  const manifest: JobManifest = { format: 1, job: planned.name, deployment_id: planned.id, created_at: new Date().toISOString(), dagship: packageInfo().version, ...meta, files: hashes, code: planned.code };
  await writeDurably(path.join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  fsyncDir(path.join(tmp, "code"));
  fsyncDir(tmp);
  // A half-built folder of an earlier crash under the final name has no manifest: replace it.
  if (existsSync(final)) rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  fsyncDir(parent);
  return true;
}

/** A job bundle as stored: its deployed job and manifest. A missing bundle is an error (exit 2). */
export function readJobBundle(store: DeploymentStore, job: string, id: string): { dir: string; job: DeployedJob; manifest: JobManifest } {
  const dir = store.objectDir(job, id);
  try {
    return {
      dir,
      job: JSON.parse(readFileSync(path.join(dir, "job.json"), "utf8")) as DeployedJob,
      manifest: JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as JobManifest,
    };
  } catch (cause) {
    throw new ConfigError("DS2014", `the bundle ${id.slice(0, 12)} of job "${job}" is missing or damaged in ${store.dir}`, { hint: "redeploy: dagship deploy --env <env>; dagship doctor checks a workspace", cause });
  }
}

/**
 * A deployed job as the runner uses it: paths made absolute against its bundle folder; the
 * repository root (`root`) stays the task processes' working folder.
 */
export function runnableJob(bundle: { dir: string; job: DeployedJob }, root: string): CompiledJob {
  const { job, dir } = bundle;
  return {
    ...job,
    source: { file: path.join(dir, "job.json"), dir, root },
    tasks: job.tasks.map((t) => (t.type === "ts_task" ? { ...t, ts_task: { ...t.ts_task, path: path.join(dir, t.ts_task.path) } } : t)),
  };
}

async function writeDurably(file: string, text: string): Promise<void> {
  const handle = await open(file, "w", 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
