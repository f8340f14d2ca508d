/**
 * Renders template files (project trees and GitHub workflows) with handlebars, strictly: an
 * unknown name, helper or partial is an error located at the template's file, line and column;
 * prototype access is refused up front (the same names as deploy-time templates) and disabled at
 * run time. Output is not HTML-escaped. GitHub's `${{ }}` is written `$\{{ }}` in a template.
 */
import Handlebars from "handlebars";
import { ConfigError } from "../errors.js";
import { FORBIDDEN, templateError } from "../render/template.js";

/** Values a template sees, e.g. `{ project: { name: "acme" }, job: "hello" }`. */
export type TemplateVars = Record<string, unknown>;

/** A compiled template: renders `vars`, with the named partials (`{{> name}}`) available. */
export type CompiledTemplate = (vars: TemplateVars, partials?: Readonly<Record<string, CompiledTemplate>>) => string;

/**
 * A template that cannot be rendered (DS2011, exit code 2), located in the template file.
 *
 * @example
 * ```ts
 * throw new TemplateError("templates/github/branch.yml.hbs", `unknown name "jobz"`, { line: 3, column: 5 });
 * // message: templates/github/branch.yml.hbs:3:5: unknown name "jobz"
 * ```
 */
export class TemplateError extends ConfigError {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(file: string, reason: string, where: { line?: number; column?: number; hint?: string } = {}) {
    const at = where.line === undefined ? file : `${file}:${where.line}${where.column === undefined ? "" : `:${where.column}`}`;
    super("DS2011", `${at}: ${reason}`, { hint: where.hint ?? "fix the template, or give it the missing variable" });
    this.file = file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** Helpers templates may use besides handlebars' own (`if`, `unless`, `each`, `with`, `lookup`). */
const HELPERS = {
  /** `{{json value}}`: the value as JSON, e.g. a quoted, escaped string for package.json or YAML. */
  json: (value: unknown) => JSON.stringify(value),
} as const;

const hb = Handlebars.create();
for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, fn);
const COMPILE_OPTIONS = {
  strict: true,
  noEscape: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((n) => [n, true])),
} as const;
/** Block helpers whose body sees the same context as the block: names in it are checked up front. */
const SAME_CONTEXT = new Set(["if", "unless"]);

/** The handlebars AST, loosely: enough to find paths, partials and where they are. */
interface AstNode {
  type: string;
  loc?: { start: { line: number; column: number } };
  [key: string]: unknown;
}
interface PathNode extends AstNode {
  data: boolean;
  depth: number;
  parts: string[];
  original: string;
}
interface Located<T> {
  value: T;
  line: number;
  column: number;
}

/**
 * Compiles one template; `file` (e.g. `templates/github/branch.yml.hbs`) names it in errors.
 * Syntax errors and prototype access are reported here, unknown names when it renders.
 *
 * @example
 * ```ts
 * const t = compileTemplate("name: {{project.name}}\nref: $\\{{ github.ref }}\n", "x.yml.hbs");
 * t({ project: { name: "acme" } }); // "name: acme\nref: ${{ github.ref }}\n"
 * t({}); // throws TemplateError: x.yml.hbs:1:7: unknown name "project.name": the template has nothing
 * ```
 */
