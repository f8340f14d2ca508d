import { openRun } from "../../engine/reap.js";
import { RunStore } from "../../workspace/store.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { failureDetails, runTable } from "../output/run-summary.js";
import { environmentOf, maskerOf, onePositional } from "./common.js";

/** `dagship status <run-id>`: one run, its tasks, attempts, durations and values. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("status", argv, { env: { type: "string" } });
  const runId = onePositional("status", positionals, "run id");
  const env = environmentOf(values, io);
  const mask = maskerOf(env);
  const store = new RunStore(env.workspace);
  const record = openRun(store, runId);
  if (values.json) io.stdout(mask(JSON.stringify(record, null, 2)) + "\n");
  else io.stdout(mask(runTable(record) + (record.error ? `\n${record.error}\n` : "") + failureDetails(record, store.runDir(runId))));
  return 0;
}
