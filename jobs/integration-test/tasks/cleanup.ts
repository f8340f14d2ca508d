import { rmSync } from "node:fs";
import path from "node:path";
import { defineTask } from "dagship";
import { stringParam } from "../../lib/params.js";

/** Removes this run's data folder — only a folder named after this run, as a guard against a bad parameter. */
export default defineTask<{ data_dir: string }>({
  description: "remove the run's data folder",
  run(ctx) {
    const dir = path.resolve(stringParam(ctx.params, "data_dir"));
    if (path.basename(dir) !== ctx.job.run_id) throw new Error(`refusing to remove ${dir}: it is not this run's folder (${ctx.job.run_id})`);
    rmSync(dir, { recursive: true, force: true });
    ctx.log.info(`removed ${dir}`);
  },
});
