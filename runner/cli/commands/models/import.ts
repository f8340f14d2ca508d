import { UsageError } from "../../../errors.js";
import { actorOf } from "../../../models/actor.js";
import { readBundle } from "../../../models/bundle.js";
import { importBundle } from "../../../models/import.js";
import { parseCommandArgs } from "../../args.js";
import type { Io } from "../../io.js";
import { environmentOf } from "../common.js";
import { readBundleFile } from "./bundle-file.js";
import { positionalsOf, registryOf } from "./common.js";

/**
 * `dagship models import <file> --env Y [--sha256 hex]`: verifies every checksum of the bundle
 * (and the bundle's own sha256, from --sha256 or `<file>.sha256`) and registers it as a new
 * version of the target, whose lineage names its source. A bundle that differs is refused (DS2019,
 * exit 1) with nothing changed. The champion does not move: promote does that, behind the gate.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("models import", argv, { env: { type: "string" }, sha256: { type: "string" } });
  const [file] = positionalsOf("import", positionals, ["bundle"]);
  if (typeof values.env !== "string") throw new UsageError("dagship models import needs --env <env>: the environment to import into", { hint: "e.g. dagship models import reviews.tar.gz --env staging" });
  const env = environmentOf(values, io);
  const { bytes, expectedSha256, label } = readBundleFile(file!, io.cwd, values.sha256);
  const bundle = readBundle(bytes, { label, ...(expectedSha256 ? { expectedSha256 } : {}) });
  const { meta, created, source } = await importBundle(registryOf(env), bundle, actorOf(env.root, io.env));
  if (values.json) io.stdout(JSON.stringify({ env: env.name, name: meta.name, version: meta.version, created, source, sha256_checked: expectedSha256 !== undefined, meta }, null, 2) + "\n");
  else if (created) io.stdout(`✓ imported ${meta.name} v${source.version} of ${source.env} into ${env.name} as v${meta.version} (every checksum verified)\n  gate it with: dagship models promote ${meta.name} --version ${meta.version} --to ${env.name}\n`);
  else io.stdout(`${env.name} already holds ${meta.name} v${source.version} of ${source.env}, as v${meta.version}; nothing changed\n`);
  return 0;
}
