interface Context {
  params: { values: string | number[] };
  values: { set(name: string, value: unknown): void };
}

/** Mean and spread of the generated sample. */
export async function summarise(ctx: Context): Promise<void> {
  const values = typeof ctx.params.values === "string" ? (JSON.parse(ctx.params.values) as number[]) : ctx.params.values;
  if (values.length === 0) throw new Error("no values to summarise");
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  ctx.values.set("mean", Number(mean.toFixed(6)));
  ctx.values.set("stddev", Number(Math.sqrt(variance).toFixed(6)));
}
