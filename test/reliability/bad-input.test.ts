/**
 * Bad input everywhere, through the real CLI: hostile names in every name slot (jobs,
 * environments, run ids, models, aliases, tasks, parameters, branches, files), bad numbers,
 * unknown flags and missing values, broken environment files, hostile templates (handlebars'
 * prototype access stays disabled) and hostile names inside a task (tables, values, models). Each
 * must get a clear error (see hostile.ts) and nothing may be written outside the workspace.
 */
import { writeFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, type CliResult } from "../e2e/cli.js";
import { recordFigures } from "./figures.js";
import { hostileBranches, hostileNames, sampleNames, unclear } from "./hostile.js";
import { newPathsOutside, pool, sandbox, type BatchCase, type Sandbox } from "./sandbox.js";
import { ENVIRONMENT_CORPUS, TEMPLATE_CORPUS, nameProbeTask } from "./bad-input-corpora.js";

interface Case extends BatchCase {
  what: string;
  /** The input the error must name (omitted when the message need not repeat it, e.g. a syntax error). */
  input?: string;
}

const RUN_ID = "r20261120T234800-7f3a9c";
let box: Sandbox;
let before: Set<string>;
const tally = { inputs_tried: 0, clear_errors: 0, written_outside: 0, spawned_for_real: 0 };
const ALLOWED = ["repo/.dagship/", "repo/jobs/names/", "report.json"];
const failures: string[] = [];

/** Runs the cases through the CLI's `main` in one process and lists those that did not end in a clear error. */
async function judge(cases: Case[], check = (c: Case, r: CliResult) => unclear(r, c.input)): Promise<string[]> {
  const results = await box.batch(cases);
  const bad: string[] = [];
  results.forEach((r, i) => {
    const c = cases[i]!;
    tally.inputs_tried++;
    const why = check(c, r);
    if (why === undefined) tally.clear_errors++;
    else bad.push(`${c.what} ${JSON.stringify(c.args)}: ${why}\n    ${(r.stderr || r.stdout).trim().split("\n").slice(0, 3).join("\n    ")}`);
  });
  failures.push(...bad);
  return bad;
}

beforeAll(() => {
  assertBuilt();
  box = sandbox({ fixture: "runner-repo", git: true });
  before = box.snapshot();
});

afterAll(() => {
  const outside = newPathsOutside(before, box.snapshot(), ALLOWED);
  tally.written_outside = outside.length;
  recordFigures({ suite: "bad-input", figures: { ...tally }, notes: failures.length ? failures.slice(0, 20) : ["every input got a clear error"] });
  box.remove();
});

describe("hostile names in every name slot of the CLI", () => {
  it("refuses each with a clear error naming it", async () => {
    const p = box.parent;
    const slots: Array<(n: string) => string[]> = [
      (n) => ["run", n],
      (n) => ["run", "chain", "--env", n],
      (n) => ["status", n],
      (n) => ["models", "show", n],
      (n) => ["run", "chain", "--task", n],
      (n) => ["models", "import", n, "--env", "dev"],
    ];
    const fewer: Array<(n: string) => string[]> = [
      (n) => ["render", n, "--env", "dev"],
      (n) => ["runs", n],
      (n) => ["validate", n],
      (n) => ["status", RUN_ID, "--env", n],
      (n) => ["runs", "--env", n],
      (n) => ["deploy", "--env", n],
      (n) => ["diff", "--env", n],
      (n) => ["models", "list", "--env", n],
      (n) => ["repair", n],
      (n) => ["cancel", n],
      (n) => ["models", "audit", n],
      (n) => ["models", "alias", n, "champion", "--version", "1"],
      (n) => ["models", "alias", "reviews", n, "--version", "1"],
      (n) => ["models", "export", n, "--version", "1", "--out", path.join(p, "repo", "out.tar.gz")],
      (n) => ["models", "promote", n, "--version", "1", "--to", "dev"],
      (n) => ["run", "chain", "--from", n],

      (n) => ["import", "databricks", n],
    ];
    const cases: Case[] = [
      ...slots.flatMap((slot) => hostileNames(p).map((n) => ({ what: slot("NAME").join(" "), args: slot(n), input: n }))),
      // `validate ..` is a folder (the one holding the repository) and validates what is below it: not bad input.
      ...fewer.flatMap((slot) => sampleNames(p).filter((n) => !(slot(n)[0] === "validate" && n === "..")).map((n) => ({ what: slot("NAME").join(" "), args: slot(n), input: n }))),
      ...sampleNames(p).map((n) => ({ what: "run chain --param NAME=1", args: ["run", "chain", "--param", `${n}=1`], input: n === "" ? "=1" : n })),
    ];
    expect(await judge(cases)).toEqual([]);
  });

  it("refuses branch names git cannot hold, for deploy, diff, destroy and run --deployed", async () => {
    const slots: Array<(n: string) => string[]> = [
      (n) => ["deploy", "--env", "dev", `--branch=${n}`],
      (n) => ["diff", "--env", "dev", `--branch=${n}`],
      (n) => ["destroy", "--env", "dev", `--branch=${n}`],
      (n) => ["run", "chain", "--deployed", `--branch=${n}`],
    ];
    const cases = slots.flatMap((slot) => hostileBranches(box.parent).map((n) => ({ what: slot("BRANCH").join(" "), args: slot(n), input: n })));
    expect(await judge(cases)).toEqual([]);
  });
});

