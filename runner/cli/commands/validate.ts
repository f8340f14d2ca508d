import { readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../../errors.js";
import { compileJobs } from "../../spec/compile.js";
import type { Diagnostic } from "../../spec/diagnostics.js";
import { validateEnvironments } from "../../spec/environments.js";
import { displayPath, findRoot, listEnvironmentFiles, listJobFiles, resolveJobTargets } from "../../spec/repository.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { formatDiagnostic, summarise } from "../output/diagnostics.js";
import { annotation } from "../output/github.js";

/** `dagship validate`: see the command list in ./index.ts for its usage. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("validate", argv, {});
  const root = findRoot(io.cwd);
  let jobFiles: string[];
  let envFiles: string[];
  if (positionals.length > 0) {
    const targets = resolveJobTargets(positionals, io.cwd, root);
    envFiles = targets.filter((f) => /\.ya?ml$/.test(f));
    jobFiles = targets.filter((f) => !envFiles.includes(f));
  } else {
    jobFiles = listJobFiles(root);
    envFiles = listEnvironmentFiles(root);
    if (jobFiles.length === 0 && envFiles.length === 0) {
      throw new ConfigError("DS2002", `no jobs found under ${displayPath(path.join(root, "jobs"), io.cwd) || "jobs"}/`, { hint: "a job lives in jobs/<name>/job.json; or name a file or folder to validate" });
    }
  }
  // Each job belongs to the repository around it (not necessarily the one around the working directory).
  const jobs = await compileJobs(jobFiles, { cwd: io.cwd, diagnosticsOnly: true });
  const envs = validateEnvironments(envFiles, io.cwd);
  const errors = [...jobs.diagnostics, ...envs.diagnostics];
  const checked = { jobs: jobFiles.map((f) => displayPath(f, io.cwd)), environments: envFiles.map((f) => displayPath(f, io.cwd)) };

  if (io.env.GITHUB_ACTIONS === "true") errors.forEach((d) => io.stderr(annotation(d)));
  if (values.json) {
    io.stdout(JSON.stringify({ ok: errors.length === 0, errors: errors.map(jsonDiagnostic), checked }, null, 2) + "\n");
  } else {
    await report(errors, checked, io);
  }
  return errors.length === 0 ? 0 : 1;
}

function jsonDiagnostic(d: Diagnostic) {
  const { file, pointer, line, column, code, severity, message, hint } = d;
  return hint === undefined ? { file, pointer, line, column, code, severity, message } : { file, pointer, line, column, code, severity, message, hint };
}

async function report(errors: Diagnostic[], checked: { jobs: string[]; environments: string[] }, io: Io): Promise<void> {
  const frames = io.isTTY && errors.length > 0 ? { sources: readSources(errors, io.cwd), codeFrame: (await import("@babel/code-frame")).codeFrameColumns } : undefined;
  for (const d of errors) io.stdout(formatDiagnostic(d, frames));
  const what = `${checked.jobs.length} job${checked.jobs.length === 1 ? "" : "s"}` + (checked.environments.length ? ` and ${checked.environments.length} environment${checked.environments.length === 1 ? "" : "s"}` : "");
  io.stdout(errors.length === 0 ? `✓ ${what}: valid\n` : `✗ ${summarise(errors)} (checked ${what})\n`);
}

function readSources(errors: Diagnostic[], cwd: string): Map<string, string> {
  const sources = new Map<string, string>();
  for (const file of new Set(errors.map((d) => d.file))) {
    try {
      sources.set(file, readFileSync(path.resolve(cwd, file), "utf8"));
    } catch {
      // No frame for a file that cannot be read again; the located line is still printed.
    }
  }
  return sources;
}
