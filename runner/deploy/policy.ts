import { ConfigError } from "../errors.js";
import type { GitInfo, GitState } from "../render/git.js";
import type { EnvironmentSpec } from "../spec/schema/environment.js";

/** What a deploy needs to know to apply an environment's `deploy` policy. */
export interface PolicyInput {
  spec: EnvironmentSpec;
  git: GitInfo;
  /** Read only when the policy needs it (it runs git). */
  state: () => GitState;
  force: boolean;
  /** True in CI (CI=true or GITHUB_ACTIONS=true), where --force is refused. */
  ci: boolean;
}

/**
 * Checks the environment's `deploy` policy (allowed branches, clean tree). Every violation is
 * listed in one error (DS2009, exit 2); with `--force` outside CI they are returned instead, for
 * the caller to warn about and record.
 *
 * @example
 * ```ts
 * const forced = checkDeployPolicy({ spec, git, state: () => gitState(root), force: false, ci: false }); // [] or throws
 * ```
 */
export function checkDeployPolicy(input: PolicyInput): string[] {
  const { spec, git } = input;
  const rules = spec.deploy ?? {};
  const problems: string[] = [];
  if (rules.allowed_branches && !rules.allowed_branches.some((p) => branchMatches(p, git.branch))) {
    problems.push(`branch "${git.branch}" is not one ${spec.name} deploys from (allowed: ${rules.allowed_branches.join(", ")})`);
  }
  if (rules.require_clean_tree) {
    const dirty = input.state().dirty;
    if (dirty === undefined) problems.push(`${spec.name} requires a clean git tree, and this is not a git repository`);
    else if (dirty.length > 0) problems.push(`${spec.name} requires a clean git tree; uncommitted: ${dirty.slice(0, 5).join(", ")}${dirty.length > 5 ? ` and ${dirty.length - 5} more` : ""}`);
  }
  if (problems.length === 0) return [];
  if (input.force && input.ci) {
    throw new ConfigError("DS2013", `deploy to ${spec.name} refused, and --force is not allowed in CI: ${problems.join("; ")}`, { hint: "deploy from an allowed branch with a clean tree" });
  }
  if (input.force) return problems;
  throw new ConfigError("DS2013", `deploy to ${spec.name} refused: ${problems.join("; ")}`, {
    hint: `commit your changes and deploy from an allowed branch (see deploy: in environments/${spec.name}.yaml); --force overrides this outside CI`,
  });
}

/** A branch pattern: `*` is any characters but `/`, `**` any characters. */
export function branchMatches(pattern: string, branch: string): boolean {
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`).test(branch);
}