export function compileTemplate(source: string, file: string): CompiledTemplate {
  let ast: AstNode;
  try {
    ast = hb.parse(source) as unknown as AstNode;
  } catch (error) {
    const line = /on line (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
    throw new TemplateError(file, templateError(error), line ? { line: Number(line) } : {});
  }
  const paths: Array<Located<string[]>> = [];
  const partials: Array<Located<string>> = [];
  scan(ast, file, true, paths, partials);
  const template = hb.compile(ast as unknown as hbs.AST.Program, COMPILE_OPTIONS);
  return (vars, available = {}) => {
    for (const p of paths) checkPath(p, vars, file);
    for (const p of partials) {
      if (!Object.prototype.hasOwnProperty.call(available, p.value)) {
        const known = Object.keys(available);
        throw new TemplateError(file, `unknown partial "${p.value}"`, { line: p.line, column: p.column, hint: known.length ? `partials: ${known.join(", ")}` : "there are no partials here" });
      }
    }
    const runtimePartials = Object.fromEntries(Object.entries(available).map(([name, t]) => [name, (ctx: TemplateVars) => t(ctx, available)]));
    try {
      return template(vars, { partials: runtimePartials, allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
    } catch (error) {
      if (error instanceof TemplateError) throw error; // from a partial: already located in its own file
      const e = error as { lineNumber?: number; column?: number };
      throw new TemplateError(file, templateError(error), e.lineNumber === undefined ? {} : { line: e.lineNumber, column: (e.column ?? 0) + 1 });
    }
  };
}

/**
 * Walks the AST: refuses prototype names anywhere, and collects the paths that read the root
 * context (outside `each` / `with` bodies, so their meaning is known) and the partials used.
 */
function scan(node: unknown, file: string, rootContext: boolean, paths: Array<Located<string[]>>, partials: Array<Located<string>>): void {
  if (Array.isArray(node)) {
    for (const n of node) scan(n, file, rootContext, paths, partials);
    return;
  }
  if (!node || typeof node !== "object" || typeof (node as AstNode).type !== "string") return;
  const n = node as AstNode;
  const at = { line: n.loc?.start.line ?? 1, column: (n.loc?.start.column ?? 0) + 1 };
  if (n.type === "PathExpression" || n.type === "StringLiteral") {
    const words = n.type === "PathExpression" ? (n as PathNode).parts : [String(n.value)];
    const bad = words.find((w) => FORBIDDEN.test(w) || (n.type === "PathExpression" && w in Object.prototype));
    if (bad !== undefined) throw new TemplateError(file, `"${bad}" cannot be used in a template (prototype access is disabled)`, at);
    return;
  }
  if (n.type === "PartialStatement" || n.type === "PartialBlockStatement") {
    const name = n.name as AstNode;
    if (name.type === "PathExpression") partials.push({ value: (name as PathNode).original, ...at });
  }
  const helperCall = n.type === "BlockStatement" || ((n.type === "MustacheStatement" || n.type === "SubExpression") && (n.params as unknown[]).length > 0);
  if (rootContext && (n.type === "MustacheStatement" || n.type === "BlockStatement" || n.type === "SubExpression")) {
    const candidates = helperCall ? (n.params as AstNode[]) : [n.path as AstNode];
    for (const c of candidates) if (c.type === "PathExpression" && isRootPath(c as PathNode)) paths.push({ value: (c as PathNode).parts, line: c.loc?.start.line ?? at.line, column: (c.loc?.start.column ?? 0) + 1 });
  }
  for (const [key, child] of Object.entries(n)) {
    if (key === "loc") continue;
    const inner = n.type === "BlockStatement" && (key === "program" || key === "inverse") ? rootContext && SAME_CONTEXT.has(((n.path as PathNode).original ?? "")) : rootContext;
    scan(child, file, inner, paths, partials);
  }
}

/** `{{a.b}}` or `{{this.a}}`: a path into the root context (not `@index`, `../x`, `this`, or a helper). */
function isRootPath(p: PathNode): boolean {
  return !p.data && p.depth === 0 && p.parts.length > 0 && !(p.parts.length === 1 && p.parts[0]! in HELPERS);
}

/** A root path must name something that exists (own properties only): say which part does not, and what does. */
function checkPath(p: Located<string[]>, vars: TemplateVars, file: string): void {
  let node: unknown = vars;
  for (let i = 0; i < p.value.length; i++) {
    const here = node as Record<string, unknown>;
    if (node === null || typeof node !== "object" || !Object.prototype.hasOwnProperty.call(here, p.value[i]!)) {
      const known = node && typeof node === "object" ? Object.keys(here) : [];
      const where = i === 0 ? "the template" : `"${p.value.slice(0, i).join(".")}"`;
      throw new TemplateError(file, `unknown name "${p.value.join(".")}": ${where} has ${known.length ? known.join(", ") : "nothing"}`, { line: p.line, column: p.column });
    }
    node = here[p.value[i]!];
  }
}
