import { UsageError } from "../errors.js";
import { checkBranchName } from "./branch-name.js";
import type { EnvironmentSpec } from "../spec/schema/environment.js";

/** The namespace of an environment that is not isolated by branch. */
export const DEFAULT_NAMESPACE = "default";

/**
 * The namespace a command acts in: in an environment with `isolation: branch`, the branch's
 * (`--branch`, else the checkout's), made safe as a folder name; elsewhere {@link DEFAULT_NAMESPACE}.
 * `--branch` for an environment without branch isolation is a usage error, and one git could not
 * hold (`../x`, `a b`) is `DS2060`.
 *
 * @example
 * ```ts
 * namespaceFor(devSpec, undefined, "feature/Login-Form"); // "feature-login-form"
 * namespaceFor(prodSpec, undefined, "main"); // "default"
 * ```
 */
export function namespaceFor(spec: EnvironmentSpec, branchFlag: string | undefined, gitBranch: string): string {
  if (spec.isolation !== "branch") {
    if (branchFlag !== undefined) {
      throw new UsageError(`--branch applies to environments with isolation: branch; ${spec.name} has one namespace`, { hint: `drop --branch, or set isolation: branch in environments/${spec.name}.yaml` });
    }
    return DEFAULT_NAMESPACE;
  }
  if (branchFlag !== undefined) checkBranchName(branchFlag);
  const branch = branchFlag ?? gitBranch;
  const slug = branchSlug(branch);
  if (slug === "") throw new UsageError(`branch "${branch.slice(0, 80)}" has no letters or digits to name a namespace after`, { hint: "pass another name with --branch" });
  return slug;
}

/** A branch name as a namespace: lower case, runs of other characters as `-`, at most 63 characters. */
export function branchSlug(branch: string): string {
  return branch
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[-._]+/, "")
    .slice(0, 63)
    .replace(/[-._]+$/, "");
}
