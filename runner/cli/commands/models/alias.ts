import { UsageError } from "../../../errors.js";
import { actorOf } from "../../../models/actor.js";
import { moveAlias } from "../../../models/aliases.js";
import { checkAliasName, checkModelName } from "../../../models/names.js";
import { parseCommandArgs } from "../../args.js";
import type { Io } from "../../io.js";
import { environmentOf } from "../common.js";
import { positionalsOf, registryOf, versionFlag } from "./common.js";

/**
 * `dagship models alias <name> <alias> --version N | --remove`: points an alias at a version (or
 * removes it), outside any gate, recorded in the audit log.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("models alias", argv, { env: { type: "string" }, version: { type: "string" }, remove: { type: "boolean" } });
  const [name, alias] = positionalsOf("alias", positionals, ["name", "alias"]);
  checkModelName(name!);
  checkAliasName(alias!);
  if (values.remove && values.version !== undefined) throw new UsageError("--version and --remove do not go together");
  const version = values.remove ? null : versionFlag(values, "alias");
  const env = environmentOf(values, io);
  const move = await moveAlias(registryOf(env), name!, alias!, version, actorOf(env.root, io.env));
  if (values.json) io.stdout(JSON.stringify({ env: env.name, name, ...move, changed: move.from !== move.to }, null, 2) + "\n");
  else if (move.from === move.to) io.stdout(`${name} ${alias} already ${move.to === null ? "unset" : `names v${move.to}`} in ${env.name}; nothing changed\n`);
  else io.stdout(`✓ ${name} ${alias}: ${move.from === null ? "unset" : `v${move.from}`} → ${move.to === null ? "removed" : `v${move.to}`} in ${env.name} (recorded in the audit log)\n`);
  return 0;
}
