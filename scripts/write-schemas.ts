/**
 * Writes the shipped JSON Schemas (schemas/*.schema.json) from their TypeBox source in
 * runner/spec/schema/. Run `npm run schemas` after changing a schema; a unit test fails
 * when the shipped files and the source drift apart.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SCHEMA_SOURCES, schemaJson } from "../runner/spec/schema/sources.js";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "schemas");
for (const [name, schema] of Object.entries(SCHEMA_SOURCES)) {
  const file = path.join(dir, `${name}.schema.json`);
  writeFileSync(file, schemaJson(schema));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
