import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { concurrencyOf, environmentOf, onePositional } from "./common.js";
import { runWithView } from "./run.js";

/** `dagship repair <run-id>`: reruns what did not succeed, keeping what did. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("repair", argv, { env: { type: "string" }, concurrency: { type: "string" } });
  const runId = onePositional("repair", positionals, "run id");
  const env = environmentOf(values, io);
  const { repairRun } = await import("../../engine/repair.js");
  return runWithView(io, env, Boolean(values.json), concurrencyOf(values), (ctx) => repairRun(runId, ctx));
}
