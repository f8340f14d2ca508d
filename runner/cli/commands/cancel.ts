import { cancelRun } from "../../engine/cancel.js";
import { RunStore } from "../../workspace/store.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { runTable } from "../output/run-summary.js";
import { environmentOf, maskerOf, onePositional } from "./common.js";

/** `dagship cancel <run-id>`: ends a running run and every process of it. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("cancel", argv, { env: { type: "string" } });
  const runId = onePositional("cancel", positionals, "run id");
  const env = environmentOf(values, io);
  const record = await cancelRun(new RunStore(env.workspace), runId);
  const mask = maskerOf(env);
  if (values.json) io.stdout(mask(JSON.stringify(record, null, 2)) + "\n");
  else io.stdout(mask(runTable(record)));
  return 0;
}
