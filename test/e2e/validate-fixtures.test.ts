/**
 * The fixture corpus, run through the real CLI: every invalid job and environment under
 * test/fixtures/ must fail with exactly the codes its expected.json lists, every error located;
 * every valid one must pass. One spawn per fixture, run concurrently.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, parseReport, ROOT, runCli, sortedCodes, type ValidateReport } from "./cli.js";

const JOBS = "test/fixtures/jobs";
const ENVIRONMENTS = "test/fixtures/environments";

/** A fixture's expected.json: the exact multiset of codes, sorted. */
interface Expected {
  description: string;
  codes: string[];
  /** Sibling cases validated in the same run (a run_job_task cycle spans two jobs). */
}

const readJson = <T>(rel: string): T => JSON.parse(readFileSync(path.join(ROOT, rel), "utf8")) as T;
const folders = (rel: string) =>
  readdirSync(path.join(ROOT, rel))
    .filter((n) => statSync(path.join(ROOT, rel, n)).isDirectory())
    .sort();

const invalidJobs = folders(`${JOBS}/invalid`).map((name) => ({ name, dir: `${JOBS}/invalid/${name}`, expected: readJson<Expected>(`${JOBS}/invalid/${name}/expected.json`) }));
const validJobs = folders(`${JOBS}/valid`);
const yamlIn = (rel: string) => readdirSync(path.join(ROOT, rel)).filter((n) => n.endsWith(".yaml")).sort();
const invalidEnvironments = yamlIn(`${ENVIRONMENTS}/invalid`).map((file) => ({
  name: file.replace(/\.yaml$/, ""),
  file: `${ENVIRONMENTS}/invalid/${file}`,
  expected: readJson<Expected>(`${ENVIRONMENTS}/invalid/${file.replace(/\.yaml$/, ".expected.json")}`),
}));
const validEnvironments = yamlIn(`${ENVIRONMENTS}/valid`);

/** Every error names its file, a JSON pointer, a 1-based line and column, a code and a message. */
function expectLocated(report: ValidateReport, allowedPrefixes: readonly string[]): void {
  for (const e of report.errors) {
    expect(e.code).toMatch(/^DS1\d{3}$/);
    expect(e.severity).toBe("error");
    expect(typeof e.pointer).toBe("string");
    expect(e.pointer === "" || e.pointer.startsWith("/")).toBe(true);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.message.trim()).not.toBe("");
    expect(allowedPrefixes.some((p) => e.file === p || e.file.startsWith(`${p}/`)), `${e.file} is outside ${allowedPrefixes.join(", ")}`).toBe(true);
  }
}

beforeAll(assertBuilt);

describe("invalid job fixtures exit 1 with exactly their expected codes", () => {
  it.concurrent.each(invalidJobs.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const result = await runCli(["validate", c.dir, "--json"]);
    const report = parseReport(result);
    expect({ exit: result.code, codes: sortedCodes(report) }).toEqual({ exit: 1, codes: c.expected.codes });
    expect(report.ok).toBe(false);
    expectLocated(report, [c.dir]);
  });
});

describe("valid job fixtures pass", () => {
  it.concurrent.each(validJobs)("%s", async (name) => {
    const result = await runCli(["validate", `${JOBS}/valid/${name}`, "--json"]);
    const report = parseReport(result);
    expect(report.errors).toEqual([]);
    expect({ exit: result.code, ok: report.ok }).toEqual({ exit: 0, ok: true });
    expect(report.checked.jobs).toEqual([`${JOBS}/valid/${name}/job.json`]);
  });

  it("all together, as one folder", async () => {
    const result = await runCli(["validate", `${JOBS}/valid`, "--json"]);
    expect({ exit: result.code, errors: parseReport(result).errors }).toEqual({ exit: 0, errors: [] });
    expect(parseReport(result).checked.jobs).toHaveLength(validJobs.length);
  });
});

describe("invalid environment fixtures exit 1 with exactly their expected codes", () => {
  it.concurrent.each(invalidEnvironments.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const result = await runCli(["validate", c.file, "--json"]);
    const report = parseReport(result);
    expect({ exit: result.code, codes: sortedCodes(report) }).toEqual({ exit: 1, codes: c.expected.codes });
    expect(report.checked).toEqual({ jobs: [], environments: [c.file] });
    expectLocated(report, [c.file]);
  });
});

