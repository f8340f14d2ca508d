/**
 * What a job's deployment consists of, and its content address: the rendered, compiled job with
 * each ts_task pointing at its bundled code, plus that code. The id is a sha256 over both, so the
 * same job and code always get the same id, and any change to either a new one.
 */
import { createHash } from "node:crypto";
import type { CompiledJob } from "../spec/compiled.js";

/** A task's bundled code in a deployment. */
export interface DeployedCode {
  /** Relative to the job bundle's folder, e.g. `code/train.mjs`. */
  file: string;
  sha256: string;
  /** The files it was bundled from, relative to the repository root, with their sha256. */
  sources: Array<{ path: string; sha256: string }>;
  /** Packages left external, pinned to the files they resolved to. */
  externals: Record<string, string>;
}

/**
 * A deployed job: a compiled job whose `source` paths are relative to its bundle folder (`.`) and
 * whose ts_tasks run bundled code (`path` relative, `bundled` set). `display_name` carries the
 * namespace in a branch namespace (`[feature-x] train`), as development-mode names do.
 */
export type DeployedJob = CompiledJob & { display_name: string; namespace: string };

/** The manifest of a job bundle (`manifest.json`). */
export interface JobManifest {
  format: 1;
  job: string;
  deployment_id: string;
  namespace: string;
  created_at: string;
  git: { sha: string; branch: string; author: string };
  dagship: string;
  /** sha256 of every other file of the bundle, by relative path. */
  files: Record<string, string>;
  code: Record<string, DeployedCode>;
}

/**
 * The deployable form of a compiled job, given each ts_task's bundled code.
 *
 * @example
 * ```ts
 * const deployed = deployableJob(job, "default", { train: { file: "code/train.mjs", ... } });
 * ```
 */
export function deployableJob(job: CompiledJob, namespace: string, isolated: boolean, code: Record<string, DeployedCode>): DeployedJob {
  const tasks = job.tasks.map((t) => {
    if (t.type !== "ts_task") return t;
    const c = code[t.task_key]!;
    return { ...t, ts_task: { ...t.ts_task, path: c.file, bundled: { externals: c.externals } } };
  });
  return { ...job, display_name: isolated ? `[${namespace}] ${job.name}` : job.name, namespace, tasks, source: { file: "job.json", dir: ".", root: "." } };
}

/** The content address of a deployed job and its code. */
export function deploymentId(job: DeployedJob, code: Record<string, DeployedCode>): string {
  const hashes = Object.keys(code)
    .sort()
    .map((k) => [k, code[k]!.sha256]);
  return sha256(JSON.stringify({ format: 1, job, code: hashes }));
}

/**
 * The view of a deployed job that `diff` compares: the job as users think of it (no internal
 * paths), with each ts_task's code as its hash.
 */
export function jobView(job: DeployedJob, code: Record<string, DeployedCode>): Record<string, unknown> {
  const { source: _source, order: _order, namespace: _ns, tasks, ...rest } = job;
  return {
    ...rest,
    tasks: tasks.map(({ index: _index, ...t }) => {
      if (t.type !== "ts_task") return t;
      const { path: _path, bundled: _bundled, ...ts } = t.ts_task;
      return { ...t, ts_task: { ...ts, code_sha256: code[t.task_key]?.sha256 ?? "" } };
    }),
  };
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
