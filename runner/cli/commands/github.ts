import { UsageError } from "../../errors.js";
import { didYouMean } from "../../spec/suggest.js";
import type { CommandModule } from "../command.js";
import type { Io } from "../io.js";

/** The subcommands of `dagship github`, each in its own module under ./github/. */
const SUBCOMMANDS: Record<string, () => Promise<CommandModule>> = {
  "pr-report": () => import("./github/pr-report.js"),
  deploy: () => import("./github/deploy.js"),
  "find-artifact": () => import("./github/find-artifact.js"),
};

/** `dagship github <subcommand>`: see the command list in ./index.ts for the usage. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const names = Object.keys(SUBCOMMANDS);
  if (sub === undefined || sub.startsWith("-")) throw new UsageError("dagship github needs a subcommand", { hint: `one of: ${names.join(", ")}` });
  const load = SUBCOMMANDS[sub];
  if (!load) throw new UsageError(`unknown subcommand "github ${sub}"`, { hint: didYouMean(sub, names, "subcommands") });
  return (await load()).run(rest, io);
}
