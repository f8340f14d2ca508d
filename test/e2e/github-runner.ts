/**
 * What the GitHub Actions runner gives a step, for the e2e tests of the workflows' events: the
 * event's payload (a fixture of test/fixtures/github-events/, with the test repository's commit
 * where the CLI reads one) written to GITHUB_EVENT_PATH, the GITHUB_* variables GitHub sets for
 * that event, fresh GITHUB_STEP_SUMMARY / GITHUB_OUTPUT files, RUNNER_TEMP, and GITHUB_API_URL
 * pointing at the local fake API. Steps run the built CLI or the bundled action, as a workflow does.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseOutputFile } from "../../src/main.js";
import { ROOT, runCli, type CliResult } from "./cli.js";

export const EVENTS_DIR = path.join(ROOT, "test", "fixtures", "github-events");
export const ACTION = path.join(ROOT, ".github", "actions", "dagship", "dist", "index.js");

/** A webhook payload fixture, parsed. */
export function eventFixture<T = any>(file: string): T {
  return JSON.parse(readFileSync(path.join(EVENTS_DIR, file), "utf8")) as T;
}

/** One step's files and environment. */
export interface StepEnv {
  env: Record<string, string>;
  summary(): string;
  outputs(): Record<string, string>;
}

/** The runner's variables for an event, as GitHub sets them (see "Default environment variables"). */
export interface EventSpec {
  name: "push" | "pull_request" | "schedule" | "workflow_dispatch" | "release" | "delete";
  payload: unknown;
  ref: string;
  sha: string;
  /** GITHUB_HEAD_REF / GITHUB_BASE_REF: set for pull_request only. */
  headRef?: string;
  baseRef?: string;
}

let steps = 0;

/**
 * A step's environment for `event` in a workflow run of acme/jobs against the fake API `apiUrl`,
 * its files under `dir` (outside the repository, so its tree stays clean). `extra` adds secrets.
 */
export function stepEnv(dir: string, apiUrl: string, event: EventSpec, extra: Record<string, string> = {}): StepEnv {
  const n = ++steps;
  const stepDir = path.join(dir, `step-${n}`);
  mkdirSync(path.join(stepDir, "temp"), { recursive: true });
  const file = (name: string) => path.join(stepDir, name);
  writeFileSync(file("event.json"), JSON.stringify(event.payload, null, 2));
  writeFileSync(file("summary.md"), "");
  writeFileSync(file("output"), "");
  const refName = event.ref.replace(/^refs\/(heads|tags)\//, "").replace(/^refs\//, "");
  const env: Record<string, string> = {
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: file("event.json"),
    GITHUB_STEP_SUMMARY: file("summary.md"),
    GITHUB_OUTPUT: file("output"),
    GITHUB_REF: event.ref,
    GITHUB_REF_NAME: refName,
    GITHUB_REF_TYPE: event.ref.startsWith("refs/tags/") ? "tag" : "branch",
    GITHUB_HEAD_REF: event.headRef ?? "",
    GITHUB_BASE_REF: event.baseRef ?? "",
    GITHUB_SHA: event.sha,
    GITHUB_REPOSITORY: "acme/jobs",
    GITHUB_REPOSITORY_OWNER: "acme",
    GITHUB_ACTOR: "octocat",
    GITHUB_RUN_ID: String(9000 + n),
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_WORKFLOW: "dagship",
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_API_URL: apiUrl,
    GITHUB_TOKEN: "ghs_e2e_token",
    RUNNER_TEMP: file("temp"),
    DAGSHIP_NO_TTY: "1",
    ...extra,
  };
  return {
    env,
    summary: () => readFileSync(file("summary.md"), "utf8"),
    outputs: () => (existsSync(file("output")) ? parseOutputFile(readFileSync(file("output"), "utf8")) : {}),
  };
}

/** A `run: npx dagship ...` step: the built CLI in the repository. */
export function cliStep(repoDir: string, args: readonly string[], step: StepEnv, timeoutMs = 170_000): Promise<CliResult> {
  return runCli(args, { cwd: repoDir, env: step.env, timeoutMs });
}

/**
 * A `uses: ./.github/actions/dagship` step: the bundled action run as the runner runs a node20
 * action (`node dist/index.js`), its `with:` given as INPUT_* variables.
 */
export function actionStep(repoDir: string, inputs: Record<string, string>, step: StepEnv, timeoutMs = 170_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = { ...step.env };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((resolve) =>
    execFile(process.execPath, [ACTION], { cwd: repoDir, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 32 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof (error as { code?: unknown }).code === "number" ? (error as { code: number }).code : 1) : 0, stdout, stderr }),
    ),
  );
}
