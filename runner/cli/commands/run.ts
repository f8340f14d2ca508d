import path from "node:path";
import { DagshipError, UsageError } from "../../errors.js";
import type { RunRecord } from "../../workspace/records.js";
import { RunStore } from "../../workspace/store.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { failureDetails, runTable } from "../output/run-summary.js";
import { liveView, plainView, type RunView } from "../output/run-view.js";
import { cancelOnSignals, concurrencyOf, environmentOf, maskerOf, onePositional, paramsOf } from "./common.js";
import type { RunContext } from "../../engine/start.js";
import { reportRun } from "./actions.js";

/** `dagship run <job>`: runs a job of the working tree in an environment. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("run", argv, {
    env: { type: "string" },
    param: { type: "string", multiple: true },
    task: { type: "string", multiple: true },
    from: { type: "string" },
    concurrency: { type: "string" },
    deployed: { type: "boolean" },
    branch: { type: "string" },
  });
  const job = onePositional("run", positionals, "job");
  const env = environmentOf(values, io);
  const { startRun } = await import("../../engine/start.js");
  if (typeof values.branch === "string" && !values.deployed) throw new UsageError("--branch picks the namespace of a deployment; use it with --deployed", { hint: `e.g. dagship run ${job} --env ${env.name} --deployed --branch feature-x` });
  const deployed = values.deployed ? { deployed: typeof values.branch === "string" ? { branch: values.branch } : {} } : {};
  const parameters = paramsOf(values);
  refuseSecretParams(parameters, env);
  const request = { job, parameters, tasks: (values.task as string[] | undefined) ?? [], ...(typeof values.from === "string" ? { from: values.from } : {}), ...deployed };
  return runWithView(io, env, Boolean(values.json), concurrencyOf(values), (ctx) => startRun(request, ctx));
}

/** Runs something that produces a run (run, repair) with live or plain progress and the final report. */
export async function runWithView(io: Io, env: RunContext["env"], json: boolean, concurrency: number, go: (ctx: RunContext) => Promise<RunRecord>): Promise<number> {
  const mask = maskerOf(env);
  const live = io.isTTY && !json && io.env.DAGSHIP_NO_TTY !== "1";
  const view: RunView = live ? liveView(io.stderr, mask) : plainView(io.stderr, mask);
  const { runProcessAttempt } = await import("../../executors/process.js");
  const cancel = cancelOnSignals();
  let record: RunRecord;
  try {
    record = await go({
      env,
      executor: runProcessAttempt,
      concurrency,
      signal: cancel.signal,
      onEvent: (e) => view.event(e),
      onStart: (r) => (json ? io.stderr : io.stdout)(`run ${r.run_id} of job ${r.job} in ${r.env}${r.namespace && r.namespace !== "default" ? `/${r.namespace}` : ""}${r.source.kind === "deployment" ? ` (deployment ${r.source.seq}, ${r.source.deployment_id?.slice(0, 12)})` : ""}\n`),
    });
  } finally {
    view.stop();
    cancel.dispose();
  }
  await reportRun(record, env, io);
  const report = await writeReportOf(record, env, io);
  if (json) io.stdout(mask(JSON.stringify(report ? { ...record, report } : record, null, 2)) + "\n");
  else {
    io.stdout(mask(runTable(record)));
    io.stdout(mask(failureDetails(record, new RunStore(env.workspace).runDir(record.run_id))));
    if (report) io.stdout(`report ${path.relative(io.cwd, report) || report}\n`);
  }
  return record.state === "SUCCESS" ? 0 : 1;
}

/**
 * Writes the run's report into its folder (`<run folder>/report.html`) and returns its path; a
 * report that cannot be written is a warning, never a failed run (undefined then).
 */
async function writeReportOf(record: RunRecord, env: RunContext["env"], io: Io): Promise<string | undefined> {
  try {
    const { writeRunReport } = await import("../../report/write.js");
    return await writeRunReport(record, env);
  } catch (error) {
    io.stderr(`dagship: warning: the run's report was not written: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}

/**
 * Refuses a `--param` whose name or value holds a secret's value (`DS2062`, exit 2): parameters
 * are recorded in the run, shown by status and reused by repair, so a secret passed that way
 * would be stored or would come back masked. Secrets reach tasks through the environment's
 * `secrets:` only. The error names the parameter and the secret's variable, never the value.
 */
function refuseSecretParams(parameters: Record<string, string>, env: RunContext["env"]): void {
  for (const [variable, secret] of Object.entries(env.secrets)) {
    const parts = [secret, ...secret.split(/\r?\n/).filter((l) => l.trim() !== "")];
    for (const [name, value] of Object.entries(parameters)) {
      if (!parts.some((p) => name.includes(p) || value.includes(p))) continue;
      const shown = parts.some((p) => name.includes(p)) ? "a --param name" : `--param ${name}`;
      throw new DagshipError("DS2062", `${shown} holds the value of the secret ${variable}; parameters are recorded in the run, so a secret cannot be one`, {
        exitCode: 2,
        hint: `tasks read ${variable} from their environment (process.env.${variable}): it is listed in the environment's secrets`,
      });
    }
  }
}
