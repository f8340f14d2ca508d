import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import type { Finding } from "./diagnostics.js";
import { AJV_OPTIONS, loadSchema, type ShippedSchema } from "./schema/load.js";
import { closest, didYouMean, formatList } from "./suggest.js";

const require = createRequire(import.meta.url);
const compiled = new Map<ShippedSchema, ValidateFunction>();
let ajv: { compile(schema: object): ValidateFunction } | undefined;

/**
 * The validator of a shipped schema. The build precompiles them (scripts/write-validators.mjs,
 * ajv standalone code next to this module), which spares every command ~100 ms of schema
 * compilation at start-up; from source (tests) they are compiled here, with the same options.
 */
function validatorFor(schema: ShippedSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    let standalone: Partial<Record<ShippedSchema, ValidateFunction>> | undefined;
    try {
      standalone = require("./schema/validators.cjs") as Partial<Record<ShippedSchema, ValidateFunction>>;
    } catch {
      standalone = undefined;
    }
    fn = standalone?.[schema];
    if (!fn) {
      const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
      ajv ??= new Ajv2020(AJV_OPTIONS);
      fn = ajv.compile(loadSchema(schema));
    }
    compiled.set(schema, fn);
  }
  return fn;
}

/**
 * Checks a parsed document against a JSON Schema and returns every violation as a finding
 * with a readable message and a hint (what is allowed, or the likely intended spelling).
 *
 * @example
 * ```ts
 * checkSchema("job", { name: "x", tasks: [], extra: 1 }, "the job");
 * // → [{ pointer: "/extra", code: "DS1003", message: 'unknown field "extra" in the job', ... }, ...]
 * ```
 */
export function checkSchema(schema: ShippedSchema, value: unknown, noun: string): Finding[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  const seen = new Set<string>();
  const out: Finding[] = [];
  const errors = validate.errors ?? [];
  // A value of the wrong type also fails its enum ("is true, expected one of true, false"):
  // the type error alone says what is wrong.
  const mistyped = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  // An anyOf reports each failed branch and then itself: keep only the anyOf, said as the types allowed.
  const anyOf = errors.filter((e) => e.keyword === "anyOf");
  const inBranch = (e: ErrorObject) => anyOf.some((a) => e.schemaPath.startsWith(`${a.schemaPath}/`));
  for (const e of errors) {
    if (e.keyword === "enum" && mistyped.has(e.instancePath)) continue;
    if (inBranch(e)) continue;
    const f = translate(e, value, noun);
    const key = `${f.pointer}\u0000${f.code}\u0000${f.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}

export const checkJobSchema = (value: unknown) => checkSchema("job", value, "the job");
export const checkEnvironmentSchema = (value: unknown) => checkSchema("environment", value, "the environment");

function translate(e: ErrorObject, root: unknown, noun: string): Finding {
  const where = describe(e.instancePath, root, noun);
  const parent = (e.parentSchema ?? {}) as { description?: string; properties?: Record<string, { description?: string }> };
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties": {
      const name = String(p.additionalProperty);
      const allowed = Object.keys(parent.properties ?? {}).filter((k) => k !== "$schema");
      return { pointer: `${e.instancePath}/${escape(name)}`, code: "DS1003", atKey: true, message: `unknown field "${name}" in ${where}`, hint: didYouMean(name, allowed, "allowed fields") };
    }
    case "required": {
      const name = String(p.missingProperty);
      const desc = parent.properties?.[name]?.description;
      return { pointer: e.instancePath, code: "DS1017", message: `${where} is missing the required field "${name}"`, hint: desc ? `${name}: ${desc}` : `add "${name}"` };
    }
    case "type":
      return { pointer: e.instancePath, code: "DS1002", message: `${where} must be ${article(String(p.type))}, found ${kindOf(e.data)}` };
    case "enum": {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return { pointer: e.instancePath, code: "DS1002", message: `${where} is ${show(e.data)}, expected one of ${formatList(allowed)}`, hint: typeof e.data === "string" && closest(e.data, allowed) ? `did you mean "${closest(e.data, allowed)}"?` : undefined };
    }
    case "pattern":
      return { pointer: e.instancePath, code: "DS1002", message: `${where} ${show(e.data)} is not valid`, hint: `expected ${parent.description ?? `a match for ${String(p.pattern)}`}` };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return { pointer: e.instancePath, code: "DS1002", message: `${where} must be ${String(p.comparison)} ${String(p.limit)}, found ${show(e.data)}` };
    case "anyOf": {
      const types = (e.schema as Array<{ type?: unknown }>).map((b) => String(b.type ?? "a value"));
      return { pointer: e.instancePath, code: "DS1002", message: `${where} must be ${article(types.join(","))}, found ${kindOf(e.data)}` };
    }
    case "minItems":
      return { pointer: e.instancePath, code: "DS1002", message: `${where} must have at least ${String(p.limit)} item${p.limit === 1 ? "" : "s"}` };
    case "maxItems":
      return { pointer: e.instancePath, code: "DS1002", message: `${where} has ${(e.data as unknown[]).length} items; at most ${String(p.limit)} are allowed` };
    case "minLength":
      return { pointer: e.instancePath, code: "DS1002", message: `${where} must not be empty` };
    case "maxLength":
      return { pointer: e.instancePath, code: "DS1002", message: `${where} is longer than ${String(p.limit)} characters` };
    case "uniqueItems":
      return { pointer: e.instancePath, code: "DS1002", message: `${where} lists the same item twice (items ${String(p.j)} and ${String(p.i)})` };
    default:
      return { pointer: e.instancePath, code: "DS1002", message: `${where} ${e.message ?? "is invalid"}` };
  }
}

function escape(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** A readable name for the place a pointer names: `the job`, `task "train" field timeout_seconds`. */
export function describe(pointer: string, root: unknown, noun = "the document"): string {
  const segs = pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (segs.length === 0) return noun;
  let node: unknown = root;
  const parts: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const next = node && typeof node === "object" ? (node as Record<string, unknown>)[seg] : undefined;
    if (i === 1 && segs[0] === "tasks") {
      const key = next && typeof next === "object" ? (next as { task_key?: unknown }).task_key : undefined;
      parts.length = 0;
      parts.push(typeof key === "string" ? `task "${key}"` : `tasks[${seg}]`);
    } else parts.push(/^\d+$/.test(seg) ? `[${seg}]` : (parts.length ? "." : "") + seg);
    node = next;
  }
  const [head, ...rest] = parts;
  if (head?.startsWith("task ") && rest.length > 0) return `${head} field ${rest.join("").replace(/^\./, "")}`;
  return parts.join("");
}

function article(type: string): string {
  const t = type.replace(/,/g, " or ");
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${show(v)}`;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