describe("valid environment fixtures pass", () => {
  it.concurrent.each(validEnvironments)("%s", async (file) => {
    const result = await runCli(["validate", `${ENVIRONMENTS}/valid/${file}`, "--json"]);
    expect({ exit: result.code, errors: parseReport(result).errors }).toEqual({ exit: 0, errors: [] });
  });
});

describe("the fixture corpus", () => {
  const allCodes = Array.from({ length: 28 }, (_, i) => `DS${1001 + i}`);

  it("has at least 45 invalid jobs, named like jobs, each with a description and sorted codes", () => {
    expect(invalidJobs.length).toBeGreaterThanOrEqual(45);
    for (const c of invalidJobs) {
      expect(c.name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(c.expected.description.trim()).not.toBe("");
      expect(c.expected.codes.length).toBeGreaterThan(0);
      expect(c.expected.codes).toEqual([...c.expected.codes].sort());
    }
  });

  it("covers every job code DS1001-DS1028, each with a case that produces that code alone", () => {
    const covered = new Set(invalidJobs.flatMap((c) => c.expected.codes));
    expect(allCodes.filter((code) => !covered.has(code))).toEqual([]);
    const alone = new Set(invalidJobs.filter((c) => new Set(c.expected.codes).size === 1).map((c) => c.expected.codes[0]));
    expect(allCodes.filter((code) => !alone.has(code))).toEqual([]);
  });

  it("has several cases proving that every problem of a file is reported at once", () => {
    const multi = invalidJobs.filter((c) => new Set(c.expected.codes).size >= 4);
    expect(multi.length).toBeGreaterThanOrEqual(3);
  });

  it("has invalid environments for unknown fields, syntax, duplicate keys and a name that is not the file's", () => {
    const covered = new Set(invalidEnvironments.flatMap((c) => c.expected.codes));
    expect([...covered].sort()).toEqual(expect.arrayContaining(["DS1001", "DS1002", "DS1003", "DS1017", "DS1019", "DS1024"]));
  });

  it("valid jobs use every field of the job schema and every value of its enums", () => {
    const schema = readJson<SchemaNode>("schemas/job.schema.json");
    const want = { fields: new Set<string>(), values: new Set<string>() };
    const used = { fields: new Set<string>(), values: new Set<string>() };
    walkSchema(schema, "", want);
    for (const name of validJobs) walkValue(readJson<unknown>(`${JOBS}/valid/${name}/job.json`), schema, "", used);
    expect([...want.fields].filter((f) => !used.fields.has(f))).toEqual([]);
    expect([...want.values].filter((v) => !used.values.has(v))).toEqual([]);
  });

  it("valid jobs that name $schema point at the shipped schema file", () => {
    const refs = validJobs.flatMap((name) => {
      const file = `${JOBS}/valid/${name}/job.json`;
      const ref = readJson<{ $schema?: string }>(file).$schema;
      return ref === undefined ? [] : [path.resolve(ROOT, path.dirname(file), ref)];
    });
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toBe(path.join(ROOT, "schemas", "job.schema.json"));
  });
});

interface SchemaNode {
  type?: string;
  enum?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** Every field path (`tasks[].ts_task.module`) and enum value (`tasks[].run_if=ALL_DONE`) of a schema. */
function walkSchema(node: SchemaNode, at: string, out: { fields: Set<string>; values: Set<string> }): void {
  for (const value of node.enum ?? []) out.values.add(`${at}=${value}`);
  if (node.items) walkSchema(node.items, `${at}[]`, out);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const field = at === "" ? key : `${at}.${key}`;
    out.fields.add(field);
    walkSchema(child, field, out);
  }
}

/** The field paths and enum values a document uses, following the schema (free-form maps are not entered). */
function walkValue(value: unknown, node: SchemaNode, at: string, out: { fields: Set<string>; values: Set<string> }): void {
  if (node.enum && typeof value === "string") out.values.add(`${at}=${value}`);
  if (node.items && Array.isArray(value)) value.forEach((item) => walkValue(item, node.items!, `${at}[]`, out));
  if (node.properties && value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      const schema = node.properties[key];
      if (!schema) continue;
      const field = at === "" ? key : `${at}.${key}`;
      out.fields.add(field);
      walkValue(child, schema, field, out);
    }
  }
}
