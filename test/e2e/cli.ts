/**
 * Runs the built dagship CLI (bin/dagship.js → dist/) as a real child process, the way users and
 * CI run it. Shared by the e2e tests; `npm run build` must have run first.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The dagship checkout (the repository root: it holds `.git`). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(ROOT, "bin", "dagship.js");

export interface CliResult {
  /** The exit code; null when the process was killed (e.g. by the timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** One diagnostic of `dagship validate --json`. */
export interface JsonDiagnostic {
  file: string;
  pointer: string;
  line: number;
  column: number;
  code: string;
  severity: string;
  message: string;
  hint?: string;
}

/** The stdout of `dagship validate --json`. */
export interface ValidateReport {
  ok: boolean;
  errors: JsonDiagnostic[];
  checked: { jobs: string[]; environments: string[] };
}

/** Fails early, with the fix, when the CLI has not been built. */
export function assertBuilt(): void {
  if (!existsSync(path.join(ROOT, "dist", "runner", "cli", "main.js"))) {
    throw new Error("dist/ is missing: run `npm run build` before the e2e tests");
  }
}

/**
 * Spawns `node bin/dagship.js ...args` and resolves with its exit code and output (never rejects
 * on a non-zero exit). GITHUB_ACTIONS is removed from the environment unless `env` sets it, so
 * the output does not depend on where the tests run.
 */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_ACTIONS: undefined, DAGSHIP_DEBUG: undefined, ...options.env };
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: options.cwd ?? ROOT, env, timeout: options.timeoutMs ?? 20_000, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
        const code = e === null ? 0 : typeof e.code === "number" ? e.code : null;
        resolve({ code, signal: e?.signal ?? null, stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}

/** Parses `validate --json` output, failing with the raw output when it is not JSON. */
export function parseReport(result: CliResult): ValidateReport {
  try {
    return JSON.parse(result.stdout) as ValidateReport;
  } catch {
    throw new Error(`stdout is not JSON (exit ${String(result.code)}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/** The codes of a report, sorted: the multiset a fixture's expected.json lists. */
export function sortedCodes(report: ValidateReport): string[] {
  return report.errors.map((e) => e.code).sort();
}
