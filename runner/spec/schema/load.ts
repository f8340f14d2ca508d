import { readFileSync } from "node:fs";
import path from "node:path";
import { packageInfo } from "../../package-info.js";

export type ShippedSchema = "job" | "environment";

/** The ajv options every validator is compiled with (at build time too: scripts/write-validators.mjs). */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true } as const;

const cache = new Map<ShippedSchema, object>();

/**
 * The shipped JSON Schema `schemas/<name>.schema.json` (generated from runner/spec/schema/
 * by `npm run schemas`). Loading JSON keeps TypeBox out of the CLI's start-up.
 */
export function loadSchema(name: ShippedSchema): object {
  let schema = cache.get(name);
  if (!schema) {
    schema = JSON.parse(readFileSync(path.join(packageInfo().root, "schemas", `${name}.schema.json`), "utf8")) as object;
    cache.set(name, schema);
  }
  return schema;
}
