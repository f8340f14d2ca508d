import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AttemptRequest } from "../../../runner/executors/types.js";

/** The repository root and the fixture task modules. */
export const ROOT = fileURLToPath(new URL("../../..", import.meta.url)).replace(/\/$/, "");
export const FIXTURES = path.join(ROOT, "test/fixtures/tasks");

const dirs: string[] = [];

/** A fresh temporary folder, removed by {@link cleanup}. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "dagship-exec-"));
  dirs.push(dir);
  return dir;
}

/** Removes every folder {@link tempDir} made. */
export function cleanup(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A request for a fixture module (or an absolute module path) with sensible defaults. */
export function request(module: string, overrides: Partial<AttemptRequest> & { cacheDir: string }): AttemptRequest {
  const dir = tempDir();
  return {
    module: path.isAbsolute(module) ? module : path.join(FIXTURES, module),
    export: "default",
    params: {},
    job: { name: "demo", run_id: "r-1", env: "dev", attempt: 1 },
    task_key: "task",
    attemptDir: path.join(dir, "attempt"),
    root: ROOT,
    values: {},
    tables: {},
    timeoutMs: 0,
    signal: new AbortController().signal,
    env: {},
    secrets: [],
    ...overrides,
  };
}

/** The errno `process.kill(pid, 0)` gives: "ESRCH" once the process is gone, undefined while it exists. */
export function probe(pid: number): string | undefined {
  try {
    process.kill(pid, 0);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

/**
 * Whether a process has ended: gone (ESRCH), or a zombie. An orphan killed together with its
 * parent is reparented to PID 1 and stays a zombie until PID 1 reaps it, which some inits (this
 * sandbox's included) do only every few seconds: a zombie is dead, not a survivor.
 */
export function ended(pid: number): boolean {
  if (probe(pid) === "ESRCH") return true;
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").startsWith("Z");
  } catch {
    return true;
  }
}

/** Waits until `file` exists and returns its content. */
export async function waitForFile(file: string, timeoutMs = 5000): Promise<string> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 20))) {
    try {
      return readFileSync(file, "utf8");
    } catch {
      // not yet
    }
  }
  throw new Error(`${file} did not appear within ${timeoutMs} ms`);
}
