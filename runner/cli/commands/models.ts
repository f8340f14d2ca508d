import { UsageError } from "../../errors.js";
import { didYouMean } from "../../spec/suggest.js";
import type { CommandModule } from "../command.js";
import type { Io } from "../io.js";

/** The subcommands of `dagship models`, each in its own module under ./models/. */
const SUBCOMMANDS: Record<string, () => Promise<CommandModule>> = {
  list: () => import("./models/list.js"),
  show: () => import("./models/show.js"),
  alias: () => import("./models/alias.js"),
  audit: () => import("./models/audit.js"),
  export: () => import("./models/export.js"),
  import: () => import("./models/import.js"),
  promote: () => import("./models/promote.js"),
};

/** `dagship models <subcommand>`: see the command list in ./index.ts for the usage. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const names = Object.keys(SUBCOMMANDS);
  if (sub === undefined || sub.startsWith("-")) throw new UsageError("dagship models needs a subcommand", { hint: `one of: ${names.join(", ")}` });
  const load = SUBCOMMANDS[sub];
  if (!load) throw new UsageError(`unknown subcommand "models ${sub}"`, { hint: didYouMean(sub, names, "subcommands") });
  return (await load()).run(rest, io);
}
