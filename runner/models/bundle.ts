/**
 * Model export bundles: a tar archive (gzipped unless written as `.tar`) of
 *
 * ```text
 * manifest.json   { format, format_version, name, version, env, exported_at, meta, files, checksum }
 * model.onnx
 * files/<path>    the version's further files
 * ```
 *
 * `manifest.files` maps every other archive path to its sha256, and `manifest.checksum` is the
 * sha256 of the manifest's canonical JSON without `checksum`, so an edited manifest is caught too.
 * {@link readBundle} verifies all of it before anything is imported; a bundle that differs in any
 * way is a {@link DagshipError} `DS2019` (exit 1).
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { DagshipError } from "../errors.js";
import { canonicalJson, sha256 } from "./hash.js";
import { checkFilePath, checkModelName } from "./names.js";
import type { ModelRegistry } from "./store.js";
import { readTar, writeTar } from "./tar.js";
import type { ModelVersionMeta } from "./types.js";

export const BUNDLE_FORMAT = "dagship.model-bundle";
export const BUNDLE_FORMAT_VERSION = 1;
/** The largest bundle (uncompressed) import reads. */
export const MAX_BUNDLE_BYTES = 1024 ** 3;

/** `manifest.json` of a bundle. */
export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  format_version: number;
  name: string;
  version: number;
  /** The environment the version was exported from. */
  env: string;
  exported_at: string;
  meta: ModelVersionMeta;
  /** Archive path → sha256, for every entry but manifest.json. */
  files: Record<string, string>;
  /** sha256 of the canonical JSON of this manifest without `checksum`. */
  checksum: string;
}

/** A bundle whose every checksum matched. */
export interface VerifiedBundle {
  manifest: BundleManifest;
  onnx: Uint8Array;
  /** Further files: relative path (without `files/`) → content. */
  files: Record<string, Uint8Array>;
  /** sha256 of the bundle file as a whole. */
  sha256: string;
}

/**
 * Builds the bundle of a version of `registry` (verified first; only the version's own files are
 * read). `gzip: false` gives a plain tar.
 *
 * @example
 * ```ts
 * const { bytes, sha256 } = buildBundle(new ModelRegistry(ws, "dev"), "reviews", 3);
 * writeFileSync("reviews-3.tar.gz", bytes);
 * ```
 */
export function buildBundle(registry: ModelRegistry, name: string, version: number, options: { gzip?: boolean } = {}): { bytes: Buffer; sha256: string; manifest: BundleManifest } {
  const { meta, onnx, files } = registry.read(name, version);
  const entries = [
    { path: "model.onnx", data: onnx },
    ...Object.keys(files)
      .sort()
      .map((f) => ({ path: `files/${f}`, data: files[f]! })),
  ];
  const body: Omit<BundleManifest, "checksum"> = {
    format: BUNDLE_FORMAT,
    format_version: BUNDLE_FORMAT_VERSION,
    name,
    version,
    env: registry.env ?? "unknown",
    exported_at: new Date().toISOString(),
    meta,
    files: Object.fromEntries(entries.map((e) => [e.path, sha256(e.data)])),
  };
  const manifest: BundleManifest = { ...body, checksum: sha256(canonicalJson(body)) };
  const mtime = Math.floor(Date.parse(meta.created_at) / 1000) || 0;
  const tar = writeTar([{ path: "manifest.json", data: Buffer.from(JSON.stringify(manifest, null, 2) + "\n") }, ...entries], mtime);
  const bytes = options.gzip === false ? tar : gzipSync(tar);
  return { bytes, sha256: sha256(bytes), manifest };
}

/**
 * Parses and verifies a bundle: the archive, the manifest's own checksum, the set of files (none
 * missing, none extra), every file's sha256, and that the manifest's meta agrees with them. With
 * `expectedSha256`, the bundle as a whole must have that sha256. Anything else is `DS2019`.
 *
 * @example
 * ```ts
 * const bundle = readBundle(readFileSync("reviews-3.tar.gz"));
 * bundle.manifest.meta.metrics; // { auc: 0.91 }
 * ```
 */
