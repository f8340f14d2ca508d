/**
 * Actions mode of the CLI, end to end: `dagship run` with GITHUB_ACTIONS=true writes the job
 * summary (mermaid DAG, task table) and the step outputs, registers the secrets with
 * `::add-mask::` before anything else, and never writes a secret value into the summary; outside
 * Actions none of that happens.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "./cli.js";
import { tempRepo, type TempRepo } from "./runner-repo.js";

const SECRET = "hunter2-actions-secret";
let repo: TempRepo;
let files: string;

beforeAll(() => {
  assertBuilt();
  repo = tempRepo();
  files = mkdtempSync(path.join(tmpdir(), "dagship-actions-"));
});
afterAll(() => {
  repo.remove();
  rmSync(files, { recursive: true, force: true });
});

function actionsEnv(name: string): Record<string, string> {
  return { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: path.join(files, `${name}.summary.md`), GITHUB_OUTPUT: path.join(files, `${name}.output`), DAGSHIP_TEST_SECRET: SECRET };
}

/** The outputs in a GITHUB_OUTPUT file (heredoc format). */
function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = readFileSync(file, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    out[m[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return out;
}

describe("dagship run in GitHub Actions", () => {
  it("writes the summary with the coloured DAG and the task table, and the outputs run_id and state", async () => {
    const env = actionsEnv("cond");
    const r = await repo.cli(["run", "cond"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`::add-mask::${SECRET}`);
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8");
    expect(summary).toContain("dagship run: cond in dev");
    expect(summary).toContain("```mermaid\nflowchart TD\n");
    expect(summary).toMatch(/t1 -->\|"true"\| t2/);
    expect(summary).toMatch(/t1 -->\|"false"\| t3/);
    expect(summary).toMatch(/class [t0-9,]+ success/);
    expect(summary).toMatch(/class t3 skipped/);
    expect(summary).toContain("| task | state | attempts | duration |");
    expect(summary).toMatch(/\| no \| EXCLUDED|\| no \| SKIPPED/);
    const outputs = readOutputs(env.GITHUB_OUTPUT!);
    expect(outputs.state).toBe("SUCCESS");
    expect(outputs.run_id).toMatch(/^r\d{8}T\d{6}-/);
    expect(summary).toContain(outputs.run_id);
  });

  it("never writes a secret value into the summary; with --json stdout stays JSON and the masks go to stderr", async () => {
    const env = actionsEnv("secrets");
    const r = await repo.cli(["run", "secrets", "--json"], env);
    expect(r.code).toBe(1);
    const body = JSON.parse(r.stdout) as { run_id: string; state: string };
    expect(body.state).toBe("FAILED");
    expect(r.stderr.split("\n")[0]).toBe(`::add-mask::${SECRET}`);
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8");
    expect(summary).toContain("| leak_and_throw | FAILED | 1 |");
    expect(summary).not.toContain(SECRET);
    expect(readOutputs(env.GITHUB_OUTPUT!)).toEqual({ run_id: body.run_id, state: "FAILED" });
  });

  it("outside Actions writes no summary, no outputs and no masks", async () => {
    const env: Record<string, string> = { ...actionsEnv("local"), GITHUB_ACTIONS: "" };
    const r = await repo.cli(["run", "cond"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain("::");
    expect(existsSync(env.GITHUB_STEP_SUMMARY!)).toBe(false);
    expect(existsSync(env.GITHUB_OUTPUT!)).toBe(false);
  });
});
