import { checkModelName } from "../../../models/names.js";
import type { AuditEntry } from "../../../models/types.js";
import { parseCommandArgs, wholeNumberFlag } from "../../args.js";
import type { Io } from "../../io.js";
import { formatTable } from "../../output/table.js";
import { environmentOf } from "../common.js";
import { positionalsOf, registryOf } from "./common.js";

/** `dagship models audit <name> [--limit N]`: the model's audit log, newest first. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("models audit", argv, { env: { type: "string" }, limit: { type: "string" } });
  const [name] = positionalsOf("audit", positionals, ["name"]);
  checkModelName(name!);
  const limit = values.limit === undefined ? 50 : wholeNumberFlag("--limit", values.limit, { min: 1, max: 1_000_000 });
  const env = environmentOf(values, io);
  const registry = registryOf(env);
  if (registry.versions(name!).length === 0) registry.meta(name!, 1); // DS2017
  const entries = registry.audit(name!).reverse().slice(0, limit);
  if (values.json) io.stdout(JSON.stringify({ env: env.name, name, entries }, null, 2) + "\n");
  else io.stdout(formatTable(["at", "event", "what", "who", "git"], entries.map((e) => [e.at, e.event, describe(e), e.who, (e.git_sha ?? "").slice(0, 7)])));
  return 0;
}

function describe(e: AuditEntry): string {
  const v = (n: number | null) => (n === null ? "none" : `v${n}`);
  switch (e.event) {
    case "register":
      return `v${e.version}${e.source ? ` from ${e.source.env} v${e.source.version}` : ""}`;
    case "alias":
      return `${e.alias}: ${v(e.from)} → ${v(e.to)}`;
    case "gate":
      return `v${e.version} ${e.passed ? "passed" : "failed"}: ${e.reason}`;
  }
}
