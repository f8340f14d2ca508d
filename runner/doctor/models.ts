/**
 * The model registry: every version's `meta.json` parses and every file of the version has the
 * sha256 its meta records; `aliases.json` parses and names versions that exist; every line of
 * `audit.jsonl` parses. Versions and aliases are never repaired automatically (which version an
 * alias should name is a person's call).
 */
import { readFileSync } from "node:fs";
import { sha256 } from "../models/hash.js";
import { modelsDir } from "../models/layout.js";
import { ModelRegistry } from "../models/store.js";
import type { ModelVersionMeta } from "../models/types.js";
import { readJson } from "./deployments.js";
import { unreadableDir } from "./runs.js";
import { DOCTOR_CODES, type DoctorCheck, type Problem } from "./types.js";
import { entries } from "./walk.js";

/**
 * Checks every model of the workspace's registry.
 *
 * @example
 * ```ts
 * modelRegistry.run(ctx); // [{ code: "DS2052", path: ".../models/reviews/aliases.json", message: "champion names version 7, which does not exist" }]
 * ```
 */
export const modelRegistry: DoctorCheck = {
  name: "models",
  run(ctx) {
    const registry = new ModelRegistry(ctx.workspace, ctx.env);
    const problems: Problem[] = [];
    const root = modelsDir(ctx.workspace);
    for (const model of entries(root, (e) => problems.push(unreadableDir(root, e)))) {
      if (!model.isDirectory() || !/^[a-z0-9][a-z0-9._-]*$/.test(model.name)) continue;
      let paths;
      try {
        paths = registry.paths(model.name);
      } catch {
        continue; // not a model name dagship would use
      }
      const versions = registry.versions(model.name);
      for (const v of versions) problems.push(...checkVersion(registry, model.name, v));
      problems.push(...checkAliases(paths.aliases, new Set(versions)));
      problems.push(...checkAudit(paths.audit));
    }
    return problems;
  },
};

function checkVersion(registry: ModelRegistry, name: string, version: number): Problem[] {
  const paths = registry.paths(name);
  const hint = "the version is not used while it fails its checks; restore its folder from a backup, or register the model again";
  const problems: Problem[] = [];
  const meta = readJson(paths.meta(version), problems, hint, "models") as Partial<ModelVersionMeta> | undefined;
  if (!meta) return problems;
  if (meta.name !== name || meta.version !== version || typeof meta.onnx_sha256 !== "string" || !meta.files || typeof meta.files !== "object") {
    return [{ code: DOCTOR_CODES.unreadable, check: "models", path: paths.meta(version), message: `is not the meta of version ${version} of model "${name}"`, hint }];
  }
  let files: Array<[string, string]>;
  try {
    files = [[paths.onnx(version), meta.onnx_sha256], ...Object.entries(meta.files).map(([f, h]): [string, string] => [paths.file(version, f), h])];
  } catch (error) {
    return [{ code: DOCTOR_CODES.unreadable, check: "models", path: paths.meta(version), message: `lists a file dagship would not write: ${(error as Error).message}`, hint }];
  }
  for (const [file, expected] of files) {
    let actual: string;
    try {
      actual = sha256(readFileSync(file));
    } catch (error) {
      problems.push({ code: DOCTOR_CODES.checksum, check: "models", path: file, message: `is listed in the meta of version ${version} of model "${name}" but cannot be read (${(error as NodeJS.ErrnoException).code})`, hint });
      continue;
    }
    if (actual !== expected) problems.push({ code: DOCTOR_CODES.checksum, check: "models", path: file, message: `has sha256 ${actual.slice(0, 12)}…, the meta of version ${version} of model "${name}" records ${expected.slice(0, 12)}…`, hint });
  }
  return problems;
}

function checkAliases(file: string, versions: ReadonlySet<number>): Problem[] {
  const problems: Problem[] = [];
  let exists = true;
  try {
    readFileSync(file);
  } catch {
    exists = false;
  }
  if (!exists) return problems;
  const aliases = readJson(file, problems, "restore it from a backup; the audit log (dagship models audit) says where each alias was moved", "models");
  if (aliases === undefined) return problems;
  if (aliases === null || typeof aliases !== "object" || Array.isArray(aliases)) return [{ code: DOCTOR_CODES.unreadable, check: "models", path: file, message: "is not an object of alias → version", hint: "restore it from a backup" }];
  for (const [alias, version] of Object.entries(aliases as Record<string, unknown>)) {
    if (typeof version === "number" && versions.has(version)) continue;
    problems.push({ code: DOCTOR_CODES.danglingAlias, check: "models", path: file, message: `${alias} names version ${JSON.stringify(version)}, which does not exist`, hint: `point it at a version that exists: dagship models alias <name> ${alias} --version N (or --remove)` });
  }
  return problems;
}

function checkAudit(file: string): Problem[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const lines = text.split("\n");
  const problems: Problem[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      JSON.parse(line);
    } catch {
      const last = i === lines.length - 1;
      problems.push({ code: DOCTOR_CODES.unreadable, check: "models", path: file, message: `line ${i + 1} does not parse${last ? " (a last line cut short: its change was never made)" : ""}`, hint: last ? "harmless to readers; end the file with a newline so the next entry starts on a line of its own" : "the log was changed outside dagship; restore it from a backup" });
    }
  });
  return problems;
}
