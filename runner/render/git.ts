import { execFileSync } from "node:child_process";

/** The git facts deploy-time templates see as `git.*`. */
export interface GitInfo {
  branch: string;
  sha: string;
  short_sha: string;
}

/**
 * The current branch and commit of the repository at `root`. In GitHub Actions the branch comes
 * from GITHUB_HEAD_REF / GITHUB_REF_NAME (checkouts there are often detached). Outside a git
 * repository (or without git) the branch is `local` and the sha is empty.
 *
 * @example
 * ```ts
 * gitInfo("/repo"); // { branch: "feature-x", sha: "3f2c…", short_sha: "3f2c1a9" }
 * ```
 */
export function gitInfo(root: string, env: NodeJS.ProcessEnv = process.env): GitInfo {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return "";
    }
  };
  const sha = env.DAGSHIP_GIT_SHA || env.GITHUB_SHA || git("rev-parse", "HEAD");
  let branch = env.DAGSHIP_GIT_BRANCH || env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || git("rev-parse", "--abbrev-ref", "HEAD");
  if (branch === "" || branch === "HEAD") branch = "local";
  return { branch, sha, short_sha: sha.slice(0, 7) };
}
