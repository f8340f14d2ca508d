/**
 * Isolation: a command for one environment never opens another environment's workspace (except
 * `models promote`, which reads the source's model to export it). Three layers, so that the
 * proof holds for root too (CI runs as root, and chmod does not stop root):
 *  1. every path handed to node:fs by the CLI and its task processes is recorded by a preload
 *     (fs-trace.mjs, through NODE_OPTIONS) and none may lie in another workspace;
 *  2. the other workspaces are moved away and a FIFO put in their place: a command that opened
 *     one would fail (not a folder) or hang on it;
 *  3. when not root, the moved-away folders are also chmod 000.
 * A control run of a command for the swapped environment shows that the trace sees it.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerVersion } from "../../runner/models/index.js";
import { EVALUATOR, model, rowsCutAt, writeDataset } from "../integration/models/helpers.js";
import { assertBuilt, ROOT, type CliResult } from "../e2e/cli.js";
import { recordFigures } from "./figures.js";
import { sandbox, type Sandbox } from "./sandbox.js";

const HOOK = path.join(ROOT, "test", "reliability", "fs-trace.mjs");
const ENVS = ["dev", "staging", "prod"] as const;
const GATE = "promotion:\n  gate:\n    metric: accuracy\n    greater_is_better: true\n    min_delta: 0.0\n    dataset: eval/reviews\n";
const ROOT_USER = process.getuid?.() === 0;

let box: Sandbox;
let traces = 0;
let commands = 0;
let pathsChecked = 0;
let crossed = 0;
const runIds: Record<string, string> = {};
const ws = (env: string) => path.join(box.dir, ".dagship", env);

/** Runs a command with every fs path it (and its tasks) touches recorded; returns the result and the paths. */
async function traced(args: string[]): Promise<{ r: CliResult; paths: string[] }> {
  const trace = path.join(box.parent, `trace-${++traces}.txt`);
  const r = await box.cli(args, { NODE_OPTIONS: `--import ${pathToFileURL(HOOK).href}`, DAGSHIP_FS_TRACE: trace, DAGSHIP_MODEL_EVALUATOR: EVALUATOR });
  const paths = existsSync(trace) ? readFileSync(trace, "utf8").split("\n").filter(Boolean) : [];
  rmSync(trace, { force: true });
  return { r, paths };
}

/** Moves the workspaces of `envs` away, leaving a FIFO in each one's place (and chmod 000 when not root). */
function fence(envs: readonly string[]): () => void {
  for (const env of envs) {
    renameSync(ws(env), `${ws(env)}.away`);
    execFileSync("mkfifo", [ws(env)]);
    if (!ROOT_USER) chmodSync(`${ws(env)}.away`, 0o000);
  }
  return () => {
    for (const env of envs) {
      if (!ROOT_USER) chmodSync(`${ws(env)}.away`, 0o755);
      rmSync(ws(env), { force: true });
      renameSync(`${ws(env)}.away`, ws(env));
    }
  };
}

/** The traced paths that lie in (or are) the workspace of one of `envs`, or its moved-away copy. */
function crossings(paths: readonly string[], envs: readonly string[], options: { control?: boolean } = {}): string[] {
  const found = paths.filter((p) => envs.some((e) => [ws(e), `${ws(e)}.away`].some((w) => p === w || p.startsWith(`${w}${path.sep}`))));
  if (!options.control) {
    pathsChecked += paths.length;
    crossed += found.length;
  }
  return found;
}

beforeAll(async () => {
  assertBuilt();
  box = sandbox({ fixture: "deploy-repo" });
  writeFileSync(path.join(box.dir, "environments", "staging.yaml"), readFileSync(path.join(box.dir, "environments", "staging.yaml"), "utf8") + GATE);
  execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qam", "gate"], { cwd: box.dir });
  // Every workspace holds runs, deployments and models: something to stray into.
  for (const env of ENVS) {
    const run = await box.json(["run", "etl", "--env", env]);
    expect(run.code, run.stderr).toBe(0);
    runIds[env] = run.body.run_id;
    expect((await box.cli(["deploy", "--env", env])).code).toBe(0);
    await registerVersion(ws(env), "reviews", model(0.3), { env });
    await registerVersion(ws(env), "reviews", model(0.6), { env });
  }
  writeDataset(ws("staging"), "eval/reviews", rowsCutAt(0.5));
}, 120_000);

afterAll(() => {
  recordFigures({ suite: "isolation", figures: { commands_traced: commands, paths_checked: pathsChecked, crossings: crossed, runs_as_root: ROOT_USER ? 1 : 0 } });
  box.remove();
});

