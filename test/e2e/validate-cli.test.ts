/**
 * `dagship validate` as a process: the repository validates, usage errors exit 2 with one
 * located line, output formats (human, --json, GitHub annotations) hold, and hostile input —
 * empty, non-object, huge, deeply nested, binary, not UTF-8 — gets a located error, never a crash.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, parseReport, runCli, sortedCodes } from "./cli.js";

const MANY_MISTAKES = "test/fixtures/jobs/invalid/many-mistakes";

beforeAll(assertBuilt);

describe("dagship validate in this repository", () => {
  it("validates every job and environment of the repository with no arguments", async () => {
    const r = await runCli(["validate"]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^✓ \d+ jobs? and \d+ environments?: valid\n$/);
  });

  it("lists what it checked in --json output", async () => {
    const report = parseReport(await runCli(["validate", "--json"]));
    expect(report.ok).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.checked.jobs.length).toBeGreaterThan(0);
    for (const f of report.checked.jobs) expect(f).toMatch(/^jobs\/[a-z0-9][a-z0-9_-]*\/job\.json$/);
    for (const f of report.checked.environments) expect(f).toMatch(/^environments\/[^/]+\.ya?ml$/);
  });
});

describe("usage errors exit 2 with exactly one line, hint included", () => {
  it("a path that does not exist", async () => {
    const r = await runCli(["validate", "jobs/does-not-exist"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^dagship: error DS2002 no job, file or folder named "jobs\/does-not-exist" \(known jobs: [^\n]+\)\n$/);
  });

  it("a path that does not exist, with --json, also answers in JSON on stdout", async () => {
    const r = await runCli(["validate", "does-not-exist", "--json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dagship: error DS2002 no job, file or folder named "does-not-exist" \(known jobs: [^\n]+\)\n$/);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: "DS2002", message: 'no job, file or folder named "does-not-exist"' } });
  });

  it("a folder without any job.json", async () => {
    const r = await runCli(["validate", "test/fixtures/environments"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('dagship: error DS2002 no job.json found in "test/fixtures/environments" (a job lives in <folder>/job.json)\n');
  });

  it("an unknown flag is named, and --jsno suggests --json", async () => {
    const r = await runCli(["validate", "--jsno"]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
    expect(r.stderr).toBe('dagship: error DS2001 unknown flag "--jsno" for "dagship validate" (did you mean "--json"?)\n');
  });

  it("an unknown command suggests the closest one", async () => {
    const r = await runCli(["valdiate", "jobs"]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
    expect(r.stderr).toBe('dagship: error DS2001 unknown command "valdiate" (did you mean "validate"?)\n');
  });

  it("no command prints the usage on stderr", async () => {
    const r = await runCli([]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
    expect(r.stderr).toMatch(/^usage: dagship <command> \[options\]\n/);
  });
});

describe("help exits 0", () => {
  it("dagship --help lists the validate command", async () => {
    const r = await runCli(["--help"]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^usage: dagship <command> \[options\]\n/);
    expect(r.stdout).toMatch(/^ {2}validate {2}\S/m);
  });

  it("dagship validate --help shows the command's usage", async () => {
    const r = await runCli(["validate", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: dagship validate \[job \| job\.json \| folder \| env\.yaml \.\.\.\] \[--env <env>\] \[--json\]\n/);
  });
});

describe("output formats", () => {
  it("human output: one file:line:col line per error, its hint, then a summary", async () => {
    const [human, json] = await Promise.all([runCli(["validate", MANY_MISTAKES]), runCli(["validate", MANY_MISTAKES, "--json"])]);
    const report = parseReport(json);
    expect(human.code).toBe(1);
    const lines = human.stdout.trimEnd().split("\n");
    const errors = lines.filter((l) => !l.startsWith("  hint: ") && !l.startsWith("✗ "));
    for (const line of errors) expect(line).toMatch(/^\S+:\d+:\d+ error DS\d{4} .+$/);
    expect(errors).toEqual(report.errors.map((e) => `${e.file}:${e.line}:${e.column} error ${e.code} ${e.message}`));
    expect(lines.filter((l) => l.startsWith("  hint: "))).toEqual(report.errors.flatMap((e) => (e.hint ? [`  hint: ${e.hint}`] : [])));
    expect(lines.at(-1)).toBe(`✗ ${report.errors.length} errors in 1 file (checked 1 job)`);
    expect(errors[0]).toMatch(new RegExp(`^${MANY_MISTAKES}/job\\.json:\\d+:\\d+ error `));
  });

  it("GITHUB_ACTIONS=true adds ::error annotations on stderr; --json stdout stays JSON", async () => {
    const r = await runCli(["validate", MANY_MISTAKES, "--json"], { env: { GITHUB_ACTIONS: "true" } });
    expect(r.code).toBe(1);
    const report = parseReport(r);
    const annotations = r.stderr.trimEnd().split("\n");
    expect(annotations).toHaveLength(report.errors.length);
    annotations.forEach((line, i) => {
      const e = report.errors[i]!;
      const m = /^::error file=([^,]+),line=(\d+),col=(\d+),title=(DS\d{4}) [^:]+::(.+)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect([m![1], Number(m![2]), Number(m![3]), m![4]]).toEqual([e.file, e.line, e.column, e.code]);
      expect(m![5]!.startsWith(e.message)).toBe(true);
    });
  });

  it("without GITHUB_ACTIONS there are no annotations", async () => {
    const r = await runCli(["validate", MANY_MISTAKES, "--json"]);
    expect(r.stderr).toBe("");
  });
});

/** A deterministic byte stream (mulberry32), so the "random" input is the same on every run. */
function seededBytes(seed: number, length: number): Buffer {
  let s = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

const task = (key: string, extra: object = {}) => ({ task_key: key, condition_task: { op: "EQUAL_TO", left: "1", right: "1" }, ...extra });
const job = (name: string, extra: object = {}) => JSON.stringify({ name, tasks: [task("check")], ...extra }, null, 2);

interface BadInput {
  name: string;
  file: string;
  bytes: () => Uint8Array | string;
  codes: string[];
  message?: RegExp;
  at?: { line: number; column: number };
}

const BAD_INPUTS: BadInput[] = [
  { name: "empty file", file: "jobs/empty/job.json", bytes: () => "", codes: ["DS1025"], message: /empty/, at: { line: 1, column: 1 } },
  { name: "whitespace only", file: "jobs/blank/job.json", bytes: () => "  \n\t\n   \n", codes: ["DS1025"], message: /empty/ },
  { name: "a JSON array", file: "jobs/array/job.json", bytes: () => "[]", codes: ["DS1002"], message: /must be an object, found an array/, at: { line: 1, column: 1 } },
  { name: "a JSON number", file: "jobs/number/job.json", bytes: () => "42\n", codes: ["DS1002"], message: /found number 42/ },
  { name: "JSON null", file: "jobs/null/job.json", bytes: () => "null", codes: ["DS1002"], message: /found null/ },
  { name: "a JSON string", file: "jobs/string/job.json", bytes: () => '"jobs/etl/job.json"', codes: ["DS1002"] },
  { name: "a 5 MB job", file: "jobs/huge/job.json", bytes: () => job("huge", { description: "x".repeat(5 * 1024 * 1024) }), codes: ["DS1025"], message: /5\.0 MiB; the limit is 4 MiB/, at: { line: 1, column: 1 } },
  {
    name: "5000 chained tasks, each reading the previous one's value",
    file: "jobs/thousands/job.json",
    bytes: () => JSON.stringify({ name: "thousands", tasks: Array.from({ length: 5000 }, (_, i) => task(`t${i}`, i === 0 ? {} : { depends_on: [{ task_key: `t${i - 1}` }], condition_task: { op: "EQUAL_TO", left: `{{tasks.t${i - 1}.values.v}}`, right: "1" } })) }),
    codes: ["DS1002"],
    message: /5000 items; at most 1000/,
  },
  { name: "100 000 nested arrays", file: "jobs/brackets/job.json", bytes: () => "[".repeat(100_000), codes: ["DS1026"], at: { line: 1, column: 129 } },
  { name: "100 000 nested objects", file: "jobs/objects/job.json", bytes: () => '{"a":'.repeat(100_000), codes: ["DS1026"] },
  {
    name: "random binary bytes",
    file: "jobs/binary/job.json",
    bytes: () => {
      const b = seededBytes(20240601, 64 * 1024);
      b[1000] = 0;
      return b;
    },
    codes: ["DS1025"],
    message: /NUL byte/,
  },
  { name: "invalid UTF-8 without NUL", file: "jobs/latin1/job.json", bytes: () => Buffer.concat([Buffer.from('{\n  "name": "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n}\n')]), codes: ["DS1025"], message: /not valid UTF-8 \(byte 0xc3/, at: { line: 2, column: 15 } },
  { name: "a stray continuation byte first", file: "jobs/continuation/job.json", bytes: () => Buffer.from([0x80, 0x7b, 0x7d]), codes: ["DS1025"], at: { line: 1, column: 1 } },
  { name: "an empty environment file", file: "environments/empty.yaml", bytes: () => "", codes: ["DS1025"] },
  { name: "a binary environment file", file: "environments/binary.yaml", bytes: () => seededBytes(7, 4096).fill(0, 10, 11), codes: ["DS1025"] },
  { name: "an environment nested 100 000 levels deep", file: "environments/deep.yaml", bytes: () => `name: deep\nvars: ${"[".repeat(100_000)}\n`, codes: ["DS1026"] },
  {
    name: "an environment expanding aliases exponentially",
    file: "environments/laughs.yaml",
    bytes: () => ["name: laughs", "workspace: { path: x }", "vars:", '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ..."bcdefgh".split("").map((c, i) => `  ${c}: &${c} [${Array(9).fill(`*${"abcdefg"[i]}`).join(",")}]`)].join("\n") + "\n",
    codes: ["DS1001"],
  },
];

describe("hostile input gets located errors, never a crash", () => {
  let repo: string;
  let outside: string;

  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), "dagship-bad-input-"));
    outside = mkdtempSync(path.join(tmpdir(), "dagship-outside-"));
    mkdirSync(path.join(repo, ".git"));
    for (const input of BAD_INPUTS) {
      mkdirSync(path.dirname(path.join(repo, input.file)), { recursive: true });
      writeFileSync(path.join(repo, input.file), input.bytes());
    }
    mkdirSync(path.join(repo, "jobs", "bom"));
    writeFileSync(path.join(repo, "jobs", "bom", "job.json"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(job("bom"))]));
    writeFileSync(path.join(outside, "steal.ts"), "export default async () => {};\n");
    mkdirSync(path.join(repo, "jobs", "linked", "tasks"), { recursive: true });
    symlinkSync(path.join(outside, "steal.ts"), path.join(repo, "jobs", "linked", "tasks", "run.ts"));
    writeFileSync(path.join(repo, "jobs", "linked", "job.json"), JSON.stringify({ name: "linked", tasks: [{ task_key: "run", ts_task: { module: "tasks/run.ts" } }] }));
  });

  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it.concurrent.each(BAD_INPUTS.map((input) => [input.name, input] as const))("%s", async (_name, input) => {
    const r = await runCli(["validate", input.file, "--json"], { cwd: repo, timeoutMs: 20_000 });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    // Only notes that the (equally hostile) environment files of this repository were skipped.
    for (const line of r.stderr.split("\n").filter(Boolean)) expect(line).toMatch(/^note: environments\/\S+ has errors; jobs were not rendered for it/);
    const report = parseReport(r);
    expect(sortedCodes(report)).toEqual(input.codes);
    for (const e of report.errors) {
      expect(e.file).toBe(input.file);
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.column).toBeGreaterThanOrEqual(1);
      expect(e.message.length).toBeLessThan(300);
    }
    if (input.message) expect(report.errors[0]!.message).toMatch(input.message);
    if (input.at) expect({ line: report.errors[0]!.line, column: report.errors[0]!.column }).toEqual(input.at);
    expect(r.ms).toBeLessThan(10_000);
  });

  it("a UTF-8 byte-order mark before a valid job is accepted", async () => {
    const r = await runCli(["validate", "jobs/bom/job.json", "--json"], { cwd: repo });
    expect({ code: r.code, report: parseReport(r) }).toEqual({ code: 0, report: { ok: true, errors: [], checked: { jobs: ["jobs/bom/job.json"], environments: [] } } });
  });

  it("a task module that is a symbolic link to a file outside the repository is refused", async () => {
    const r = await runCli(["validate", "jobs/linked", "--json"], { cwd: repo });
    const report = parseReport(r);
    expect({ code: r.code, codes: sortedCodes(report) }).toEqual({ code: 1, codes: ["DS1009"] });
    expect(report.errors[0]).toMatchObject({ file: "jobs/linked/job.json", pointer: "/tasks/0/ts_task/module", line: 1 });
  });
});

describe("jobs of another repository", () => {
  it("resolve their modules against their own repository, not the working directory's", async () => {
    const other = mkdtempSync(path.join(tmpdir(), "dagship-other-repo-"));
    try {
      mkdirSync(path.join(other, ".git"));
      mkdirSync(path.join(other, "jobs", "lib"), { recursive: true });
      mkdirSync(path.join(other, "jobs", "a"));
      writeFileSync(path.join(other, "jobs", "lib", "step.ts"), "export default async () => {};\n");
      writeFileSync(path.join(other, "jobs", "a", "job.json"), JSON.stringify({ name: "a", tasks: [{ task_key: "t", ts_task: { module: "../lib/step.ts" } }] }));
      const r = await runCli(["validate", path.join(other, "jobs"), "--json"]);
      expect(parseReport(r).errors).toEqual([]);
      expect(r.code).toBe(0);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
