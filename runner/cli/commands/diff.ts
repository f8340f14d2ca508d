import { UsageError } from "../../errors.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { diffSummary } from "../output/deploy.js";
import { diffSummaryMarkdown } from "../output/summary.js";
import { appendSummary } from "./actions.js";
import { environmentOf, printPlanErrors } from "./common.js";

/** `dagship diff`: see the command list in ./index.ts for its usage. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("diff", argv, { env: { type: "string" }, branch: { type: "string" } });
  if (positionals.length > 0) throw new UsageError(`dagship diff compares every job; it takes no arguments, got ${positionals.join(" ")}`);
  if (typeof values.env !== "string") throw new UsageError("dagship diff needs --env <env>", { hint: "e.g. dagship diff --env staging" });
  const env = environmentOf(values, io);
  const { diffDeployment } = await import("../../deploy/diff.js");
  const branch = typeof values.branch === "string" ? values.branch : undefined;
  const d = await diffDeployment({ env, ...(branch === undefined ? {} : { branch }), cwd: io.cwd, processEnv: io.env });
  if (!d.ok) return printPlanErrors(d, io, "diff", Boolean(values.json));
  appendSummary(diffSummaryMarkdown(d), io);
  if (values.json) {
    const { ok: _ok, ...shape } = d;
    io.stdout(JSON.stringify(shape, null, 2) + "\n");
  } else io.stdout(diffSummary(d));
  return 0;
}
