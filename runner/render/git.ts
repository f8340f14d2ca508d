import { execFileSync } from "node:child_process";

/** The git facts deploy-time templates see as `git.*`. */
export interface GitInfo {
  branch: string;
  sha: string;
  short_sha: string;
}

function git(root: string, ...args: string[]): string | undefined {
  try {
    // Only trailing whitespace goes: `status --porcelain` lines start with a meaningful space.
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trimEnd();
  } catch {
    return undefined;
  }
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
  let sha = env.DAGSHIP_GIT_SHA || env.GITHUB_SHA || "";
  let branch = env.DAGSHIP_GIT_BRANCH || env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || "";
  if (sha === "" || branch === "") {
    // One git process for both facts; a repository without commits has no HEAD to resolve.
    const both = git(root, "rev-parse", "HEAD", "--abbrev-ref", "HEAD")?.split("\n");
    sha ||= both?.[0] ?? "";
    branch ||= both?.[1] ?? git(root, "symbolic-ref", "--short", "HEAD") ?? "";
  }
  if (branch === "" || branch === "HEAD") branch = "local";
  return { branch, sha, short_sha: sha.slice(0, 7) };
}

/** Who made the commit being deployed, and whether the tree has uncommitted changes. */
export interface GitState {
  author: string;
  /** Paths with uncommitted changes (tracked or untracked, ignored files excluded); undefined outside git. */
  dirty: string[] | undefined;
}

/**
 * The commit author and the uncommitted changes of the repository at `root` (what a deployment
 * manifest records and what a clean-tree policy checks).
 *
 * @example
 * ```ts
 * gitState("/repo"); // { author: "Ada <ada@example.com>", dirty: [] }
 * ```
 */
export function gitState(root: string): GitState {
  const author = git(root, "log", "-1", "--format=%an <%ae>") ?? "";
  const status = git(root, "status", "--porcelain", "--untracked-files=normal");
  return { author, dirty: status === undefined ? undefined : status.split("\n").filter((l) => l.trim() !== "").map((l) => l.slice(3)) };
}
