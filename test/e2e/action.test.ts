/**
 * The dagship action end to end: `run()` from src/main.ts with the environment the Actions runner
 * gives a step (INPUT_* variables, a GITHUB_OUTPUT file), against a throw-away git repository, and
 * the bundled .github/actions/dagship/dist/index.js run as the runner runs it (`node dist/index.js`).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { mergeOutputs, outputsOf, parseOutputFile, run } from "../../src/main.js";
import { assertBuilt, ROOT } from "./cli.js";
import { deployRepo, type DeployRepo } from "./deploy-repo.js";

let repo: DeployRepo;
let tmp: string;
beforeAll(() => {
  assertBuilt();
  repo = deployRepo();
  repo.write("environments/staging.yaml", `${repo.read("environments/staging.yaml").trimEnd()}\nsecrets: [DAGSHIP_TEST_TOKEN]\n`);
  repo.commit("a secret in staging");
  tmp = mkdtempSync(path.join(tmpdir(), "dagship-action-"));
});
afterAll(() => {
  repo.remove();
  rmSync(tmp, { recursive: true, force: true });
});

/** Parses a GITHUB_OUTPUT file (`name<<delimiter` blocks). */
function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n") : [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    out[m[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return out;
}

/** The environment of one step: its inputs, a fresh GITHUB_OUTPUT, outside CI for the deploy policy. */
function stepEnv(inputs: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  const output = path.join(tmp, `output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(output, "");
  const env: Record<string, string> = { GITHUB_OUTPUT: output, CI: "", GITHUB_ACTIONS: "", DAGSHIP_NO_TTY: "1", ...extra };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return env;
}

describe("run() of src/main.ts", () => {
  let written: string[];
  beforeEach(() => {
    written = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    process.exitCode = undefined;
  });
  const step = async (inputs: Record<string, string>, extra: Record<string, string> = {}) => {
    const env = stepEnv(inputs, extra);
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    await run();
    return { outputs: readOutputs(env.GITHUB_OUTPUT!), exitCode: process.exitCode, log: written.join("") };
  };

  it("runs a job and sets run_id and state from its JSON", async () => {
    const r = await step({ command: "run", job: "etl", env: "dev", "working-directory": repo.dir });
    expect(r.exitCode ?? 0).toBe(0);
    expect(r.outputs.state).toBe("SUCCESS");
    expect(r.outputs.run_id).toMatch(/\S/);
    expect(r.outputs).toMatchObject({ model_version: "", promoted: "" });
    expect(r.log).toContain("dagship run etl --env dev --json");
  });

  it("masks the environment's secrets before running anything", async () => {
    const r = await step({ command: "validate", env: "staging", "working-directory": repo.dir }, { DAGSHIP_TEST_TOKEN: "s3cr3t-value" });
    expect(r.log).toContain("::add-mask::s3cr3t-value");
    expect(r.outputs.state).toBe("SUCCESS");
  });

  it("fails the step with the CLI's error, outputs still set, when the command fails", async () => {
    const r = await step({ command: "run", job: "nope", env: "dev", "working-directory": repo.dir });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.state).toBe("FAILED");
    expect(r.log).toMatch(/::error::dagship run failed \(exit 2\): .*nope/);
  });

  it("refuses a bad input with DS2026 and runs nothing", async () => {
    const r = await step({ command: "rm -rf", "working-directory": repo.dir });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain("::error::DS2026 input \"command\": \"rm -rf\" is not a dagship command");
    expect(r.outputs).toEqual({});
  });
});

describe("outputsOf", () => {
  it("reads a promotion's version and decision, and a task's values", () => {
    expect(outputsOf({ name: "reviews", target_version: 3, promoted: true }, 0)).toEqual({ run_id: "", state: "SUCCESS", model_version: "3", promoted: "true" });
    expect(outputsOf({ run_id: "r1", state: "SUCCESS", tasks: { train: { values: { model_version: 7 } }, gate: { values: { promoted: false } } } }, 0)).toEqual({ run_id: "r1", state: "SUCCESS", model_version: "7", promoted: "false" });
    expect(outputsOf({ ok: false, errors: [] }, 1).state).toBe("FAILED");
  });

  it("takes the model outputs the CLI wrote in Actions mode over what the JSON gives", () => {
    const cli = parseOutputFile("run_id<<d1\nr1\nd1\nstate<<d2\nSUCCESS\nd2\nmodel_version<<d3\n4\nd3\npromoted<<d4\nfalse\nd4\n");
    expect(cli).toEqual({ run_id: "r1", state: "SUCCESS", model_version: "4", promoted: "false" });
    expect(mergeOutputs(outputsOf({ run_id: "r1", state: "SUCCESS", tasks: { register: { values: { version: 4 } } } }, 0), cli)).toEqual({ run_id: "r1", state: "SUCCESS", model_version: "4", promoted: "false" });
    expect(mergeOutputs({ run_id: "r2", state: "FAILED", model_version: "", promoted: "" }, {})).toEqual({ run_id: "r2", state: "FAILED", model_version: "", promoted: "" });
    expect(parseOutputFile("a=1\nb=x=y\n")).toEqual({ a: "1", b: "x=y" });
  });
});

describe("the bundled action", () => {
  it("action.yml runs dist/index.js on node20, and the bundle runs a command", async () => {
    const action = parse(readFileSync(path.join(ROOT, ".github/actions/dagship/action.yml"), "utf8")) as { runs: { using: string; main: string }; inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    expect(action.runs).toEqual({ using: "node20", main: "dist/index.js" });
    expect(Object.keys(action.inputs)).toEqual(["command", "env", "job", "args", "working-directory"]);
    expect(Object.keys(action.outputs)).toEqual(["run_id", "state", "model_version", "promoted"]);
    const bundle = path.join(ROOT, ".github/actions/dagship", action.runs.main);
    const env = stepEnv({ command: "run", job: "etl", env: "dev", args: "--param rows=3", "working-directory": repo.dir });
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [bundle], { cwd: repo.dir, env: { ...process.env, ...env }, timeout: 60_000 }, (e, stdout, stderr) => resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr })),
    );
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(readOutputs(env.GITHUB_OUTPUT!)).toMatchObject({ state: "SUCCESS", run_id: expect.stringMatching(/\S/) });
  });
});
