/**
 * Precompiles the validators of the shipped JSON Schemas (schemas/*.schema.json) into ajv
 * standalone code, dist/runner/spec/schema/validators.cjs, so that commands load them instead of
 * compiling the schemas at every start (see runner/spec/schema-check.ts). Run by `npm run build`
 * after tsc, with the options of runner/spec/schema/load.ts (AJV_OPTIONS).
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import standalone from "ajv/dist/standalone/index.js";
import { AJV_OPTIONS } from "../dist/runner/spec/schema/load.js";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true } });
const names = ["job", "environment"];
for (const name of names) ajv.addSchema(JSON.parse(readFileSync(path.join(root, "schemas", `${name}.schema.json`), "utf8")), name);
const generate = standalone.default ?? standalone;
const out = path.join(root, "dist", "runner", "spec", "schema", "validators.cjs");
// Replaced by a rename: a command starting during a rebuild never loads half a file.
writeFileSync(`${out}.tmp`, generate(ajv, Object.fromEntries(names.map((n) => [n, n]))));
renameSync(`${out}.tmp`, out);