export function readBundle(bytes: Uint8Array, options: { expectedSha256?: string; label?: string } = {}): VerifiedBundle {
  const label = options.label ?? "the bundle";
  const refuse = (why: string, cause?: unknown) => new DagshipError("DS2019", `${label} is refused: ${why}; nothing was imported`, { hint: "export the bundle again from its source; a bundle must not be edited", cause });
  const whole = sha256(bytes);
  if (options.expectedSha256 !== undefined && options.expectedSha256.toLowerCase() !== whole) throw refuse(`its sha256 is ${whole}, expected ${options.expectedSha256}`);
  let tar: Uint8Array = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      tar = gunzipSync(bytes, { maxOutputLength: MAX_BUNDLE_BYTES });
    } catch (error) {
      throw refuse(`it is not valid gzip (${(error as Error).message})`, error);
    }
  }
  let entries;
  try {
    entries = readTar(tar);
  } catch (error) {
    throw refuse(`it is not a valid tar archive: ${(error as Error).message}`, error);
  }
  const byPath = new Map<string, Uint8Array>();
  for (const e of entries) {
    if (byPath.has(e.path)) throw refuse(`it holds "${e.path}" twice`);
    byPath.set(e.path, e.data);
  }
  const manifestBytes = byPath.get("manifest.json");
  if (!manifestBytes) throw refuse("it has no manifest.json");
  byPath.delete("manifest.json");
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(Buffer.from(manifestBytes).toString("utf8")) as BundleManifest;
  } catch (error) {
    throw refuse(`its manifest.json is not JSON (${(error as Error).message})`, error);
  }
  checkManifestShape(manifest, refuse);
  const { checksum, ...body } = manifest;
  const actualChecksum = sha256(canonicalJson(body));
  if (actualChecksum !== checksum) throw refuse(`manifest.json was changed: its checksum is ${actualChecksum}, it records ${checksum}`);
  for (const file of Object.keys(manifest.files)) if (!byPath.has(file)) throw refuse(`"${file}" is listed in manifest.json but missing from the archive`);
  for (const [file, data] of byPath) {
    const expected = manifest.files[file];
    if (expected === undefined) throw refuse(`"${file}" is in the archive but not listed in manifest.json`);
    const actual = sha256(data);
    if (actual !== expected) throw refuse(`checksum mismatch for "${file}": sha256 ${actual}, manifest.json records ${expected}`);
  }
  const meta = manifest.meta;
  if (manifest.files["model.onnx"] !== meta.onnx_sha256) throw refuse("model.onnx does not match meta.onnx_sha256");
  const further = Object.keys(manifest.files).filter((f) => f !== "model.onnx");
  const metaFiles = Object.keys(meta.files);
  if (further.length !== metaFiles.length || metaFiles.some((f) => manifest.files[`files/${f}`] !== meta.files[f])) throw refuse("the archive's further files do not match meta.files");
  return {
    manifest,
    onnx: byPath.get("model.onnx")!,
    files: Object.fromEntries(metaFiles.map((f) => [f, byPath.get(`files/${f}`)!])),
    sha256: whole,
  };
}

function checkManifestShape(m: BundleManifest, refuse: (why: string, cause?: unknown) => Error): void {
  if (m === null || typeof m !== "object") throw refuse("manifest.json is not an object");
  if (m.format !== BUNDLE_FORMAT) throw refuse(`manifest.json format is ${JSON.stringify(m.format)}, not "${BUNDLE_FORMAT}"`);
  if (m.format_version !== BUNDLE_FORMAT_VERSION) throw refuse(`bundle format version ${JSON.stringify(m.format_version)} is not supported (this dagship reads ${BUNDLE_FORMAT_VERSION})`);
  try {
    checkModelName(m.name);
    for (const f of Object.keys(m.meta?.files ?? {})) checkFilePath(f);
  } catch (error) {
    throw refuse((error as Error).message, error);
  }
  if (!Number.isInteger(m.version) || m.version < 1) throw refuse("manifest.json has no valid version");
  if (typeof m.env !== "string" || !/^[a-z][a-z0-9_-]*$/.test(m.env)) throw refuse("manifest.json has no valid env");
  if (typeof m.checksum !== "string" || m.files === null || typeof m.files !== "object") throw refuse("manifest.json lacks files or checksum");
  const meta = m.meta;
  if (meta === null || typeof meta !== "object" || meta.name !== m.name || meta.version !== m.version) throw refuse("manifest.json's meta does not describe the bundled version");
  if (typeof meta.onnx_sha256 !== "string" || meta.files === null || typeof meta.files !== "object" || meta.lineage === null || typeof meta.lineage !== "object") throw refuse("manifest.json's meta is incomplete");
  for (const [k, v] of Object.entries(meta.metrics ?? {})) if (typeof v !== "number" || !Number.isFinite(v)) throw refuse(`metric "${k}" in manifest.json is not a number`);
}
