import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, UsageError } from "../../errors.js";
import { environmentExpander, renderTargets } from "../../render/expand.js";
import { gitInfo } from "../../render/git.js";
import { renderJob } from "../../render/render.js";
import { compileJobs } from "../../spec/compile.js";
import { validateEnvironments } from "../../spec/environments.js";
import { findRoot, jobFolders } from "../../spec/repository.js";
import { formatList } from "../../spec/suggest.js";
import { environmentFile } from "../../workspace/environment.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { formatDiagnostic, summarise } from "../output/diagnostics.js";
import { onePositional } from "./common.js";

/** `dagship render <job> --env <env>`: the job as that environment gets it, as JSON. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("render", argv, { env: { type: "string" } });
  const name = onePositional("render", positionals, "job");
  if (typeof values.env !== "string") throw new UsageError("dagship render needs --env <env>", { hint: "e.g. dagship render train --env prod" });
  const root = findRoot(io.cwd);
  const file = path.join(root, "jobs", name, "job.json");
  if (!existsSync(file)) throw new ConfigError("DS2002", `no job "${name}"`, { hint: `jobs: ${formatList(jobFolders(path.join(root, "jobs")))}` });
  const envs = validateEnvironments([environmentFile(root, values.env)], io.cwd);
  if (envs.diagnostics.length > 0) {
    for (const d of envs.diagnostics) io.stderr(formatDiagnostic(d));
    return 1;
  }
  const [target] = renderTargets(envs.environments, gitInfo(root, io.env));
  // The rendered job must validate: rendering alone does not make a job deployable.
  const { diagnostics } = await compileJobs([file], { cwd: io.cwd, diagnosticsOnly: true, expand: environmentExpander([target!]) });
  if (diagnostics.length > 0) {
    for (const d of diagnostics) io.stderr(formatDiagnostic(d));
    io.stderr(`✗ ${summarise(diagnostics)}: ${name} does not render validly for ${values.env}\n`);
    return 1;
  }
  const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
  io.stdout(JSON.stringify(renderJob(name, parsed, target!).value, null, 2) + "\n");
  return 0;
}
