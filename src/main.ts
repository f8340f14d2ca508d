/**
 * The dagship GitHub Action (`.github/actions/dagship/action.yml`): runs one dagship command with
 * `--json` in the checked-out repository, masks the environment's secrets, and turns the command's
 * JSON into step outputs (`run_id`, `state`, `model_version`, `promoted`). Only {@link run}, the
 * edge, calls `core.setFailed`; everything below it returns or throws typed errors.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as core from "@actions/core";
import { parse } from "yaml";
import { DagshipError } from "../runner/errors.js";

/** The action's inputs, as `action.yml` declares them. */
export interface ActionInputs {
  /** The dagship command, e.g. `run`, `deploy`, `validate`, `models promote`. */
  command: string[];
  /** `--env <env>` when set. */
  env: string;
  /** The job (the command's first argument) when set. */
  job: string;
  /** Further arguments, split on white space. */
  args: string[];
  /** Where the repository is (default: the workspace, i.e. the current directory). */
  workingDirectory: string;
}

/** The step outputs the action sets. */
export interface ActionOutputs {
  run_id: string;
  state: string;
  model_version: string;
  promoted: string;
}

/** What one dagship command did. */
export interface CommandResult {
  exitCode: number;
  /** The command's `--json` output, when it printed JSON. */
  json: unknown;
  /** The last line of its stderr (the error, when it failed). */
  lastError: string;
  outputs: ActionOutputs;
}

/**
 * The action cannot run (DS2026): an input is invalid, the working directory does not exist, or
 * dagship is not installed there (`npm ci` must run before the action).
 */
export class ActionError extends DagshipError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super("DS2026", message, { ...options, exitCode: 2 });
  }
}

const COMMANDS = new Set(["validate", "run", "deploy", "diff", "destroy", "render", "status", "runs", "repair", "cancel", "models"]);

/** Reads and checks the inputs (`INPUT_*` variables, through `core.getInput`). Throws an {@link ActionError}. */
export function readInputs(): ActionInputs {
  const words = (s: string) => s.split(/\s+/).filter((w) => w.length > 0);
  const command = words(core.getInput("command", { required: true }));
  if (!COMMANDS.has(command[0] ?? "")) throw new ActionError(`input "command": "${command.join(" ")}" is not a dagship command the action runs`, { hint: `one of: ${[...COMMANDS].join(", ")}` });
  const env = core.getInput("env");
  if (env !== "" && !/^[a-z0-9][a-z0-9_-]*$/.test(env)) throw new ActionError(`input "env": "${env}" is not an environment name`);
  const job = core.getInput("job");
  if (job !== "" && !/^[a-z0-9][a-z0-9_-]*$/.test(job)) throw new ActionError(`input "job": "${job}" is not a job name`);
  const workingDirectory = path.resolve(core.getInput("working-directory") || ".");
  if (!existsSync(workingDirectory)) throw new ActionError(`input "working-directory": ${workingDirectory} does not exist`);
  return { command, env, job, args: words(core.getInput("args")), workingDirectory };
}

/**
 * The dagship CLI to run: the one installed in the working directory (`node_modules/dagship`, or
 * the repository itself when it is dagship), else the dagship this action belongs to.
 */
export function resolveCli(workingDirectory: string): string {
  const candidates: string[] = [];
  try {
    const pkg = createRequire(path.join(workingDirectory, "package.json")).resolve("dagship/package.json");
    candidates.push(path.join(path.dirname(pkg), "bin", "dagship.js"));
  } catch {
    // not installed there
  }
  // src/main.ts → the repository root; the bundle (.github/actions/dagship/dist/index.js) → four up.
  const here = path.dirname(fileURLToPath(import.meta.url));
  candidates.push(path.resolve(here, "..", "bin", "dagship.js"), path.resolve(here, "..", "..", "..", "..", "bin", "dagship.js"));
  const found = candidates.find((c) => existsSync(c) && existsSync(path.join(c, "..", "..", "dist")));
  if (found === undefined) throw new ActionError(`dagship is not installed in ${workingDirectory}`, { hint: "run `npm ci` in a step before the action" });
  return found;
}

/**
 * Registers with `core.setSecret` the value of every variable the environment's file names under
 * `secrets:` (so the runner masks it in every log line), and returns the names registered.
 */
export function maskSecrets(workingDirectory: string, env: string, vars: NodeJS.ProcessEnv = process.env): string[] {
  if (env === "") return [];
  const file = path.join(workingDirectory, "environments", `${env}.yaml`);
  if (!existsSync(file)) return [];
  const doc = parse(readFileSync(file, "utf8")) as { secrets?: unknown } | null;
  const names = Array.isArray(doc?.secrets) ? doc.secrets.filter((s): s is string => typeof s === "string") : [];
  const masked = names.filter((n) => (vars[n] ?? "") !== "");
  for (const n of masked) core.setSecret(vars[n]!);
  return masked;
}

