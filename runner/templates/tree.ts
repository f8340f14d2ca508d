/**
 * A template folder rendered in memory: every `*.hbs` file rendered (and the suffix dropped),
 * every other file copied byte for byte, and `__name__` in a path replaced by the variable
 * `name`. Nothing touches the disk here, so a template error leaves nothing half-written.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { compileTemplate, TemplateError, type TemplateVars } from "./render.js";

/** A file to write: its path relative to the output folder (with `/`), its bytes and its mode. */
export interface OutputFile {
  path: string;
  content: Buffer;
  mode: number;
}

/**
 * Renders the template folder `dir` with `vars`. `display` is how errors name the folder (e.g.
 * `templates/project/default`). Symbolic links are refused: a template is plain files.
 *
 * @example
 * ```ts
 * const files = renderTree("templates/project/default", { job: "hello", project: { name: "acme" } }, "templates/project/default");
 * // [{ path: "jobs/hello/job.json", content: <Buffer>, mode: 0o644 }, ...]
 * ```
 */
export function renderTree(dir: string, vars: TemplateVars, display: string): OutputFile[] {
  const out: OutputFile[] = [];
  const seen = new Map<string, string>();
  for (const rel of listFiles(dir, display)) {
    const file = path.join(dir, rel);
    const shown = `${display}/${rel}`;
    const mode = statSync(file).mode & 0o777;
    let target = substitutePath(rel, vars, shown);
    let content = readFileSync(file);
    if (rel.endsWith(".hbs")) {
      target = target.slice(0, -".hbs".length);
      content = Buffer.from(compileTemplate(decodeText(content, shown), shown)(vars));
    }
    const clash = seen.get(target);
    if (clash) throw new TemplateError(shown, `renders to "${target}", as ${clash} does`, { hint: "rename one of the two template files" });
    seen.set(target, shown);
    out.push({ path: target, content, mode });
  }
  return out;
}

/**
 * Replaces each `__name__` in a relative path with the string variable `name`. The result must
 * stay a plain relative path: a variable holding `/`, `\`, or making a segment empty, `.` or
 * `..` is refused.
 *
 * @example
 * ```ts
 * substitutePath("jobs/__job__/job.json.hbs", { job: "train" }, "t"); // "jobs/train/job.json.hbs"
 * substitutePath("__dot__gitignore", { dot: "." }, "t");             // ".gitignore"
 * ```
 */
export function substitutePath(rel: string, vars: TemplateVars, shown: string): string {
  const out = rel.replace(/__([A-Za-z][A-Za-z0-9_]*?)__/g, (_, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
    if (typeof value !== "string" || value === "") {
      const names = Object.keys(vars).filter((k) => typeof vars[k] === "string");
      throw new TemplateError(shown, `the file name uses "__${name}__", but there is no text variable "${name}"`, { hint: `file names may use: ${names.map((n) => `__${n}__`).join(", ") || "nothing"}` });
    }
    if (/[/\\\0]/.test(value)) throw new TemplateError(shown, `variable "${name}" (${JSON.stringify(value)}) cannot be part of a file name`);
    return value;
  });
  if (out.split("/").some((s) => s === "" || s === "." || s === "..")) throw new TemplateError(shown, `renders to the path "${out}", which is not a plain relative path`);
  return out;
}

/** Every file below `dir`, relative, with `/`, sorted (so output and errors are stable). */
function listFiles(dir: string, display: string, prefix = ""): string[] {
  const files: string[] = [];
  const entries = readdirSync(path.join(dir, prefix), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(dir, display, rel));
    else if (entry.isFile()) files.push(rel);
    else throw new TemplateError(`${display}/${rel}`, "is not a regular file or folder (templates hold no links or devices)");
  }
  return files;
}

/** A `.hbs` file's text: it must be UTF-8. */
function decodeText(content: Buffer, shown: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    throw new TemplateError(shown, "is not UTF-8 text", { hint: "only text files can be templates: drop the .hbs suffix to copy the file as is" });
  }
}
