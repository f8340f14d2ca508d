import { UsageError } from "../../../errors.js";
import { modelsDir } from "../../../models/layout.js";
import { parseCommandArgs } from "../../args.js";
import type { Io } from "../../io.js";
import { formatTable } from "../../output/table.js";
import { environmentOf } from "../common.js";
import { formatAliases, formatMetrics, registryOf } from "./common.js";

/** `dagship models list [--env]`: every model, its versions and aliases. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("models list", argv, { env: { type: "string" } });
  if (positionals.length > 0) throw new UsageError(`dagship models list takes no arguments, got ${positionals.join(" ")}`, { hint: "one model: dagship models show <name>" });
  const env = environmentOf(values, io);
  const registry = registryOf(env);
  const models = registry.models().map((name) => ({ name, versions: registry.versions(name).map((v) => registry.meta(name, v)), aliases: registry.aliases(name) }));
  if (values.json) {
    io.stdout(JSON.stringify({ env: env.name, models }, null, 2) + "\n");
    return 0;
  }
  if (models.length === 0) {
    io.stdout(`no models in ${env.name} (${modelsDir(env.workspace)})\n`);
    return 0;
  }
  const rows = models.flatMap((m) =>
    m.versions.map((v) => {
      const aliases = Object.keys(m.aliases).filter((a) => m.aliases[a] === v.version);
      const source = v.lineage.source ? `${v.lineage.source.env} v${v.lineage.source.version}` : v.lineage.run_id ? `${v.lineage.job ?? "?"} ${v.lineage.run_id}` : "";
      return [m.name, `v${v.version}`, aliases.join(","), v.created_at, formatMetrics(v.metrics), source];
    }),
  );
  io.stdout(formatTable(["model", "version", "aliases", "created", "metrics", "from"], rows));
  io.stdout(models.map((m) => `${m.name}: ${formatAliases(m.aliases)}`).join("\n") + "\n");
  return 0;
}
