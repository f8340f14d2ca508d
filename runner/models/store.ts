/**
 * Reading an environment's model registry: models, versions (verified against their checksums),
 * aliases and the audit log. Readers take no lock: versions are immutable once they exist, and
 * `aliases.json` is replaced atomically. The writers are in ./write-version.ts, ./aliases.ts and
 * ./promote.ts; the layout is in ./layout.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { ConfigError, DagshipError } from "../errors.js";
import { readAudit } from "./audit.js";
import { sha256 } from "./hash.js";
import { ModelPaths, modelsDir } from "./layout.js";
import { checkAliasName, MAX_MODEL_NAME } from "./names.js";
import type { Aliases, AuditEntry, ModelVersionMeta } from "./types.js";

/** Which version: a number or an alias. */
export type VersionRef = { version: number } | { alias: string };

/** A version that passed verification, with the absolute paths of its files. */
export interface ResolvedVersion {
  meta: ModelVersionMeta;
  /** The version's folder. */
  dir: string;
  /** Absolute path of `model.onnx`. */
  onnx: string;
  /** Further files: relative path → absolute path. */
  files: Record<string, string>;
  /** The aliases that name this version. */
  aliases: string[];
}

/**
 * One environment's model registry (`<workspace>/models`).
 *
 * @example
 * ```ts
 * const registry = new ModelRegistry("/repo/.dagship/prod", "prod");
 * registry.aliases("reviews");                      // { champion: 3 }
 * registry.resolve("reviews", { alias: "champion" }).onnx; // ".../versions/3/model.onnx"
 * ```
 */
export class ModelRegistry {
  constructor(
    readonly workspace: string,
    /** The environment's name, recorded in audit entries and bundles (null for a bare workspace). */
    readonly env: string | null = null,
  ) {}

  paths(name: string): ModelPaths {
    return new ModelPaths(this.workspace, name);
  }

  /** Names of the models that have at least one version, sorted. */
  models(): string[] {
    return listDir(modelsDir(this.workspace))
      .filter((n) => n.length <= MAX_MODEL_NAME && /^[a-z0-9][a-z0-9._-]*$/.test(n))
      .filter((n) => this.versions(n).length > 0)
      .sort();
  }

  /** A model's version numbers, ascending (empty for an unknown model). */
  versions(name: string): number[] {
    return listDir(this.paths(name).versionsDir)
      .filter((n) => /^[1-9][0-9]{0,8}$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** The model's aliases (alias → version); none for a model without aliases. */
  aliases(name: string): Aliases {
    const file = this.paths(name).aliases;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw unreadable(file, error);
    }
    return JSON.parse(text) as Aliases;
  }

  /** The model's audit log, oldest first. */
  audit(name: string): AuditEntry[] {
    return readAudit(this.paths(name));
  }

  /**
   * A version's `meta.json`, unverified (cheap: for listings). An unknown model or version is a
   * {@link ConfigError} `DS2017`; an unreadable meta a {@link DagshipError} `DS2018`.
   */
  meta(name: string, version: number): ModelVersionMeta {
    const versions = this.versions(name);
    if (!versions.includes(version)) {
      if (versions.length === 0) throw this.unknownModel(name);
      throw new ConfigError("DS2017", `model "${name}" has no version ${version} in ${this.where()}`, { hint: `versions: ${summarise(versions)}` });
    }
    const file = this.paths(name).meta(version);
    try {
      const meta = JSON.parse(readFileSync(file, "utf8")) as ModelVersionMeta;
      if (meta.name !== name || meta.version !== version) throw new Error(`it names ${meta.name} version ${meta.version}`);
      return meta;
    } catch (error) {
      throw new DagshipError("DS2018", `model "${name}" version ${version} in ${this.where()} has an unreadable meta.json: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * A version, verified: `model.onnx` and every further file must match the sha256 its meta
   * records (else `DS2018`).
   *
   * @example
   * ```ts
   * registry.verify("reviews", 2).onnx_sha256;
   * ```
   */
  verify(name: string, version: number): ModelVersionMeta {
    return this.read(name, version).meta;
  }

  /**
   * A version's meta and the bytes of its files, each checked against the sha256 its meta records
   * (else `DS2018`). Reads only the version's own folder.
   *
   * @example
   * ```ts
   * const { meta, onnx, files } = registry.read("reviews", 2);
   * ```
   */
  read(name: string, version: number): { meta: ModelVersionMeta; onnx: Buffer; files: Record<string, Buffer> } {
    const meta = this.meta(name, version);
    const paths = this.paths(name);
    const load = (label: string, file: string, expected: string): Buffer => {
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch (error) {
        throw new DagshipError("DS2018", `model "${name}" version ${version} in ${this.where()}: ${label} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
      }
      const actual = sha256(data);
      if (actual !== expected) throw new DagshipError("DS2018", `model "${name}" version ${version} in ${this.where()}: ${label} has sha256 ${actual}, its meta.json records ${expected}`, { hint: "the version's files were changed outside dagship; it is not used" });
      return data;
    };
    const onnx = load("model.onnx", paths.onnx(version), meta.onnx_sha256);
    const files: Record<string, Buffer> = {};
    for (const [file, hash] of Object.entries(meta.files)) files[file] = load(file, paths.file(version, file), hash);
    return { meta, onnx, files };
  }

  /**
   * The verified version a number or an alias names. An unknown alias is `DS2017`.
   *
   * @example
   * ```ts
   * registry.resolve("reviews", { alias: "champion" }).meta.version; // 3
   * ```
   */
  resolve(name: string, ref: VersionRef): ResolvedVersion {
    const aliases = this.aliases(name);
    let version: number;
    if ("alias" in ref) {
      checkAliasName(ref.alias);
      const v = aliases[ref.alias];
      if (v === undefined) {
        if (this.versions(name).length === 0) throw this.unknownModel(name);
        const known = Object.keys(aliases);
        throw new ConfigError("DS2017", `model "${name}" has no alias "${ref.alias}" in ${this.where()}`, { hint: known.length ? `aliases: ${known.map((a) => `${a} → ${aliases[a]}`).join(", ")}` : "it has no aliases yet; set one with: dagship models alias <name> <alias> --version N" });
      }
      version = v;
    } else version = ref.version;
    const meta = this.verify(name, version);
    const paths = this.paths(name);
    return {
      meta,
      dir: paths.versionDir(version),
      onnx: paths.onnx(version),
      files: Object.fromEntries(Object.keys(meta.files).map((f) => [f, paths.file(version, f)])),
      aliases: Object.keys(aliases).filter((a) => aliases[a] === version).sort(),
    };
  }

  /** "environment prod" or the workspace path: how messages name this registry. */
  where(): string {
    return this.env ? `environment ${this.env}` : `workspace ${this.workspace}`;
  }

  private unknownModel(name: string): ConfigError {
    const known = this.models();
    return new ConfigError("DS2017", `no model "${name}" in ${this.where()}`, { hint: known.length ? `models: ${known.join(", ")}` : "the registry has no models yet" });
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw unreadable(dir, error);
  }
}

/** A folder or file of the registry that exists but cannot be read: `DS2003` (exit 2). */
export function unreadable(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM" || code === "EIO") return new ConfigError("DS2003", `cannot read "${file}": ${code}`, { cause: error });
  return error;
}

function summarise(versions: number[]): string {
  return versions.length <= 10 ? versions.join(", ") : `${versions.slice(0, 3).join(", ")}, …, ${versions.slice(-3).join(", ")}`;
}
