/**
 * Checkpoints (`data/checkpoints/*.json`, e.g. what the retrain job has ingested) parse.
 */
import path from "node:path";
import { readJson } from "./deployments.js";
import type { DoctorCheck, Problem } from "./types.js";
import { entries } from "./walk.js";

/**
 * Checks every checkpoint file of the workspace.
 *
 * @example
 * ```ts
 * checkpoints.run(ctx); // [{ code: "DS2050", path: ".../data/checkpoints/retrain.json", message: "is not valid JSON (...)" }]
 * ```
 */
export const checkpoints: DoctorCheck = {
  name: "checkpoints",
  run(ctx) {
    const problems: Problem[] = [];
    const dir = path.join(ctx.workspace, "data", "checkpoints");
    for (const e of entries(dir)) {
      if (e.isFile() && e.name.endsWith(".json")) readJson(path.join(dir, e.name), problems, "restore it from a backup; without it the job that keeps it starts over", "checkpoints");
    }
    return problems;
  },
};
