import { mkdirSync } from "node:fs";
import path from "node:path";
import { buildBundle } from "../../../models/bundle.js";
import { checkModelName } from "../../../models/names.js";
import { writeFileAtomic } from "../../../workspace/atomic.js";
import { parseCommandArgs } from "../../args.js";
import type { Io } from "../../io.js";
import { environmentOf } from "../common.js";
import { positionalsOf, registryOf, versionFlag } from "./common.js";

/**
 * `dagship models export <name> --version N [--env X] [--out file.tar.gz]`: writes the version's
 * checksummed bundle (a plain tar when --out ends in .tar) and `<out>.sha256` beside it.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("models export", argv, { env: { type: "string" }, version: { type: "string" }, out: { type: "string" } });
  const [name] = positionalsOf("export", positionals, ["name"]);
  checkModelName(name!);
  const version = versionFlag(values, "export");
  const env = environmentOf(values, io);
  const out = path.resolve(io.cwd, typeof values.out === "string" ? values.out : `${name}-${env.name}-v${version}.tar.gz`);
  const { bytes, sha256, manifest } = buildBundle(registryOf(env), name!, version, { gzip: !out.endsWith(".tar") });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileAtomic(out, bytes);
  writeFileAtomic(`${out}.sha256`, `${sha256}  ${path.basename(out)}\n`);
  if (values.json) io.stdout(JSON.stringify({ env: env.name, name, version, out, sha256, bytes: bytes.length, files: manifest.files }, null, 2) + "\n");
  else io.stdout(`✓ exported ${name} v${version} of ${env.name} to ${path.relative(io.cwd, out) || out} (${bytes.length} bytes, sha256 ${sha256})\n  import it with: dagship models import ${path.relative(io.cwd, out) || out} --env <env>\n`);
  return 0;
}