describe("the batch and the real CLI", () => {
  it("answer alike: the same exit code and the same error line for a sample spawned as processes", async () => {
    const sample: Case[] = [...hostileNames(box.parent).slice(0, 14).map((n) => ({ what: "run NAME", args: ["run", n], input: n })), { what: "limit", args: ["runs", "--limit", "1e3"] }, { what: "flag", args: ["deploy", "--nope"] }];
    const batch = await box.batch(sample);
    const real = await pool(sample, 2, (c) => box.cli(c.args));
    tally.spawned_for_real += real.length;
    expect(real.map((r) => [r.code, r.stderr])).toEqual(batch.map((r) => [r.code, r.stderr]));
  });
});

describe("bad numbers, unknown flags, missing values", () => {
  it("refuses each with a usage error", async () => {
    const numbers = ["0", "-1", "1.5", "abc", "1e3", "0x10", " 2", "", "Infinity", "NaN", "99999999999999999999"];
    const numberSlots: Array<(v: string) => string[]> = [
      (v) => ["run", "chain", "--concurrency", v],
      (v) => ["repair", RUN_ID, "--concurrency", v],
      (v) => ["runs", "--limit", v],
      (v) => ["models", "show", "reviews", "--version", v],
      (v) => ["models", "audit", "reviews", "--limit", v],
      (v) => ["models", "alias", "reviews", "champion", "--version", v],
    ];
    // A value starting with "-" goes as --flag=value, or the parser would take it for a flag.
    const withValue = (args: string[], v: string) => (v.startsWith("-") ? [...args.slice(0, -1), `${args.at(-1)}=${v}`] : [...args, v]);
    const cases: Case[] = numberSlots.flatMap((slot) => numbers.map((v) => ({ what: slot("N").join(" "), args: withValue(slot("N").slice(0, -1), v), input: v })));
    const commands = ["validate", "render chain", "run chain", "deploy", "diff", "destroy", "status x", "runs", "repair x", "cancel x", "models list", "models show x", "import databricks x", "init x", "generate workflows", "github pr-report"];
    for (const c of commands) {
      cases.push({ what: `${c} --nope`, args: [...c.split(" "), "--nope"], input: "--nope" });
      cases.push({ what: `${c} -Z`, args: [...c.split(" "), "-Z"], input: "-Z" });
    }
    for (const flag of ["--env", "--param", "--task", "--from", "--concurrency", "--branch"]) cases.push({ what: `run chain ${flag} (no value)`, args: ["run", "chain", flag], input: flag });
    for (const args of [["runs", "--limit"], ["models", "show", "reviews", "--version"], ["deploy", "--branch"], ["models", "export", "reviews", "--out"]]) cases.push({ what: `${args.join(" ")} (no value)`, args, input: args.at(-1)! });
    cases.push({ what: "boolean flag with a value", args: ["run", "chain", "--json=yes"], input: "--json" });
    cases.push({ what: "two jobs", args: ["run", "chain", "cond"] });
    cases.push({ what: "two run ids", args: ["status", RUN_ID, RUN_ID] });
    cases.push({ what: "unknown command", args: ["bogus"], input: "bogus" });
    cases.push({ what: "command in upper case", args: ["RUN", "chain"], input: "RUN" });
    cases.push({ what: "unknown subcommand", args: ["models", "bogus"], input: "bogus" });
    cases.push({ what: "bad param", args: ["run", "chain", "--param", "noequals"], input: "noequals" });
    expect(await judge(cases)).toEqual([]);
  });
});

