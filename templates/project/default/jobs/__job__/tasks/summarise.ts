import { defineTask } from "dagship";

/** Mean and spread of the generated sample. */
export const summarise = defineTask<{ values: string }>({
  run(ctx) {
    const values = JSON.parse(ctx.params.values) as number[];
    if (values.length === 0) throw new Error("no values to summarise");
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    ctx.values.set("mean", Number(mean.toFixed(6)));
    ctx.values.set("stddev", Number(Math.sqrt(variance).toFixed(6)));
  },
});
