/**
 * A throw-away copy of test/fixtures/runner-repo for runner tests: its own `.git` (so it is its
 * own repository root and workspace) and node_modules linked to this checkout's (tasks import
 * apache-arrow). Also helpers to start the CLI in the background and to poll for a condition.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CLI, ROOT, runCli, type CliResult } from "./cli.js";

export interface TempRepo {
  dir: string;
  cli(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
  /** `run`/`status`/... with --json, parsed. */
  json<T = any>(args: readonly string[], env?: Record<string, string>): Promise<{ code: number | null; body: T; stderr: string }>;
  background(args: readonly string[], env?: Record<string, string>): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> };
  runRecord(runId: string): any;
  remove(): void;
}

export function tempRepo(): TempRepo {
  const dir = mkdtempSync(path.join(tmpdir(), "dagship-runner-"));
  cpSync(path.join(ROOT, "test", "fixtures", "runner-repo"), dir, { recursive: true });
  mkdirSync(path.join(dir, ".git"));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const env = (extra?: Record<string, string>) => ({ DAGSHIP_NO_TTY: "1", ...extra });
  return {
    dir,
    cli: (args, extra) => runCli(args, { cwd: dir, env: env(extra), timeoutMs: 60_000 }),
    async json(args, extra) {
      const r = await runCli([...args, "--json"], { cwd: dir, env: env(extra), timeoutMs: 60_000 });
      let body: any;
      try {
        body = JSON.parse(r.stdout);
      } catch {
        throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
      }
      return { code: r.code, body, stderr: r.stderr };
    },
    background(args, extra) {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, ...env(extra) } });
      let stdout = "";
      let stderr = "";
      child.stdout!.on("data", (d) => (stdout += d));
      child.stderr!.on("data", (d) => (stderr += d));
      const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
        child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
      );
      return { child, done };
    },
    runRecord: (runId) => JSON.parse(readFileSync(path.join(dir, ".dagship", "dev", "runs", runId, "run.json"), "utf8")),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Polls `check` every 50 ms until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(check: () => T | undefined, ms = 15_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    let value: T | undefined;
    try {
      value = check();
    } catch {
      value = undefined;
    }
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a process exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The newest run id in the repository's dev workspace, if any. */
export function latestRunId(repo: TempRepo): string | undefined {
  try {
    return readdirSync(path.join(repo.dir, ".dagship", "dev", "runs")).sort().at(-1);
  } catch {
    return undefined;
  }
}
