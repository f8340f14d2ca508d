import { availableParallelism } from "node:os";
import { UsageError } from "../../errors.js";
import { findRoot } from "../../spec/repository.js";
import { loadEnvironment, type EnvironmentContext } from "../../workspace/environment.js";
import { wholeNumberFlag, type ParsedArgs } from "../args.js";
import type { Io } from "../io.js";
import { createMasker } from "../../workspace/secrets.js";
import type { Diagnostic } from "../../spec/diagnostics.js";
import { formatDiagnostic } from "../output/diagnostics.js";
import { addMaskCommands, annotation, inActions } from "../output/github.js";

/**
 * `--env` (default `dev`) of the repository around the working directory. In GitHub Actions its
 * secret values are registered with the runner (`::add-mask::`) before the command prints
 * anything: on stdout, or on stderr with `--json` so that stdout stays one JSON document (the
 * runner reads workflow commands from both).
 */
export function environmentOf(values: ParsedArgs["values"], io: Io): EnvironmentContext {
  const name = typeof values.env === "string" ? values.env : "dev";
  const env = loadEnvironment(findRoot(io.cwd), name, io.env);
  if (inActions(io.env)) {
    const masks = addMaskCommands(Object.values(env.secrets));
    if (masks) (values.json ? io.stderr : io.stdout)(masks);
  }
  return env;
}

/** Masks the environment's secret values in anything printed. */
export function maskerOf(env: EnvironmentContext): (text: string) => string {
  return createMasker(Object.values(env.secrets)).text;
}

/** `--concurrency N` (default: the number of CPUs). */
export function concurrencyOf(values: ParsedArgs["values"]): number {
  if (values.concurrency === undefined) return Math.max(1, availableParallelism());
  return wholeNumberFlag("--concurrency", values.concurrency, { min: 1, max: 1024 });
}

/** `--param k=v` flags as a map; a flag without `=` is a usage error. */
export function paramsOf(values: ParsedArgs["values"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of (values.param as string[] | undefined) ?? []) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param expects name=value, got "${p}"`, { hint: "e.g. --param rows=1000" });
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** Exactly one positional argument (a job name or a run id). */
export function onePositional(command: string, positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`dagship ${command} takes one ${what}, got ${positionals.length}`, { hint: `run: dagship ${command} --help` });
  return positionals[0]!;
}

/** Cancels on the first SIGINT or SIGTERM: the run ends CANCELED and its task processes end. */
export function cancelOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort("canceled");
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/** True in CI (CI=true or GitHub Actions). */
export function inCi(io: Io): boolean {
  return io.env.CI === "true" || io.env.GITHUB_ACTIONS === "true";
}

/** Prints why a deploy or diff could not plan (invalid jobs, code that does not bundle); exit 1. */
export function printPlanErrors(r: { env: string; diagnostics: Diagnostic[]; bundleErrors: string[] }, io: Io, command: string, json: boolean): number {
  if (json) {
    io.stdout(JSON.stringify({ ok: false, env: r.env, errors: r.diagnostics, bundle_errors: r.bundleErrors }, null, 2) + "\n");
    return 1;
  }
  if (io.env.GITHUB_ACTIONS === "true") r.diagnostics.forEach((d) => io.stderr(annotation(d)));
  for (const d of r.diagnostics) io.stderr(formatDiagnostic(d));
  for (const e of r.bundleErrors) io.stderr(`error: ${e}\n`);
  const n = r.diagnostics.filter((d) => d.severity === "error").length + r.bundleErrors.length;
  io.stderr(`✗ ${command} refused: ${n} problem${n === 1 ? "" : "s"} in what ${r.env} would get; nothing was changed\n`);
  return 1;
}
