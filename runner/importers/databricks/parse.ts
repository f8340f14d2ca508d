import { LineCounter, parseDocument } from "yaml";
import { ConfigError, DagshipError } from "../../errors.js";
import { readConfigFile } from "../../spec/read.js";
import { parseJsonDocument } from "../../spec/source/json.js";
import { decodeText } from "../../spec/source/text.js";

/** Aliases a YAML file may expand (guards against "billion laughs" documents). */
const MAX_ALIASES = 1000;

/**
 * Reads and parses a Databricks source file: JSON (by its `.json` extension or a leading `{`)
 * or YAML (anchors, aliases and `<<` merge keys resolved). Throws typed errors: a missing or
 * unreadable file is a `ConfigError` DS2002/DS2003 (exit 2); an empty file DS2008 (exit 2);
 * a syntax error DS1001 located at `file:line:column` (exit 1), as `dagship validate` does.
 *
 * @example
 * ```ts
 * const value = readSource("/abs/resources/job.yml", "resources/job.yml");
 * ```
 */
export function readSource(abs: string, shown: string): unknown {
  const bytes = readConfigFile(abs, shown);
  const decoded = decodeText(bytes, "a Databricks job (JSON) or bundle (YAML)");
  if (!decoded.ok) {
    if (decoded.finding.message.startsWith("file is empty")) throw emptyFile(shown);
    throw new DagshipError("DS1025", `${shown}: ${decoded.finding.message}`, { hint: decoded.finding.hint ?? "check that the right file was given", exitCode: 1 });
  }
  const json = /\.json$/i.test(abs) || (!/\.ya?ml$/i.test(abs) && decoded.text.trimStart().startsWith("{"));
  const value = json ? parseJson(bytes, shown) : parseYaml(decoded.text, shown);
  if (value === null || value === undefined) throw emptyFile(shown);
  return value;
}

function emptyFile(shown: string): ConfigError {
  return new ConfigError("DS2008", `nothing to import: ${shown} is empty (no JSON or YAML content)`, { hint: "give a Databricks job JSON (jobs/get output or job settings), a bundle file with resources.jobs, or a dbx deployment file" });
}

function parseJson(bytes: Uint8Array, shown: string): unknown {
  const doc = parseJsonDocument(shown, bytes);
  const first = doc.diagnostics[0];
  if (first) throw syntaxError(shown, first.line, first.column, first.message);
  return doc.value;
}

function parseYaml(text: string, shown: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const at = lines.linePos(first.pos[0]);
    throw syntaxError(shown, at.line, at.col, first.message.split("\n")[0]!);
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw syntaxError(shown, 1, 1, (error as Error).message.split("\n")[0]!);
  }
}

function syntaxError(shown: string, line: number, column: number, message: string): DagshipError {
  return new DagshipError("DS1001", `${shown}:${line}:${column} ${message}`, { hint: "the file must be valid JSON or YAML", exitCode: 1 });
}
