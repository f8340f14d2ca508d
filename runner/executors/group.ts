/**
 * Process-group plumbing of the process executor: where the compiled child entry and SDK are,
 * the child's environment, and signalling a whole process group.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { packageInfo } from "../package-info.js";
import type { ModelRuntime } from "../sdk/protocol.js";
import type { AttemptRequest } from "./types.js";

/** The compiled child entry and the SDK module that `import "dagship"` bundles into tasks. */
export interface SdkFiles {
  child: string;
  sdk: string;
  /** The model registry module (`models/index.js`), which `ctx.models` imports on first use. */
  models: string;
}

let located: SdkFiles | undefined;

/**
 * Finds the task runtime (`sdk/child.bundle.cjs`) and `sdk/index.js` next to this module (when running from `dist/`), or in
 * the package's `dist/` (when this module runs from source, e.g. under vitest).
 */
export function sdkFiles(): SdkFiles {
  if (located) return located;
  const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../sdk");
  const dir = existsSync(path.join(here, "child.js")) ? here : path.join(packageInfo().root, "dist/runner/sdk");
  // The runtime is the one-file bundle the build makes of child.js (scripts/bundle-child.mjs).
  const files = { child: path.join(dir, "child.bundle.cjs"), sdk: path.join(dir, "index.js"), models: path.join(dir, "..", "models", "index.js") };
  if (!existsSync(files.child) || !existsSync(files.sdk)) {
    throw new Error(`the task runtime ${files.child} is missing; build dagship first (npm run build)`);
  }
  return (located = files);
}

/**
 * What the child's `ctx.models` needs (see ../sdk/protocol.ts), or undefined when the request has
 * no workspace. `externals` are the task bundle's pinned packages: the session is made with the
 * task's own onnxruntime-node when it imports one.
 */
export function modelRuntime(req: AttemptRequest, externals: Record<string, string>): ModelRuntime | undefined {
  if (req.workspace === undefined) return undefined;
  return {
    module: pathToFileURL(sdkFiles().models).href,
    workspace: req.workspace,
    deployment_id: req.deployment_id ?? null,
    git_sha: req.git_sha ?? null,
    ort: externals["onnxruntime-node"] ?? "onnxruntime-node",
  };
}

/** Variables the child must not inherit: Node's IPC plumbing and the parent's loaders/flags. */
const DROP = new Set(["NODE_OPTIONS", "NODE_CHANNEL_FD", "NODE_CHANNEL_SERIALIZATION_MODE", "NODE_UNIQUE_ID"]);

/** The child's environment: ours minus Node flags and dagship internals, plus the task's `env`. */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !DROP.has(key) && !key.startsWith("DAGSHIP_INTERNAL_")) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Sends `signal` to the process group `pgid`. A group that is already gone (ESRCH) is not an
 * error; nor is any other failure (EPERM), since this runs from timers where throwing would take
 * the runner down.
 */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    return process.kill(-pgid, signal);
  } catch {
    return false;
  }
}
