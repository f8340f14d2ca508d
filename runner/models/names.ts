/**
 * Names in the model registry become folder and file names inside a workspace, so they are checked
 * before anything touches the disk: no `../`, no NUL, no absolute path, nothing very long, and only
 * a small set of characters. A bad name is a {@link ConfigError} `DS2016` (exit 2) that says which
 * rule it breaks.
 */
import { ConfigError } from "../errors.js";

/** Longest model name. */
export const MAX_MODEL_NAME = 100;
/** Longest alias name. */
export const MAX_ALIAS_NAME = 63;
/** Longest path of a further file of a version (e.g. `featurizer/vocab.json`). */
export const MAX_FILE_PATH = 100;

const MODEL = /^[a-z0-9][a-z0-9._-]*$/;
const ALIAS = /^[a-z][a-z0-9_-]*$/;
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Files every version has, which further files may not be called. */
export const RESERVED_FILES: readonly string[] = ["model.onnx", "meta.json", "manifest.json"];

function shown(name: string): string {
  return JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name).replace(/\\u0000/g, "\\0");
}

/** The rule a name breaks first, or undefined. Shared by the three checks. */
function commonProblem(name: string, max: number): string | undefined {
  if (name === "") return "is empty";
  if (name.includes("\0")) return "contains a NUL byte";
  if (name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:[\\/]/.test(name)) return "is an absolute path";
  if (/(^|[\\/])\.\.([\\/]|$)/.test(name)) return "contains ../ (a path out of its folder)";
  if (name.length > max) return `is ${name.length} characters long (at most ${max})`;
  return undefined;
}

/**
 * Checks a model name: lower-case letters, digits, `.`, `_` and `-`, starting with a letter or a
 * digit, at most {@link MAX_MODEL_NAME} characters.
 *
 * @example
 * ```ts
 * checkModelName("reviews");   // "reviews"
 * checkModelName("../etc");    // throws ConfigError DS2016: model name "../etc" contains ../
 * ```
 */
export function checkModelName(name: string): string {
  const problem = commonProblem(name, MAX_MODEL_NAME) ?? (MODEL.test(name) ? undefined : "may hold only a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
  if (problem) throw new ConfigError("DS2016", `model name ${shown(name)} ${problem}`, { hint: "e.g. reviews, churn-v2" });
  return name;
}

/**
 * Checks an alias name: lower-case letters, digits, `_` and `-`, starting with a letter (so an
 * alias never looks like a version number), at most {@link MAX_ALIAS_NAME} characters.
 *
 * @example
 * ```ts
 * checkAliasName("champion"); // "champion"
 * checkAliasName("3");        // throws ConfigError DS2016
 * ```
 */
export function checkAliasName(name: string): string {
  const problem = commonProblem(name, MAX_ALIAS_NAME) ?? (ALIAS.test(name) ? undefined : "may hold only a-z, 0-9, '_' and '-', starting with a letter");
  if (problem) throw new ConfigError("DS2016", `alias name ${shown(name)} ${problem}`, { hint: "e.g. champion, challenger" });
  return name;
}

/**
 * Checks the relative path of a further file of a version: `/`-separated segments of letters,
 * digits, `.`, `_` and `-` (none starting with `.`), at most {@link MAX_FILE_PATH} characters,
 * and not one of {@link RESERVED_FILES}.
 *
 * @example
 * ```ts
 * checkFilePath("featurizer/vocab.json"); // ok
 * checkFilePath("/etc/passwd");           // throws ConfigError DS2016
 * ```
 */
export function checkFilePath(file: string): string {
  let problem = commonProblem(file, MAX_FILE_PATH);
  if (!problem && !file.split("/").every((s) => SEGMENT.test(s))) problem = "must be a relative path of letters, digits, '.', '_' and '-' segments, none starting with '.'";
  if (!problem && RESERVED_FILES.includes(file)) problem = "is reserved";
  if (problem) throw new ConfigError("DS2016", `model file path ${shown(file)} ${problem}`, { hint: "e.g. featurizer.json, vocab/words.txt" });
  return file;
}

/**
 * Parses a version number given on the command line or to the API: a whole number ≥ 1.
 *
 * @example
 * ```ts
 * parseVersion("3"); // 3
 * parseVersion("x"); // throws ConfigError DS2016
 * ```
 */
export function parseVersion(value: string | number): number {
  const n = typeof value === "number" ? value : /^[0-9]{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 999_999_999) throw new ConfigError("DS2016", `version ${shown(String(value))} is not a whole number from 1`, { hint: "versions are 1, 2, 3, ...; see dagship models show <name>" });
  return n;
}
