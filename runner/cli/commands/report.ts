import path from "node:path";
import { openRun } from "../../engine/reap.js";
import { UsageError } from "../../errors.js";
import { RunStore } from "../../workspace/store.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { environmentOf, onePositional } from "./common.js";

/** `dagship report <run-id> --html <file>`: a run as one self-contained HTML page. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("report", argv, { env: { type: "string" }, html: { type: "string" } });
  const runId = onePositional("report", positionals, "run id");
  if (typeof values.html !== "string" || values.html === "") throw new UsageError("dagship report needs --html <file>", { hint: `e.g. dagship report ${runId} --html run.html` });
  const env = environmentOf(values, io);
  const record = openRun(new RunStore(env.workspace), runId);
  const { writeReport } = await import("../../report/write.js");
  const file = await writeReport(record, env, path.resolve(io.cwd, values.html));
  if (values.json) io.stdout(JSON.stringify({ ok: true, run_id: record.run_id, state: record.state, report: file }, null, 2) + "\n");
  else io.stdout(`report of run ${record.run_id} (${record.job}, ${record.state}): ${path.relative(io.cwd, file) || file}\n`);
  return 0;
}
