import { defineTask } from "dagship";
import { jsonParam, numberParam, stringParam } from "../../lib/params.js";

/**
 * On the gate's true branch: moves `champion` to the new version, recorded in the registry's
 * audit log with the gate's reason and this run — and only if the champion is still the version
 * the new model was evaluated against (`expect`), so a promotion that happened meanwhile is not
 * silently overridden (DS2023).
 */
export default defineTask<{ model: string; version: string; expect: string; reason: string }>({
  description: "move the champion alias to the new version",
  async run(ctx) {
    const name = stringParam(ctx.params, "model");
    const version = numberParam(ctx.params, "version", { integer: true, min: 1 });
    const expect = jsonParam<number | null>(ctx.params, "expect");
    if (expect !== null && !Number.isInteger(expect)) throw new Error(`parameter "expect" must be a version number or null, got ${JSON.stringify(ctx.params.expect)}`);
    const move = await ctx.models.setAlias(name, "champion", version, { reason: ctx.params.reason, expect });
    ctx.values.set("champion", move.to);
    ctx.values.set("previous", move.from);
    ctx.log.info(`${name} champion: ${move.from === null ? "unset" : `v${move.from}`} → v${move.to}`);
  },
});
