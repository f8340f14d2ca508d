import { existsSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../errors.js";
import { validateEnvironments, type EnvironmentResult } from "../spec/environments.js";
import type { EnvironmentSpec } from "../spec/schema/environment.js";
import { listEnvironmentFiles } from "../spec/repository.js";

/**
 * The file of environment `name` (`environments/<name>.yaml` or `.yml`); an unknown environment
 * is a {@link ConfigError} (exit 2) listing the known ones.
 */
export function environmentFile(root: string, name: string): string {
  const file = ["yaml", "yml"].map((ext) => path.join(root, "environments", `${name}.${ext}`)).find((f) => existsSync(f));
  if (!/^[a-z][a-z0-9_-]*$/.test(name) || !file) {
    const known = listEnvironmentFiles(root).map((f) => path.basename(f).replace(/\.ya?ml$/, ""));
    throw new ConfigError("DS2004", `unknown environment "${name}"`, { hint: known.length ? `environments: ${known.join(", ")}` : "add environments/<name>.yaml" });
  }
  return file;
}

/** An environment as commands use it: its workspace folder and its secrets. */
export interface EnvironmentContext {
  name: string;
  /** Absolute path of the environment's workspace. */
  workspace: string;
  /** Secret names → values from the process environment (absent ones are left out). */
  secrets: Record<string, string>;
  root: string;
  /** The validated environment file (absent in contexts built by hand, e.g. in unit tests). */
  spec?: EnvironmentSpec;
  /** Where the file is and how to locate a pointer in it, for errors in what it renders. */
  source?: Pick<EnvironmentResult, "path" | "file" | "locate">;
}

/**
 * Opens environment `name` of the repository at `root`: `environments/<name>.yaml` must exist and
 * validate (else a {@link ConfigError}, exit 2). The workspace path is relative to the root.
 *
 * @example
 * ```ts
 * const env = loadEnvironment("/repo", "dev"); // { workspace: "/repo/.dagship/dev", ... }
 * ```
 */
export function loadEnvironment(root: string, name: string, processEnv: NodeJS.ProcessEnv = process.env): EnvironmentContext {
  const file = environmentFile(root, name);
  const { environments, diagnostics } = validateEnvironments([file], root);
  const result = environments[0];
  const spec = result?.environment;
  if (!result || !spec) {
    const first = diagnostics[0];
    throw new ConfigError("DS2004", `environment file ${path.relative(root, file)} has ${diagnostics.length} error${diagnostics.length === 1 ? "" : "s"}${first ? `, first: ${first.line}:${first.column} ${first.message}` : ""}`, { hint: `run: dagship validate ${path.relative(root, file)}` });
  }
  const secrets: Record<string, string> = {};
  for (const key of spec.secrets ?? []) {
    const value = processEnv[key];
    if (value !== undefined && value !== "") secrets[key] = value;
  }
  return { name, workspace: path.resolve(root, spec.workspace.path), secrets, root, spec, source: { path: result.path, file: result.file, locate: result.locate } };
}
