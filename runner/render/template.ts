import Handlebars from "handlebars";
import { scanReferences, splitPath } from "../spec/references.js";

/** What deploy-time expressions see. */
export type TemplateContext = { env: Record<string, unknown>; vars: Record<string, unknown>; git: Record<string, unknown> };

/** Names that reach into prototypes, refused anywhere in a deploy-time expression (paths, strings, lookup). */
export const FORBIDDEN = /\b(constructor|__proto__|prototype|__defineGetter__|__defineSetter__|__lookupGetter__|__lookupSetter__)\b/;

/**
 * Renders the deploy-time `{{ }}` of one string with handlebars in strict mode (an unknown name
 * or helper is an error; prototype access stays disabled and is refused up front). Run-time
 * references (`{{job.*}}`, `{{task.*}}`, `{{tasks.*}}`) pass through intact.
 *
 * @example
 * ```ts
 * renderString("{{vars.table}}_{{job.run_id}}", ctx); // "sales_{{job.run_id}}"
 * ```
 */
export function renderString(value: string, context: TemplateContext): string {
  if (!value.includes("{{")) return value;
  const kept: string[] = [];
  let source = value;
  const refs = scanReferences(value);
  // A malformed reference is the validator's to report (DS1020); rendering leaves the string alone.
  // So is a string whose references are all run-time: there is nothing to render in it.
  if (refs.some((r) => r.kind === "invalid") || !refs.some((r) => r.kind === "deploy")) return value;
  for (const ref of refs) {
    if (ref.kind === "run") {
      source = source.split(ref.text).join(`\uE000${kept.length}\uE001`);
      kept.push(ref.text);
    } else if (ref.kind === "deploy") {
      const block = /^\{\{[#/^>!{&~]/.test(ref.text);
      const inner = ref.text.replace(/^\{\{[#/^>!{&~]?|\}?\}\}$/g, "").trim();
      const bad = FORBIDDEN.exec(inner)?.[1];
      if (bad) throw new Error(`"${bad}" cannot be used in a template (prototype access is disabled)`);
      for (const word of inner.split(/\s+/)) {
        const path = splitPath(word);
        // A plain {{a.b}} must name something that exists; helpers and blocks are left to handlebars.
        if (path && !block && inner === word && word !== "else") checkPath(path, context);
      }
    }
  }
  let template = compiled.get(source);
  if (!template) compiled.set(source, (template = handlebars.compile(source, { strict: true, noEscape: true, knownHelpers: { log: false } })));
  const rendered = template(context);
  return rendered.replace(/\uE000(\d+)\uE001/g, (_, i: string) => kept[Number(i)]!);
}

/**
 * A handlebars of its own without the `log` helper, which would print to the console from inside
 * a render (and into `dagship render`'s JSON); in strict mode `{{log ...}}` is then an unknown name.
 */
const handlebars = Handlebars.create();
handlebars.unregisterHelper("log");

/** Jobs repeat the same templates: each distinct source is compiled once. */
const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** A simple `{{a.b.c}}` must name something that exists: say which part does not, and what does. */
function checkPath(path: readonly string[], context: TemplateContext): void {
  let node: unknown = context;
  for (let i = 0; i < path.length; i++) {
    const here = node as Record<string, unknown>;
    if (node === null || typeof node !== "object" || !Object.prototype.hasOwnProperty.call(here, path[i]!)) {
      const known = node && typeof node === "object" ? Object.keys(here) : [];
      const where = path.slice(0, i).join(".") || "the template context";
      throw new Error(`unknown name "${path.join(".")}": ${where} has ${known.length ? known.join(", ") : "nothing"}`);
    }
    node = here[path[i]!];
  }
}

/** A readable reason from a handlebars error (`"x" not defined in [object Object] - 1:2`). */
export function templateError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /^"([^"]+)" not defined in/.exec(message);
  if (missing) return `unknown name "${missing[1]}"`;
  return message.split("\n")[0]!.replace(/^Parse error on line \d+:?/, "syntax error");
}