describe("commands for one environment never open another's workspace", () => {
  it("the trace sees a crossing: a command for a fenced environment is caught (control)", async () => {
    const restore = fence(["staging"]);
    try {
      const { r, paths } = await traced(["status", runIds.staging!, "--env", "staging"]);
      expect(r.code).not.toBe(0);
      expect(crossings(paths, ["staging"], { control: true }).length).toBeGreaterThan(0);
    } finally {
      restore();
    }
  });

  it("run, status, runs, repair, cancel, deploy, diff, history, run --deployed, destroy, models list/show/alias/audit/export, render, validate, doctor: for dev, nothing of staging or prod", async () => {
    const id = runIds.dev!;
    const lines = [
      ["run", "etl", "--env", "dev"],
      ["status", id, "--env", "dev"],
      ["runs", "--env", "dev"],
      ["repair", id, "--env", "dev"],
      ["cancel", id, "--env", "dev"],
      ["deploy", "--env", "dev"],
      ["diff", "--env", "dev"],
      ["deploy", "--env", "dev", "--history"],
      ["run", "etl", "--env", "dev", "--deployed"],
      ["destroy", "--env", "dev", "--branch", "feature-x"],
      ["models", "list", "--env", "dev"],
      ["models", "show", "reviews", "--version", "1", "--env", "dev"],
      ["models", "alias", "reviews", "champion", "--version", "2", "--env", "dev"],
      ["models", "audit", "reviews", "--env", "dev"],
      ["models", "export", "reviews", "--version", "1", "--env", "dev", "--out", path.join(box.parent, "reviews.tar.gz")],
      ["render", "etl", "--env", "dev"],
      ["validate", "--env", "dev"],
      ["doctor", "--env", "dev"],
    ];
    const restore = fence(["staging", "prod"]);
    const problems: string[] = [];
    try {
      for (const args of lines) {
        const { r, paths } = await traced(args);
        if (args[0] === "doctor" && r.stderr.includes('unknown command "doctor"')) continue; // not built on this branch
        commands++;
        if (r.code === null || r.code === 3) problems.push(`${args.join(" ")}: exit ${r.code} ${r.stderr.slice(0, 300)}`);
        const crossed = crossings(paths, ["staging", "prod"]);
        if (crossed.length) problems.push(`${args.join(" ")} opened ${crossed.slice(0, 3).join(", ")}`);
        if (!args.includes("validate") && !args.includes("render") && !paths.some((p) => p.startsWith(ws("dev")))) problems.push(`${args.join(" ")}: the trace saw nothing of dev's workspace`);
      }
    } finally {
      restore();
    }
    expect(problems).toEqual([]);
  });

  it("an environment whose workspace is, holds or lies in another's is refused (DS2063), for both", async () => {
    const file = path.join(box.dir, "environments", "shadow.yaml");
    const problems: string[] = [];
    for (const inner of [".dagship/dev", ".dagship/dev/inner", ".dagship", "./.dagship/staging/../prod"]) {
      writeFileSync(file, `name: shadow\nworkspace:\n  path: ${inner}\n`);
      for (const env of ["shadow", inner.includes("staging") ? "prod" : "dev"]) {
        const { r, paths } = await traced(["runs", "--env", env]);
        commands++;
        if (r.code !== 2 || !/DS2063 environments \w+ and \w+ share a workspace/.test(r.stderr)) problems.push(`${inner} / ${env}: exit ${r.code} ${r.stderr.slice(0, 200)}`);
        // Refused before anything of either workspace was opened.
        if (crossings(paths, ["dev", "staging", "prod"]).length) problems.push(`${inner} / ${env}: opened a workspace before refusing`);
      }
    }
    rmSync(file);
    expect(problems).toEqual([]);
  });

  it("models promote from dev to staging reads dev (its export) and staging, never prod", async () => {
    const restore = fence(["prod"]);
    try {
      const { r, paths } = await traced(["models", "promote", "reviews", "--version", "2", "--from", "dev", "--to", "staging", "--json"]);
      commands++;
      expect(r.code, r.stderr).toBe(0);
      expect(crossings(paths, ["prod"])).toEqual([]);
      expect(paths.some((p) => p.startsWith(ws("staging")))).toBe(true);
    } finally {
      restore();
    }
  });

  it("commands for prod never open dev's or staging's workspace", async () => {
    const restore = fence(["dev", "staging"]);
    const problems: string[] = [];
    try {
      for (const args of [["run", "etl", "--env", "prod"], ["status", runIds.prod!, "--env", "prod"], ["runs", "--env", "prod"], ["diff", "--env", "prod"], ["models", "list", "--env", "prod"], ["models", "show", "reviews", "--version", "1", "--env", "prod"]]) {
        const { r, paths } = await traced(args);
        commands++;
        if (r.code === null || r.code === 3) problems.push(`${args.join(" ")}: exit ${r.code} ${r.stderr.slice(0, 300)}`);
        const crossed = crossings(paths, ["dev", "staging"]);
        if (crossed.length) problems.push(`${args.join(" ")} opened ${crossed.slice(0, 3).join(", ")}`);
      }
    } finally {
      restore();
    }
    expect(problems).toEqual([]);
  });
});
