import { mkdirSync } from "node:fs";
import path from "node:path";
import { ConfigError, UsageError } from "../../../errors.js";
import { buildBundle } from "../../../models/bundle.js";
import { checkModelName } from "../../../models/names.js";
import { writeFileAtomic } from "../../../workspace/atomic.js";
import { parseCommandArgs } from "../../args.js";
import type { Io } from "../../io.js";
import { setOutputs } from "../actions.js";
import { environmentOf } from "../common.js";
import { positionalsOf, registryOf, versionFlag } from "./common.js";

/**
 * `dagship models export <name> (--version N | --alias a) [--env X] [--out file.tar.gz] [--if-exists]`:
 * writes the version's checksummed bundle (a plain tar when --out ends in .tar) and `<out>.sha256`
 * beside it. `--alias` exports the version the alias names (e.g. staging's champion, for the prod
 * deploy workflow). With `--if-exists`, a model, version or alias that does not exist writes
 * nothing and exits 0, saying so. In GitHub Actions the step outputs are `model_version`, `bundle`
 * and `sha256` (all empty when nothing was exported).
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("models export", argv, { env: { type: "string" }, version: { type: "string" }, alias: { type: "string" }, out: { type: "string" }, "if-exists": { type: "boolean" } });
  const [name] = positionalsOf("export", positionals, ["name"]);
  checkModelName(name!);
  if (values.version !== undefined && values.alias !== undefined) throw new UsageError("--version and --alias do not go together");
  if (values.version === undefined && values.alias === undefined) throw new UsageError("dagship models export needs --version N or --alias <alias>", { hint: "e.g. dagship models export reviews --alias champion --env staging" });
  const env = environmentOf(values, io);
  const registry = registryOf(env);
  const ref = values.alias !== undefined ? { alias: String(values.alias) } : { version: versionFlag(values, "export") };
  let version: number;
  try {
    version = registry.resolve(name!, ref).meta.version; // verified against its checksums (DS2018)
  } catch (error) {
    if (!(values["if-exists"] && error instanceof ConfigError && error.code === "DS2017")) throw error;
    setOutputs({ model_version: "", bundle: "", sha256: "" }, io);
    if (values.json) io.stdout(JSON.stringify({ env: env.name, name, exported: false, reason: error.message }, null, 2) + "\n");
    else io.stdout(`nothing exported: ${error.message}\n`);
    return 0;
  }
  const out = path.resolve(io.cwd, typeof values.out === "string" ? values.out : `${name}-${env.name}-v${version}.tar.gz`);
  const { bytes, sha256, manifest } = buildBundle(registry, name!, version, { gzip: !out.endsWith(".tar") });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileAtomic(out, bytes);
  writeFileAtomic(`${out}.sha256`, `${sha256}  ${path.basename(out)}\n`);
  setOutputs({ model_version: String(version), bundle: out, sha256 }, io);
  if (values.json) io.stdout(JSON.stringify({ env: env.name, name, version, ...("alias" in ref ? { alias: ref.alias } : {}), exported: true, out, sha256, bytes: bytes.length, files: manifest.files }, null, 2) + "\n");
  else io.stdout(`✓ exported ${name} v${version}${"alias" in ref ? ` (${ref.alias})` : ""} of ${env.name} to ${path.relative(io.cwd, out) || out} (${bytes.length} bytes, sha256 ${sha256})\n  import it with: dagship models import ${path.relative(io.cwd, out) || out} --env <env>\n`);
  return 0;
}
