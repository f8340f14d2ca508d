import { openRun } from "../../engine/reap.js";
import { ConfigError, UsageError } from "../../errors.js";
import { JOB_NAME_PATTERN } from "../../spec/names.js";
import { RunStore } from "../../workspace/store.js";
import { parseCommandArgs, wholeNumberFlag } from "../args.js";
import type { Io } from "../io.js";
import { formatDuration, formatTable } from "../output/table.js";
import { environmentOf } from "./common.js";

/** `dagship runs [job]`: run history of an environment, newest first. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("runs", argv, { env: { type: "string" }, limit: { type: "string" } });
  if (positionals.length > 1) throw new UsageError(`dagship runs takes at most one job, got ${positionals.length}`);
  const limit = values.limit === undefined ? 20 : wholeNumberFlag("--limit", values.limit, { min: 1, max: 1_000_000 });
  // A job name is a folder name: anything else (a path, a control character) names no job's runs.
  const job = positionals[0];
  if (job !== undefined && (!new RegExp(JOB_NAME_PATTERN).test(job) || job.length > 100)) {
    throw new ConfigError("DS2002", `${JSON.stringify(job.slice(0, 100))}${job.length > 100 ? "…" : ""} is not a job name`, { hint: "job names are lower-case letters, digits, '_' and '-', e.g. dagship runs hello" });
  }
  const env = environmentOf(values, io);
  const store = new RunStore(env.workspace);
  // Opening each listed run reaps the ones whose runner died, so their state is true.
  const runs = store.list({ ...(positionals[0] ? { job: positionals[0] } : {}), limit }).map((r) => openRun(store, r.run_id));
  if (values.json) {
    io.stdout(JSON.stringify({ runs: runs.map(({ run_id, job, env: e, state, started_at, ended_at, namespace, source }) => ({ run_id, job, env: e, state, started_at, ...(ended_at ? { ended_at } : {}), ...(namespace ? { namespace } : {}), source: source.kind })) }, null, 2) + "\n");
  } else if (runs.length === 0) {
    io.stdout(`no runs in ${env.name}${positionals[0] ? ` for job ${positionals[0]}` : ""}\n`);
  } else {
    // Where each run's job came from: the working tree, or a deployment (and its namespace).
    const from = (r: (typeof runs)[number]) => (r.source.kind === "deployment" ? `deployed${r.namespace && r.namespace !== "default" ? ` [${r.namespace}]` : ""}` : "working tree");
    io.stdout(formatTable(["run", "job", "state", "started", "duration", "from"], runs.map((r) => [r.run_id, r.job, r.state + (r.interrupted ? " (interrupted)" : ""), r.started_at, formatDuration(r.duration_ms), from(r)])));
  }
  return 0;
}
