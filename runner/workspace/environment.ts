import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import path from "node:path";
import { ConfigError } from "../errors.js";
import { validateEnvironments, workspacePathProblem, type EnvironmentResult } from "../spec/environments.js";
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
  const workspace = path.resolve(root, spec.workspace.path);
  refuseSharedWorkspace(root, name, workspace);
  const secrets: Record<string, string> = {};
  for (const key of spec.secrets ?? []) {
    const value = processEnv[key];
    if (value !== undefined && value !== "") secrets[key] = value;
  }
  return { name, workspace, secrets, root, spec, source: { path: result.path, file: result.file, locate: result.locate } };
}

/**
 * Refuses an environment whose workspace is, contains or lies inside another environment's
 * (`DS2063`, exit 2): a command for one would then read and write the other's runs, deployments
 * and models. The other files are only parsed for their `workspace.path`; one that cannot be is
 * the validator's to report.
 *
 * @example
 * ```ts
 * refuseSharedWorkspace("/repo", "dev", "/repo/.dagship/dev"); // throws when staging.yaml also says .dagship/dev
 * ```
 */
export function refuseSharedWorkspace(root: string, name: string, workspace: string): void {
  for (const file of listEnvironmentFiles(root)) {
    const other = path.basename(file).replace(/\.ya?ml$/, "");
    if (other === name) continue;
    let theirs: unknown;
    try {
      theirs = (parseYaml(readFileSync(file, "utf8")) as { workspace?: { path?: unknown } } | null)?.workspace?.path;
    } catch {
      continue;
    }
    if (typeof theirs !== "string" || theirs === "" || workspacePathProblem(theirs)) continue;
    const abs = path.resolve(root, theirs);
    const how = abs === workspace ? "the same workspace" : inside(abs, workspace) ? "a workspace that holds theirs" : inside(workspace, abs) ? "a workspace inside theirs" : undefined;
    if (how) {
      throw new ConfigError("DS2063", `environments ${name} and ${other} share a workspace: ${name} has ${how} (${path.relative(root, workspace) || "."} and ${path.relative(root, abs) || "."})`, {
        hint: `give each environment its own workspace.path, e.g. .dagship/${name}`,
      });
    }
  }
}

/** Whether `child` lies inside `parent`. */
function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}
