import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../errors.js";
import { JOB_NAME_PATTERN } from "./names.js";
import { formatList } from "./suggest.js";

/**
 * The repository root: the nearest folder at or above `cwd` holding `.git`, else the nearest
 * holding `package.json`, else `cwd`. Job modules must resolve inside it.
 */
export function findRoot(cwd: string): string {
  for (const marker of [".git", "package.json"]) {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, marker))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  return path.resolve(cwd);
}

/** `jobs/<name>/job.json` for every job of the repository, sorted by name. */
export function listJobFiles(root: string): string[] {
  return jobFolders(path.join(root, "jobs")).map((name) => path.join(root, "jobs", name, "job.json"));
}

/** Names of the folders under `dir` that hold a job.json (memoised per call site by the caller). */
export function jobFolders(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.filter((name) => existsSync(path.join(dir, name, "job.json"))).sort();
}

/** `environments/*.yaml` (and `.yml`), sorted. */
export function listEnvironmentFiles(root: string): string[] {
  const dir = path.join(root, "environments");
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => path.join(dir, n));
}

/**
 * Resolves `validate` arguments to job files: a job.json (or any .json file), a folder (every
 * job.json below it), or a job name under `jobs/`. Throws a {@link ConfigError} (exit 2) for
 * anything else.
 */
export function resolveJobTargets(args: readonly string[], cwd: string, root: string): string[] {
  const files = new Set<string>();
  for (const arg of args) {
    if (arg.trim() === "") throw new ConfigError("DS2002", `no job, file or folder named "${arg}": the argument is empty`, { hint: "name a job, a job.json or a folder; with no argument validate checks every job" });
    const abs = path.resolve(cwd, arg);
    const stat = statOrUndefined(abs);
    if (stat?.isDirectory()) {
      const found = findJobFiles(abs);
      if (found.length === 0) throw new ConfigError("DS2002", `no job.json found in "${arg}"`, { hint: "a job lives in <folder>/job.json" });
      found.forEach((f) => files.add(f));
    } else if (stat?.isFile()) {
      files.add(abs);
    } else if (new RegExp(JOB_NAME_PATTERN).test(arg) && existsSync(path.join(root, "jobs", arg, "job.json"))) {
      files.add(path.join(root, "jobs", arg, "job.json"));
    } else {
      const known = jobFolders(path.join(root, "jobs"));
      throw new ConfigError("DS2002", `no job, file or folder named "${arg}"`, { hint: known.length ? `known jobs: ${formatList(known)}` : "there is no jobs/ folder in this repository" });
    }
  }
  return [...files];
}

/** Every job.json at or below `dir`, skipping node_modules and hidden folders. */
export function findJobFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (error) {
      throw new ConfigError("DS2003", `cannot read the folder "${current}": ${(error as Error).message}`);
    }
    for (const e of entries) {
      if (e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith(".")) stack.push(path.join(current, e.name));
      else if (e.isFile() && e.name === "job.json") out.push(path.join(current, e.name));
    }
  }
  return out.sort();
}

/** How a path is shown to users: relative to `cwd` when inside it, absolute otherwise. */
export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : abs;
}

/** The stat of `abs`, or undefined when there is nothing there or it cannot be (a name too long for the file system). */
function statOrUndefined(abs: string): ReturnType<typeof statSync> {
  try {
    return statSync(abs, { throwIfNoEntry: false });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENAMETOOLONG" || code === "ENOTDIR" || code === "ELOOP") return undefined;
    throw error;
  }
}
