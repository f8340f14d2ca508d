/**
 * `ctx.models` in the attempt's child process: the task calls the environment's model registry
 * (runner/models) directly, in its own process. The registry module and onnxruntime-node are
 * imported on first use, so a task that does not use models pays nothing for them (this file is
 * part of the child runtime's bundle; it imports Node built-ins lazily too).
 */
import type { InferenceSession } from "onnxruntime-node";
import type * as Registry from "../models/index.js";
import type { InputTable } from "../models/types.js";
import type { LoadedModel, NewModelVersion, TaskModels } from "./index.js";
import type { InitMessage } from "./protocol.js";

type Ort = typeof import("onnxruntime-node");

/** A table the task read, or declared as an input: `<task_key>/<name>` → its file. */
export type TableReads = Map<string, string>;

/**
 * Builds `ctx.models` for one attempt. `reads` fills as the task reads tables (ctx.tables.read /
 * batches); `tableFile` finds an upstream table's file (or throws TableNotFoundError).
 */
export function createModels(init: InitMessage, reads: TableReads, tableFile: (task_key: string, name: string, where: string) => string): TaskModels {
  const rt = init.models;
  let registry: Promise<typeof Registry> | undefined;
  let ort: Promise<Ort> | undefined;
  const open = (where: string): Promise<typeof Registry> => {
    if (!rt) return Promise.reject(new Error(`ctx.models.${where}: this task has no model registry (it was not started by the dagship runner with a workspace)`));
    return (registry ??= import(rt.module) as Promise<typeof Registry>);
  };
  const loadOrt = (): Promise<Ort> =>
    (ort ??= (import(rt!.ort) as Promise<Ort & { default?: Ort }>).then((m) => (m.default?.InferenceSession ? m.default : m)));
  const run = { job: init.job.name, run_id: init.job.run_id, task_key: init.task_key };

  return {
    async register(name, version) {
      const m = await open("register");
      checkVersion(version);
      const files = new Map(reads);
      for (const input of version.inputs ?? []) {
        const key = `${input.task_key}/${input.name}`;
        files.set(key, tableFile(input.task_key, input.name, `models.register(${JSON.stringify(name)}): inputs ${key}`));
      }
      const input_tables = await hashTables(files);
      const lineage = { env: init.job.env, ...run, deployment_id: rt!.deployment_id, git_sha: rt!.git_sha, input_tables };
      const { onnx, featurizer, metrics, params, files: extra } = version;
      return m.registerVersion(rt!.workspace, name, { onnx, featurizer, metrics, params, files: extra, lineage }, { env: init.job.env });
    },

    async load(name, ref, options = {}): Promise<LoadedModel> {
      const m = await open("load");
      const resolved = m.resolveVersion(rt!.workspace, name, checkRef(ref));
      const { InferenceSession } = await loadOrt();
      let session: InferenceSession;
      try {
        session = await InferenceSession.create(resolved.onnx, options.session ?? {});
      } catch (error) {
        throw new Error(`models.load(${JSON.stringify(name)}): onnxruntime cannot load v${resolved.meta.version}: ${(error as Error).message}`, { cause: error });
      }
      return { session, meta: resolved.meta, featurizer: resolved.meta.featurizer, onnx: resolved.onnx, files: resolved.files };
    },

    async versions(name) {
      const m = await open("versions");
      m.checkModelName(name);
      const registry = new m.ModelRegistry(rt!.workspace, init.job.env);
      return registry.versions(name).map((v) => registry.meta(name, v));
    },

    async aliases(name) {
      const m = await open("aliases");
      m.checkModelName(name);
      return new m.ModelRegistry(rt!.workspace, init.job.env).aliases(name);
    },

    async setAlias(name, alias, version, options = {}) {
      const m = await open("setAlias");
      if (!Number.isInteger(version) || version < 1) throw new TypeError(`models.setAlias: version must be a positive integer, got ${JSON.stringify(version)}`);
      const registry = new m.ModelRegistry(rt!.workspace, init.job.env);
      const actor = m.processActor(process.env, rt!.git_sha);
      return m.moveAlias(registry, name, alias, version, actor, {
        run,
        ...(options.reason === undefined ? {} : { reason: String(options.reason) }),
        ...(options.expect === undefined ? {} : { expect: options.expect }),
      });
    },

    async recordGate(name, decision) {
      const m = await open("recordGate");
      m.checkModelName(name);
      const registry = new m.ModelRegistry(rt!.workspace, init.job.env);
      return m.recordGateDecision(registry, name, decision, m.processActor(process.env, rt!.git_sha), { run });
    },
  };
}

function checkVersion(version: NewModelVersion): void {
  if (typeof version !== "object" || version === null) throw new TypeError(`models.register: expected { onnx, metrics, featurizer?, params?, files?, inputs? }, got ${String(version)}`);
  const known = new Set(["onnx", "featurizer", "metrics", "params", "files", "inputs"]);
  const unknown = Object.keys(version).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new TypeError(`models.register: unknown field${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (known: ${[...known].join(", ")})`);
  if (version.inputs !== undefined && !Array.isArray(version.inputs)) throw new TypeError("models.register: inputs must be an array of { task_key, name }");
}

function checkRef(ref: { alias: string } | { version: number }): { alias: string } | { version: number } {
  const r = ref as { alias?: unknown; version?: unknown } | null;
  if (typeof r === "object" && r !== null) {
    if (typeof r.alias === "string" && r.version === undefined) return { alias: r.alias };
    if (typeof r.version === "number" && Number.isInteger(r.version) && r.version >= 1 && r.alias === undefined) return { version: r.version };
  }
  throw new TypeError(`models.load: expected { alias: "champion" } or { version: N }, got ${JSON.stringify(ref)}`);
}

/** The sha256 of each table's Arrow file, streamed (tables may be larger than memory), sorted by name. */
async function hashTables(files: TableReads): Promise<InputTable[]> {
  const [{ createHash }, { createReadStream }] = await Promise.all([import("node:crypto"), import("node:fs")]);
  const out: InputTable[] = [];
  for (const [name, file] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
    out.push({ name, sha256: hash.digest("hex") });
  }
  return out;
}
