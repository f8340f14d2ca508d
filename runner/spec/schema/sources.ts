import type { TSchema } from "@sinclair/typebox";
import { EnvironmentSchema } from "./environment.js";
import { JobSchema } from "./job.js";

/**
 * The TypeBox sources of the shipped schemas, by file stem (`schemas/<stem>.schema.json`).
 * Imported only by the schema writer and tests: at run time the CLI loads the JSON files.
 */
export const SCHEMA_SOURCES = { job: JobSchema, environment: EnvironmentSchema } satisfies Record<string, TSchema>;

export type SchemaName = keyof typeof SCHEMA_SOURCES;

/** The exact text written to `schemas/<name>.schema.json`. */
export function schemaJson(schema: TSchema): string {
  return JSON.stringify(schema, null, 2) + "\n";
}
