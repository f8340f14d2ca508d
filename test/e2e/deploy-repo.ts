/**
 * A throw-away git repository made from test/fixtures/deploy-repo for the deployment tests: a real
 * `git init` on `main` with one commit (deploy reads the branch, the commit and whether the tree
 * is clean), node_modules linked to this checkout's.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, runCli, type CliResult } from "./cli.js";

export interface DeployRepo {
  dir: string;
  cli(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
  json<T = any>(args: readonly string[], env?: Record<string, string>): Promise<{ code: number | null; body: T; stderr: string }>;
  git(...args: string[]): string;
  /** Commits everything (so the tree is clean again). */
  commit(message: string): void;
  write(file: string, text: string): void;
  read(file: string): string;
  remove(): void;
}

/**
 * Makes `dir` a git repository on `main` with everything in it committed (and `.dagship/`,
 * `node_modules` ignored); returns a `git` runner for it.
 */
export function initGitRepo(dir: string): (...args: string[]) => string {
  writeFileSync(path.join(dir, ".gitignore"), ".dagship/\nnode_modules\n");
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "initial");
  return git;
}

/** `cli(args + --json)`, its stdout parsed (failing with the raw output when it is not JSON). */
export async function jsonOf<T = any>(cli: (args: readonly string[], env?: Record<string, string>) => Promise<CliResult>, args: readonly string[], env?: Record<string, string>): Promise<{ code: number | null; body: T; stderr: string }> {
  const r = await cli([...args, "--json"], env);
  try {
    return { code: r.code, body: JSON.parse(r.stdout) as T, stderr: r.stderr };
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** Outside CI, whatever the test runner's environment says: --force behaves as on a laptop. */
const LOCAL = { CI: "", GITHUB_ACTIONS: "", DAGSHIP_NO_TTY: "1" };

export function deployRepo(): DeployRepo {
  const dir = mkdtempSync(path.join(tmpdir(), "dagship-deploy-"));
  cpSync(path.join(ROOT, "test", "fixtures", "deploy-repo"), dir, { recursive: true });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const git = initGitRepo(dir);
  const cli = (args: readonly string[], env?: Record<string, string>) => runCli(args, { cwd: dir, env: { ...LOCAL, ...env }, timeoutMs: 60_000 });
  return {
    dir,
    cli,
    json: (args, env) => jsonOf(cli, args, env),
    git,
    commit(message) {
      git("add", "-A");
      git("commit", "-q", "-m", message);
    },
    write: (file, text) => writeFileSync(path.join(dir, file), text),
    read: (file) => readFileSync(path.join(dir, file), "utf8"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
