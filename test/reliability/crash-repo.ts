/**
 * Throw-away copies of test/fixtures/crash-repo (the crash harness's job) with their own `.git`
 * folder, so each is its own repository root and workspace, and node_modules linked to this
 * checkout's.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, runCli, type CliResult } from "../e2e/cli.js";

export interface CrashRepo {
  dir: string;
  /** The dev workspace's runs folder. */
  runsDir: string;
  cli(args: readonly string[]): Promise<CliResult>;
  /** `cli(args + --json)`, stdout parsed (null when it is not JSON). */
  json(args: readonly string[]): Promise<{ code: number | null; body: any; stdout: string; stderr: string }>;
  remove(): void;
}

export function crashRepo(): CrashRepo {
  const dir = mkdtempSync(path.join(tmpdir(), "dagship-crash-"));
  cpSync(path.join(ROOT, "test", "fixtures", "crash-repo"), dir, { recursive: true });
  mkdirSync(path.join(dir, ".git"));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const cli = (args: readonly string[]) => runCli(args, { cwd: dir, env: { DAGSHIP_NO_TTY: "1", CI: "" }, timeoutMs: 60_000 });
  return {
    dir,
    runsDir: path.join(dir, ".dagship", "dev", "runs"),
    cli,
    async json(args) {
      const r = await cli([...args, "--json"]);
      let body: any = null;
      try {
        body = JSON.parse(r.stdout);
      } catch {
        body = null;
      }
      return { code: r.code, body, stdout: r.stdout, stderr: r.stderr };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
