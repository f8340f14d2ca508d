import { UsageError } from "../../../errors.js";
import { checkModelName } from "../../../models/names.js";
import { parseCommandArgs } from "../../args.js";
import type { Io } from "../../io.js";
import { environmentOf } from "../common.js";
import { formatAliases, formatMetrics, positionalsOf, registryOf, versionFlag } from "./common.js";

/**
 * `dagship models show <name> [--version N | --alias a]`: without a version, the model (versions,
 * aliases); with one, that version's metadata, verified against its checksums.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("models show", argv, { env: { type: "string" }, version: { type: "string" }, alias: { type: "string" } });
  const [name] = positionalsOf("show", positionals, ["name"]);
  checkModelName(name!);
  if (values.version !== undefined && values.alias !== undefined) throw new UsageError("--version and --alias do not go together");
  const env = environmentOf(values, io);
  const registry = registryOf(env);
  const version = versionFlag(values, "show", true);
  if (version === undefined && values.alias === undefined) {
    const versions = registry.versions(name!);
    if (versions.length === 0) registry.meta(name!, 1); // DS2017 with the known models
    const aliases = registry.aliases(name!);
    const metas = versions.map((v) => registry.meta(name!, v));
    if (values.json) io.stdout(JSON.stringify({ env: env.name, name, versions: metas, aliases }, null, 2) + "\n");
    else {
      io.stdout(`${name} in ${env.name}: ${versions.length} version${versions.length === 1 ? "" : "s"}; aliases: ${formatAliases(aliases)}\n`);
      for (const m of metas) io.stdout(`  v${m.version}  ${m.created_at}  ${formatMetrics(m.metrics)}\n`);
    }
    return 0;
  }
  const resolved = registry.resolve(name!, version !== undefined ? { version } : { alias: String(values.alias) });
  const m = resolved.meta;
  if (values.json) {
    io.stdout(JSON.stringify({ env: env.name, ...m, aliases: resolved.aliases, verified: true, path: resolved.dir }, null, 2) + "\n");
    return 0;
  }
  const l = m.lineage;
  const lines = [
    `${m.name} v${m.version} in ${env.name}${resolved.aliases.length ? ` (${resolved.aliases.join(", ")})` : ""} — verified`,
    `  created     ${m.created_at}`,
    `  onnx        ${m.onnx_sha256} (${m.onnx_bytes} bytes)`,
    `  metrics     ${formatMetrics(m.metrics) || "none"}`,
    `  params      ${JSON.stringify(m.params)}`,
    `  featurizer  ${JSON.stringify(m.featurizer)}`,
    `  lineage     env=${l.env ?? "-"} job=${l.job ?? "-"} run=${l.run_id ?? "-"} task=${l.task_key ?? "-"} deployment=${l.deployment_id ?? "-"} git=${l.git_sha ?? "-"}`,
    ...l.input_tables.map((t) => `  input       ${t.name} ${t.sha256}`),
    ...(l.source ? [`  source      ${l.source.env} ${l.source.name} v${l.source.version}, bundle ${l.source.bundle_sha256}`] : []),
    ...Object.entries(m.files).map(([f, h]) => `  file        ${f} ${h}`),
    `  path        ${resolved.dir}`,
  ];
  io.stdout(lines.join("\n") + "\n");
  return 0;
}
