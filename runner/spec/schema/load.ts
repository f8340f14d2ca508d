import { readFileSync } from "node:fs";
import path from "node:path";
import { packageInfo } from "../../package-info.js";

export type ShippedSchema = "job" | "environment";

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
