import { readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../../errors.js";
import { compileJobs } from "../../spec/compile.js";
import type { Diagnostic } from "../../spec/diagnostics.js";
import { validateEnvironments } from "../../spec/environments.js";
import { gitInfo } from "../../render/git.js";
import { environmentExpander, renderTargets } from "../../render/expand.js";
import { displayPath, findRoot, listEnvironmentFiles, listJobFiles, resolveJobTargets } from "../../spec/repository.js";
import { environmentFile } from "../../workspace/environment.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { formatDiagnostic, summarise } from "../output/diagnostics.js";
import { annotateDiagnostics } from "./validate-annotations.js";

/** `dagship validate`: see the command list in ./index.ts for its usage. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("validate", argv, { env: { type: "string" } });
  const root = findRoot(io.cwd);
  let jobFiles: string[];
  let envFiles: string[];
  if (positionals.length > 0) {
    const targets = resolveJobTargets(positionals, io.cwd, root);
    envFiles = targets.filter((f) => /\.ya?ml$/.test(f));
    jobFiles = targets.filter((f) => !envFiles.includes(f));
  } else {
    jobFiles = listJobFiles(root);
    envFiles = [];
    if (jobFiles.length === 0 && listEnvironmentFiles(root).length === 0) {
      throw new ConfigError("DS2002", `no jobs found under ${displayPath(path.join(root, "jobs"), io.cwd) || "jobs"}/`, { hint: "a job lives in jobs/<name>/job.json; or name a file or folder to validate" });
    }
  }
  // Jobs are checked as each environment gets them (rendered, overrides merged): for --env, or
  // for every environment of the repository (or the environment files named).
  // Environment files are reported on when validating everything or when named (--env, a .yaml
  // argument); for named jobs they are only rendered for, and one with errors is skipped, noted.
  if (typeof values.env === "string") envFiles = [environmentFile(root, values.env)];
  const reportEnvs = envFiles.length > 0 || positionals.length === 0;
  const envs = validateEnvironments(reportEnvs ? (envFiles.length > 0 ? envFiles : listEnvironmentFiles(root)) : listEnvironmentFiles(root), io.cwd);
  if (reportEnvs) envFiles = envs.environments.map((e) => e.path);
  const targets = renderTargets(envs.environments, gitInfo(root, io.env));
  if (!reportEnvs) {
    for (const e of envs.environments) if (!e.environment) io.stderr(`note: ${e.file} has errors; jobs were not rendered for it (run: dagship validate ${e.file})\n`);
  }
  // Each job belongs to the repository around it (not necessarily the one around the working directory).
  const jobs = await compileJobs(jobFiles, { cwd: io.cwd, diagnosticsOnly: true, ...(targets.length > 0 ? { expand: environmentExpander(targets) } : {}) });
  const errors = [...jobs.diagnostics, ...(reportEnvs ? envs.diagnostics : [])];
  const checked = { jobs: jobFiles.map((f) => displayPath(f, io.cwd)), environments: envFiles.map((f) => displayPath(f, io.cwd)) };

  await annotateDiagnostics(errors, io);
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
