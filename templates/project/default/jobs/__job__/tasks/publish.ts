import { defineTask } from "dagship";

/** Publishes the summary (here: logs it) when the quality gate passed. */
export default defineTask<{ mean: string; run: string }>({
  run(ctx) {
    ctx.log.info(`run ${ctx.params.run}: mean ${ctx.params.mean} published`);
  },
});

/** Raises an alert when the quality gate failed. */
export const alert = defineTask<{ mean: string }>({
  run(ctx) {
    ctx.log.warn(`mean ${ctx.params.mean} is below the threshold; summary not published`);
  },
});
