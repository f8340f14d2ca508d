import { DagshipError } from "../errors.js";

/**
 * Why `name` cannot be a git branch name (the rules of `git check-ref-format --branch`, plus
 * git's refusal of a leading `-` and the file system's 255 bytes per path component), or
 * undefined when it can.
 *
 * @example
 * ```ts
 * branchNameProblem("feature/login"); // undefined
 * branchNameProblem("../x");          // 'contains ".."'
 * ```
 */
export function branchNameProblem(name: string): string | undefined {
  if (name === "") return "is empty";
  if (name === "@") return 'is "@"';
  if (name.startsWith("-")) return 'starts with "-"';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(name)) return "contains a space or a control character";
  const bad = /[~^:?*[\\]/.exec(name)?.[0];
  if (bad) return `contains "${bad}"`;
  if (name.includes("..")) return 'contains ".."';
  if (name.includes("@{")) return 'contains "@{"';
  if (name.startsWith("/") || name.endsWith("/") || name.includes("//")) return "has an empty path component (a leading, trailing or double /)";
  if (name.endsWith(".")) return 'ends with "."';
  for (const part of name.split("/")) {
    if (part.startsWith(".")) return `has a component starting with "." ("${part.slice(0, 40)}")`;
    if (part.endsWith(".lock")) return `has a component ending with ".lock" ("${part.slice(0, 40)}")`;
    if (Buffer.byteLength(part) > 255) return "has a component longer than 255 bytes";
  }
  return undefined;
}

/**
 * Refuses a `--branch` that git could not hold: exit 2, `DS2060`. Such a name would otherwise
 * be folded into some namespace (`../x` into `x`) and act on a branch that cannot exist.
 *
 * @example
 * ```ts
 * checkBranchName("feature/login"); // ok
 * checkBranchName("a b");           // throws DS2060
 * ```
 */
export function checkBranchName(name: string): void {
  const problem = branchNameProblem(name);
  if (problem === undefined) return;
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  throw new DagshipError("DS2060", `--branch ${shown} is not a git branch name: it ${problem}`, { exitCode: 2, hint: "pass the name of a git branch, e.g. --branch feature/login" });
}
