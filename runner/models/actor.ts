import { execFileSync } from "node:child_process";
import { userInfo } from "node:os";
import { gitInfo } from "../render/git.js";
import type { Actor } from "./types.js";

/**
 * Who is acting and from which commit, for the audit log: in GitHub Actions the triggering user
 * (`GITHUB_ACTOR`); otherwise the repository's git identity (`user.name <user.email>`), else the
 * process's user name (`$USER`). The sha is the checkout's HEAD (or `DAGSHIP_GIT_SHA` /
 * `GITHUB_SHA`), null outside git.
 *
 * @example
 * ```ts
 * actorOf("/repo"); // { who: "Ada <ada@example.com>", git_sha: "3f2c…" }
 * ```
 */
export function actorOf(root: string, processEnv: NodeJS.ProcessEnv = process.env): Actor {
  return { who: whoAmI(root, processEnv), git_sha: gitInfo(root, processEnv).sha || null };
}

/** The acting person without asking git: `GITHUB_ACTOR` or the user name. For task processes. */
export function processActor(processEnv: NodeJS.ProcessEnv = process.env, gitSha: string | null = null): Actor {
  return { who: (processEnv.GITHUB_ACTIONS === "true" && processEnv.GITHUB_ACTOR) || userName(processEnv), git_sha: gitSha };
}

function whoAmI(root: string, processEnv: NodeJS.ProcessEnv): string {
  if (processEnv.GITHUB_ACTIONS === "true" && processEnv.GITHUB_ACTOR) return `${processEnv.GITHUB_ACTOR} (github actions)`;
  const name = gitConfig(root, "user.name");
  if (name) {
    const email = gitConfig(root, "user.email");
    return email ? `${name} <${email}>` : name;
  }
  return userName(processEnv);
}

function userName(processEnv: NodeJS.ProcessEnv): string {
  const fromEnv = processEnv.USER || processEnv.LOGNAME || processEnv.USERNAME;
  if (fromEnv) return fromEnv;
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

function gitConfig(root: string, key: string): string | undefined {
  try {
    return execFileSync("git", ["config", "--get", key], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}
