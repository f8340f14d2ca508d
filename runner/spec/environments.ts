import path from "node:path";
import { sortDiagnostics, type Diagnostic, type Finding } from "./diagnostics.js";
import { readConfigFile } from "./read.js";
import { displayPath } from "./repository.js";
import type { EnvironmentSpec } from "./schema/environment.js";
import { checkEnvironmentSchema } from "./schema-check.js";
import { locateFinding } from "./source/document.js";
import { parseYamlDocument } from "./source/yaml.js";

/** The outcome for one environment file: the parsed environment when it has no errors. */
export interface EnvironmentResult {
  path: string;
  /** The file as shown to users, and a locator of JSON pointers in it. */
  file: string;
  locate(pointer: string): { line: number; column: number };
  environment?: EnvironmentSpec;
  diagnostics: Diagnostic[];
}

/**
 * Validates environment files (`environments/<env>.yaml`) against their JSON Schema and checks
 * that each one's `name` matches its file name. Every problem is located.
 *
 * @example
 * ```ts
 * const { diagnostics } = validateEnvironments(["environments/dev.yaml"], process.cwd());
 * ```
 */
export function validateEnvironments(files: readonly string[], cwd: string): { environments: EnvironmentResult[]; diagnostics: Diagnostic[] } {
  const environments = files.map((file): EnvironmentResult => {
    const abs = path.resolve(cwd, file);
    const shown = displayPath(abs, cwd);
    const doc = parseYamlDocument(shown, readConfigFile(abs, shown));
    const findings: Finding[] = doc.value === undefined ? [] : checkEnvironmentSchema(doc.value);
    const name = (doc.value as { name?: unknown } | undefined)?.name;
    const expected = path.basename(abs).replace(/\.ya?ml$/, "");
    if (typeof name === "string" && name !== expected) {
      findings.push({ pointer: "/name", code: "DS1024", message: `environment is named "${name}" but its file is "${path.basename(abs)}"`, hint: `set "name: ${expected}" or rename the file to ${name}.yaml` });
    }
    const workspace = (doc.value as { workspace?: { path?: unknown } } | undefined)?.workspace?.path;
    const pathProblem = typeof workspace === "string" ? workspacePathProblem(workspace) : undefined;
    if (pathProblem) findings.push({ pointer: "/workspace/path", code: "DS2061", message: `workspace.path ${pathProblem}`, hint: "use a plain folder path, e.g. .dagship/dev or /srv/dagship/prod" });
    const diagnostics = [...doc.diagnostics, ...findings.map((f) => locateFinding(doc, f))];
    const result: EnvironmentResult = { path: abs, file: shown, locate: (p) => doc.locate(p), diagnostics };
    if (doc.value !== undefined && diagnostics.length === 0) result.environment = doc.value as EnvironmentSpec;
    return result;
  });
  return { environments, diagnostics: sortDiagnostics(environments.flatMap((e) => e.diagnostics)) };
}

/**
 * Why a workspace path cannot be used (a control character such as NUL, more than 1,024
 * characters, a folder name over the 255 bytes file systems allow), or undefined.
 *
 * @example
 * ```ts
 * workspacePathProblem(".dagship/dev"); // undefined
 * workspacePathProblem(".dagship/\0x"); // "contains the control character U+0000"
 * ```
 */
export function workspacePathProblem(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f]/.exec(value)?.[0];
  if (control !== undefined) return `contains the control character U+${control.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`;
  if (value.length > 1024) return `is ${value.length} characters long (at most 1024)`;
  const long = value.split(/[\\/]/).find((part) => Buffer.byteLength(part) > 255);
  if (long !== undefined) return `has a folder name of ${Buffer.byteLength(long)} bytes (at most 255): "${long.slice(0, 40)}…"`;
  return undefined;
}
