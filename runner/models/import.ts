/**
 * Importing a verified bundle: the version becomes the next version of the same model in the
 * target registry, with the source's metrics, params, featurizer and lineage, plus
 * `lineage.source` naming where it came from (source env, name, version, bundle sha256).
 * Importing what the target already holds (the same source env, name, version and files)
 * returns the version it became the first time instead of a duplicate.
 */
import type { VerifiedBundle } from "./bundle.js";
import { canonicalJson } from "./hash.js";
import type { ModelRegistry } from "./store.js";
import type { Actor, ModelSource, ModelVersionMeta } from "./types.js";
import { writeVersion } from "./write-version.js";

/** The result of an import: the target's version, and whether the import created it. */
export interface ImportResult {
  meta: ModelVersionMeta;
  created: boolean;
  source: ModelSource;
}

/**
 * Registers a verified bundle in `target` (see {@link readBundle} for the verification).
 *
 * @example
 * ```ts
 * const bundle = readBundle(readFileSync("reviews-3.tar.gz"));
 * const { meta } = await importBundle(new ModelRegistry(ws, "staging"), bundle, actor);
 * meta.lineage.source; // { env: "dev", name: "reviews", version: 3, bundle_sha256: "…", imported_at: "…" }
 * ```
 */
export async function importBundle(target: ModelRegistry, bundle: VerifiedBundle, actor: Actor): Promise<ImportResult> {
  const { manifest } = bundle;
  const src = manifest.meta;
  const source: ModelSource = {
    env: manifest.env,
    name: manifest.name,
    version: manifest.version,
    bundle_sha256: bundle.sha256,
    imported_at: new Date().toISOString(),
    ...(src.lineage.source ? { previous: src.lineage.source } : {}),
  };
  const { meta, created } = await writeVersion(
    target,
    manifest.name,
    { onnx: bundle.onnx, featurizer: src.featurizer, metrics: src.metrics, params: src.params, lineage: { ...src.lineage, source }, files: bundle.files },
    {
      actor,
      reuse: (existing) => {
        const s = existing.lineage.source;
        return s !== undefined && s.env === source.env && s.name === source.name && s.version === source.version && existing.onnx_sha256 === src.onnx_sha256 && canonicalJson(existing.files) === canonicalJson(src.files);
      },
    },
  );
  return { meta, created, source: meta.lineage.source ?? source };
}