describe("broken environment files", () => {
  it("each is refused by run (exit 2) and reported by validate (exit 1), naming the file", async () => {
    const file = "environments/bad.yaml";
    const cases: Case[] = ENVIRONMENT_CORPUS.flatMap(([what, content]): Case[] => [
      { what: `env ${what}: run`, args: ["run", "chain", "--env", "bad"], input: file, write: { file, content } },
      { what: `env ${what}: validate`, args: ["validate", file], input: file, remove: file },
    ]);
    const bad = await judge(cases, (c, r) => unclear(r, c.input) ?? (c.args[0] === "run" && r.code !== 2 ? `exit ${r.code}, expected 2` : undefined));
    expect(bad).toEqual([]);
  });
});

describe("hostile templates", () => {
  it("are located errors; prototype access stays disabled", async () => {
    const dir = path.join(box.dir, "jobs", "tpl");
    mkdirSync(path.join(dir, "tasks"), { recursive: true });
    writeFileSync(path.join(dir, "tasks", "noop.ts"), "export default async () => {};\n");
    const leaked = (r: CliResult) => /function Object|\[native code\]|function Function/.test(r.stdout + r.stderr);
    const cases = TEMPLATE_CORPUS.flatMap((template): Case[] => {
      const job = { name: "tpl", parameters: [{ name: "p", default: "1" }], tasks: [{ task_key: "t", ts_task: { module: "tasks/noop.ts", parameters: { x: template } } }] };
      const write = { file: "jobs/tpl/job.json", content: JSON.stringify(job, null, 2) };
      return [
        { what: `template ${template}: render`, args: ["render", "tpl", "--env", "dev"], write },
        { what: `template ${template}: validate`, args: ["validate", "tpl"] },
      ];
    });
    const bad = await judge(cases, (_, r) => (leaked(r) ? "prototype reached" : unclear(r)));
    rmSync(dir, { recursive: true });
    expect(bad).toEqual([]);
  });
});

describe("hostile names inside a task", () => {
  it("tables, values and models refuse each name with an error naming it, and write nothing outside the run", async () => {
    const dir = path.join(box.dir, "jobs", "names");
    mkdirSync(path.join(dir, "tasks"), { recursive: true });
    const names = [...hostileNames(box.parent), "a\u0000b", "\u0000", "x/y", "__proto__", "constructor", "prototype", "toString", "hasOwnProperty"];
    writeFileSync(path.join(dir, "tasks", "probe.ts"), nameProbeTask);
    writeFileSync(
      path.join(dir, "job.json"),
      JSON.stringify({
        name: "names",
        parameters: [{ name: "report", default: "" }],
        tasks: [
          { task_key: "up", ts_task: { module: "tasks/probe.ts", export: "up" } },
          { task_key: "probe", depends_on: [{ task_key: "up" }], ts_task: { module: "tasks/probe.ts", parameters: { report: "{{job.parameters.report}}", names: JSON.stringify(names) } } },
        ],
      }),
    );
    const report = path.join(box.parent, "report.json");
    const r = await box.cli(["run", "names", "--param", `report=${report}`]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const results = JSON.parse(readFileSync(report, "utf8")) as Array<{ call: string; name: string; outcome: string; message: string; clear: boolean }>;
    tally.inputs_tried += results.length;
    const bad = results.filter((x) => !x.clear).map((x) => `${x.call}(${JSON.stringify(x.name)}): ${x.outcome} ${x.message.slice(0, 200)}`);
    tally.clear_errors += results.length - bad.length;
    failures.push(...bad);
    expect(bad).toEqual([]);
    expect(results.length).toBeGreaterThan(200);
  });
});

describe("nothing written outside the workspace", () => {
  it("after every case above, the only new paths are in .dagship/", () => {
    expect(newPathsOutside(before, box.snapshot(), ALLOWED)).toEqual([]);
  });
});
