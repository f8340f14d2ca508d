import { defineTask } from "dagship";
import { checkpointFile, commitCheckpoint } from "../../lib/checkpoint.js";
import { jsonParam, stringParam } from "../../lib/params.js";

/**
 * The job's last task: adds the batches this run ingested to the checkpoint. It runs only when
 * nothing before it failed (run_if NONE_FAILED on the gate and promote), so a failed run leaves
 * the checkpoint as it was and the next run ingests the same batches again.
 */
export default defineTask<{ data_dir: string; checkpoint: string; batches: string }>({
  description: "commit the ingested batches to the checkpoint",
  run(ctx) {
    const batches = jsonParam<string[]>(ctx.params, "batches");
    if (!Array.isArray(batches) || !batches.every((b) => typeof b === "string")) throw new Error(`parameter "batches" must be a JSON list of batch ids, got ${JSON.stringify(ctx.params.batches)}`);
    const file = checkpointFile(stringParam(ctx.params, "data_dir"), stringParam(ctx.params, "checkpoint"));
    const next = commitCheckpoint(file, batches, ctx.job.run_id);
    ctx.values.set("committed", batches);
    ctx.values.set("checkpoint_batches", next.batches.length);
    ctx.log.info(`checkpoint ${file}: committed ${batches.join(", ") || "nothing"} (${next.batches.length} batches in all)`);
  },
});
