import { defineTask } from "dagship";
import { seededRandom } from "../../lib/random.js";

/** Draws `rows` numbers in [0, 1) from a seeded generator and publishes a sample of them. */
export default defineTask<{ rows: string; seed: number }>({
  description: "draw seeded pseudo-random numbers",
  run(ctx) {
    const rows = Number(ctx.params.rows);
    if (!Number.isInteger(rows) || rows <= 0) throw new Error(`rows must be a positive integer, got "${ctx.params.rows}"`);
    const next = seededRandom(ctx.params.seed);
    const sample = Array.from({ length: Math.min(rows, 1000) }, () => Math.round(next() * 1e6) / 1e6);
    ctx.values.set("rows", rows);
    ctx.values.set("sample", sample);
    ctx.log.info(`drew ${rows} numbers (published a sample of ${sample.length})`);
  },
});
