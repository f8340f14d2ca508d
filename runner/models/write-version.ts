/**
 * Registering a version: the number is allocated under the model's version lock (1, 2, 3, ...),
 * the files are written into a staging folder and fsync'ed, and the folder is renamed to
 * `versions/<N>` whole. A crash leaves either no version N or a complete one (a leftover staging
 * folder is removed by the next registration). Versions are never changed afterwards.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fsyncDir } from "../workspace/atomic.js";
import { appendAudit } from "./audit.js";
import { sha256 } from "./hash.js";
import { VERSION_LOCK_TIMEOUT_MS, withLock } from "./lock.js";
import { checkFilePath } from "./names.js";
import type { ModelRegistry } from "./store.js";
import type { Actor, Json, Lineage, ModelSource, ModelVersionMeta } from "./types.js";

/** What a caller hands over to register a version (the Task SDK's `ctx.models.register`). */
export interface NewVersion {
  /** The ONNX model's bytes. */
  onnx: Uint8Array;
  /** The featurizer config scoring needs (stored in meta.json). */
  featurizer?: Json;
  /** Metric name → value, e.g. `{ auc: 0.91 }`. */
  metrics: Record<string, number>;
  params?: Record<string, Json>;
  /** Missing fields are recorded as null (input_tables as []). */
  lineage?: Partial<Lineage>;
  /** Further files of the version: relative path → content. */
  files?: Record<string, Uint8Array | string>;
}

export interface WriteOptions {
  actor: Actor;
  /** When it returns true for an existing version, that version is returned instead of a new one. */
  reuse?: (existing: ModelVersionMeta) => boolean;
  lockTimeoutMs?: number;
}

/**
 * Registers `input` as the next version of model `name` and records it in the audit log.
 *
 * @example
 * ```ts
 * const { meta } = await writeVersion(registry, "reviews", { onnx, metrics: { auc: 0.9 } }, { actor });
 * meta.version; // 1 for the first version
 * ```
 */
export async function writeVersion(registry: ModelRegistry, name: string, input: NewVersion, options: WriteOptions): Promise<{ meta: ModelVersionMeta; created: boolean }> {
  const paths = registry.paths(name);
  const content = normalise(input);
  mkdirSync(paths.dir, { recursive: true });
  return withLock(paths.versionsLock, options.lockTimeoutMs ?? VERSION_LOCK_TIMEOUT_MS, () => {
    rmSync(paths.staging, { recursive: true, force: true }); // only lock holders write there: leftovers of a crash
    const existing = registry.versions(name);
    if (options.reuse) {
      for (const v of existing) {
        const meta = registry.meta(name, v);
        if (options.reuse(meta)) return { meta, created: false };
      }
    }
    const version = (existing.at(-1) ?? 0) + 1;
    const meta: ModelVersionMeta = { name, version, created_at: new Date().toISOString(), ...content.meta };
    const stage = path.join(paths.staging, `${process.pid}-${randomBytes(4).toString("hex")}`);
    writeTree(stage, [
      ["model.onnx", input.onnx],
      ...content.files.map(([file, bytes]) => [path.join("files", ...file.split("/")), bytes] as [string, Uint8Array]),
      ["meta.json", Buffer.from(JSON.stringify(meta, null, 2) + "\n")],
    ]);
    mkdirSync(paths.versionsDir, { recursive: true });
    renameSync(stage, paths.versionDir(version));
    rmSync(paths.staging, { recursive: true, force: true });
    fsyncDir(paths.versionsDir);
    fsyncDir(paths.dir);
    const source: ModelSource | undefined = meta.lineage.source;
    appendAudit(paths, { event: "register", at: meta.created_at, env: registry.env, model: name, who: options.actor.who, git_sha: options.actor.git_sha, version, ...(source ? { source } : {}) });
    return { meta, created: true };
  });
}

/** Checks the input and computes what meta.json records about it (all but name, version, time). */
function normalise(input: NewVersion): { meta: Omit<ModelVersionMeta, "name" | "version" | "created_at">; files: Array<[string, Uint8Array]> } {
  if (!(input.onnx instanceof Uint8Array) || input.onnx.length === 0) throw new TypeError("models.register: onnx must be the model's bytes (a non-empty Uint8Array)");
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(input.metrics ?? {})) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`models.register: metric "${k}" must be a finite number, got ${JSON.stringify(v)}`);
    metrics[k] = v;
  }
  const files = Object.entries(input.files ?? {})
    .map(([file, data]): [string, Uint8Array] => [checkFilePath(file), typeof data === "string" ? Buffer.from(data) : data])
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const l = input.lineage ?? {};
  const lineage: Lineage = {
    env: l.env ?? null,
    job: l.job ?? null,
    run_id: l.run_id ?? null,
    task_key: l.task_key ?? null,
    deployment_id: l.deployment_id ?? null,
    git_sha: l.git_sha ?? null,
    input_tables: (l.input_tables ?? []).map((t) => ({ name: t.name, sha256: t.sha256 })),
    ...(l.source ? { source: l.source } : {}),
  };
  return {
    meta: {
      onnx_sha256: sha256(input.onnx),
      onnx_bytes: input.onnx.length,
      metrics,
      params: JSON.parse(JSON.stringify(input.params ?? {})) as Record<string, Json>,
      featurizer: input.featurizer === undefined ? null : (JSON.parse(JSON.stringify(input.featurizer)) as Json),
      lineage,
      files: Object.fromEntries(files.map(([f, b]) => [f, sha256(b)])),
    },
    files,
  };
}

/** Writes files (relative path → bytes) under `root`, fsync'ing every file and folder. */
function writeTree(root: string, files: Array<[string, Uint8Array]>): void {
  const dirs = new Set<string>([root]);
  for (const [rel, bytes] of files) {
    const file = path.join(root, rel);
    for (let d = path.dirname(file); d.startsWith(root) && !dirs.has(d); d = path.dirname(d)) dirs.add(d);
    mkdirSync(path.dirname(file), { recursive: true });
    const fd = openSync(file, "wx", 0o444);
    try {
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) fsyncDir(d);
}
