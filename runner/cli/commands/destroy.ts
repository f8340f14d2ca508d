import { UsageError } from "../../errors.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { environmentOf } from "./common.js";

/** `dagship destroy`: see the command list in ./index.ts for its usage. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("destroy", argv, { env: { type: "string" }, branch: { type: "string" } });
  if (positionals.length > 0) throw new UsageError(`dagship destroy takes no arguments, got ${positionals.join(" ")}`, { hint: "e.g. dagship destroy --env dev --branch feature-x" });
  const env = environmentOf(values, io);
  const { destroy } = await import("../../deploy/destroy.js");
  const r = await destroy({ env, branch: typeof values.branch === "string" ? values.branch : undefined });
  if (values.json) io.stdout(JSON.stringify(r, null, 2) + "\n");
  else if (!r.existed) io.stdout(`nothing to destroy: ${r.env}/${r.namespace} has no deployments or runs\n`);
  else io.stdout(`✓ destroyed ${r.env}/${r.namespace}: its deployments, ${r.runs_removed} run${r.runs_removed === 1 ? "" : "s"} and ${r.bundles_removed} job bundle${r.bundles_removed === 1 ? "" : "s"} nothing else used\n`);
  return 0;
}
