interface Context {
  params: { mean: string; run?: string };
  log: { info(message: string): void; warn(message: string): void };
}

/** Publishes the summary (here: logs it) when the quality gate passed. */
export default async function publish(ctx: Context): Promise<void> {
  ctx.log.info(`run ${ctx.params.run ?? "?"}: mean ${ctx.params.mean} published`);
}

/** Raises an alert when the quality gate failed. */
export async function alert(ctx: Context): Promise<void> {
  ctx.log.warn(`mean ${ctx.params.mean} is below the threshold; summary not published`);
}