/** The step outputs a command's JSON gives: a run record, a promotion, a deployment, a report. */
export function outputsOf(json: unknown, exitCode: number): ActionOutputs {
  const o = (json !== null && typeof json === "object" ? json : {}) as Record<string, unknown>;
  const values = Object.values((o.tasks ?? {}) as Record<string, { values?: Record<string, unknown> }>).map((t) => t.values ?? {});
  const fromValues = (k: string) => values.map((v) => v[k]).find((v) => v !== undefined && v !== null);
  const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  const state = typeof o.state === "string" ? o.state : typeof o.ok === "boolean" ? (o.ok ? "SUCCESS" : "FAILED") : exitCode === 0 ? "SUCCESS" : "FAILED";
  return {
    run_id: str(o.run_id),
    state,
    model_version: str(o.target_version ?? fromValues("model_version")),
    promoted: str(o.promoted ?? fromValues("promoted")),
  };
}

/**
 * The outputs in a `GITHUB_OUTPUT` file: `name<<delimiter` heredoc blocks (what the CLI and
 * `core.setOutput` write) and plain `name=value` lines.
 *
 * @example
 * ```ts
 * parseOutputFile("state<<ghadelimiter_1\nSUCCESS\nghadelimiter_1\n"); // { state: "SUCCESS" }
 * ```
 */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) break;
      out[heredoc[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) out[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
  }
  return out;
}

/**
 * The step outputs of a command: from its JSON ({@link outputsOf}), with the model outputs the CLI
 * itself computed in Actions mode from the registry (`model_version`, `promoted` of the version the
 * run registered) taking precedence, so the action and the CLI never disagree.
 */
export function mergeOutputs(fromJson: ActionOutputs, fromCli: Record<string, string>): ActionOutputs {
  const merged = { ...fromJson };
  for (const name of ["run_id", "state", "model_version", "promoted"] as const) {
    const value = fromCli[name];
    if (value !== undefined && value !== "") merged[name] = value;
  }
  return merged;
}

const WORKFLOW_COMMAND = /^::[a-zA-Z-]+( [^\n]*)?::/;

/**
 * Runs `dagship <command> [job] [--env env] [args] --json` in the working directory, its stderr
 * passed through to the log; the step outputs are the action's (the CLI writes its own into a
 * private file, whose model outputs are merged in: {@link mergeOutputs}), its job summary is the
 * CLI's. Never throws for the command failing: see `exitCode`.
 */
export async function runCommand(inputs: ActionInputs, cli = resolveCli(inputs.workingDirectory)): Promise<CommandResult> {
  const argv = [...inputs.command, ...(inputs.job ? [inputs.job] : []), ...(inputs.env ? ["--env", inputs.env] : []), ...inputs.args, "--json"];
  core.info(`dagship ${argv.join(" ")}`);
  // The CLI's own outputs go to a private file, read back below: the step's outputs are the action's.
  const scratch = mkdtempSync(path.join(process.env.RUNNER_TEMP || tmpdir(), "dagship-action-"));
  const cliOutput = path.join(scratch, "output");
  const child = spawn(process.execPath, [cli, ...argv], { cwd: inputs.workingDirectory, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DAGSHIP_NO_TTY: "1", GITHUB_OUTPUT: cliOutput } });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => {
    stderr += c;
    process.stderr.write(c);
  });
  let exitCode: number;
  let fromCli: Record<string, string> = {};
  try {
    exitCode = await new Promise<number>((resolve, reject) => {
      child.on("error", (e) => reject(new ActionError(`cannot start ${cli}: ${e.message}`, { cause: e })));
      child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
    if (existsSync(cliOutput)) fromCli = parseOutputFile(readFileSync(cliOutput, "utf8"));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // Workflow commands (`::add-mask::...`) on stdout are the runner's, not part of the JSON.
  const commands = stdout.split("\n").filter((l) => WORKFLOW_COMMAND.test(l));
  if (commands.length > 0) process.stdout.write(commands.join("\n") + "\n");
  stdout = stdout.split("\n").filter((l) => !WORKFLOW_COMMAND.test(l)).join("\n");
  let json: unknown;
  try {
    json = stdout.trim() === "" ? undefined : JSON.parse(stdout);
  } catch {
    process.stdout.write(stdout);
  }
  const lastError = stderr.trim().split("\n").at(-1) ?? "";
  return { exitCode, json, lastError, outputs: mergeOutputs(outputsOf(json, exitCode), fromCli) };
}

/**
 * The action's entry: reads the inputs, masks the secrets, runs the command, sets the outputs, and
 * fails the step (`core.setFailed`) when the command failed or the action could not run.
 */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    maskSecrets(inputs.workingDirectory, inputs.env);
    const result = await runCommand(inputs);
    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
    if (result.exitCode !== 0) core.setFailed(`dagship ${inputs.command.join(" ")} failed (exit ${result.exitCode})${result.lastError ? `: ${result.lastError}` : ""}`);
  } catch (error) {
    const e = error as Error & { code?: string; hint?: string };
    core.setFailed(e instanceof DagshipError ? `${e.code} ${e.message}${e.hint ? ` (hint: ${e.hint})` : ""}` : e.message);
  }
}
