import { UsageError } from "../../../errors.js";
import type { EnvironmentContext } from "../../../workspace/environment.js";
import { parseCommandArgs } from "../../args.js";
import type { Io } from "../../io.js";
import { cell, diffSummaryMarkdown, modelMarkdown } from "../../output/summary.js";
import { appendSummary } from "../actions.js";
import { environmentOf } from "../common.js";
import { capturingIo, pullRequestNumber } from "./context.js";

/** Validation problems listed in the report; the rest are counted. */
const FIRST_ERRORS = 10;

/**
 * `dagship github pr-report --env <env> [--pr N] [--require]`: the plan, the validation results and
 * the latest model evaluation as one markdown report, upserted as the PR's sticky comment.
 * Without GITHUB_TOKEN or a pull request number, or with a token that may not comment (403, a PR
 * from a fork), it prints the report and says why it was not posted: exit 0, or 2 with --require.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("github pr-report", argv, { env: { type: "string" }, pr: { type: "string" }, require: { type: "boolean" } });
  if (positionals.length > 0) throw new UsageError(`dagship github pr-report takes no arguments, got ${positionals.join(" ")}`);
  if (typeof values.env !== "string") throw new UsageError("dagship github pr-report needs --env <env>", { hint: "e.g. dagship github pr-report --env staging" });
  const prFlag = typeof values.pr === "string" ? values.pr : undefined;
  if (prFlag !== undefined && !/^[1-9]\d*$/.test(prFlag)) throw new UsageError(`--pr must be a pull request number, got "${prFlag}"`);
  const env = environmentOf({ ...values, json: true }, io);
  const report = [await planSection(env, io), await validationSection(env.name, io), await modelSection(env)].join("\n");
  appendSummary(report, io);

  const pr = pullRequestNumber(prFlag, io);
  const token = io.env.GITHUB_TOKEN ?? "";
  const why = !token ? "GITHUB_TOKEN is not set" : pr === undefined ? "not in a pull request (no --pr, and GITHUB_EVENT_PATH has no pull_request.number)" : undefined;
  if (why !== undefined) {
    io.stdout(report);
    io.stderr(`note: the report was not posted: ${why}\n`);
    return values.require ? 2 : 0;
  }
  const { createClient, GitHubApiError, runContext, upsertPrComment } = await import("../../../github/index.js");
  const ctx = runContext(io.env);
  let result;
  try {
    result = await upsertPrComment(createClient(token, ctx), ctx, pr!, report);
  } catch (error) {
    // A pull request from a fork gets a read-only token whatever the workflow asks for.
    if (!(error instanceof GitHubApiError) || error.status !== 403) throw error;
    io.stdout(report);
    io.stderr(`note: the report was not posted: the token may not comment (${error.message})\n`);
    return values.require ? 2 : 0;
  }
  if (values.json) io.stdout(JSON.stringify({ posted: true, pr, action: result.action, comment_id: result.id, url: result.url }, null, 2) + "\n");
  else io.stdout(`${report}\n✓ ${result.action} the dagship report on #${pr}: ${result.url}\n`);
  return 0;
}

/** The plan: `diff` against the environment, or why it could not be made. */
async function planSection(env: EnvironmentContext, io: Io): Promise<string> {
  const { diffDeployment } = await import("../../../deploy/diff.js");
  const d = await diffDeployment({ env, cwd: io.cwd, processEnv: io.env });
  if (d.ok) return diffSummaryMarkdown(d);
  const n = d.diagnostics.filter((x) => x.severity === "error").length + d.bundleErrors.length;
  return `## dagship plan for ${cell(env.name)}\n\nNo plan: ${n} problem${n === 1 ? "" : "s"} in what ${cell(env.name)} would get (see the validation below).\n` + d.bundleErrors.map((e) => `- ${cell(e)}\n`).join("");
}

/** `dagship validate --env <env>`: the count and the first problems. */
async function validationSection(envName: string, io: Io): Promise<string> {
  const { run: validate } = await import("../validate.js");
  // Outside Actions mode: the workflow's own validate step annotates the commit, not the report.
  const captured = capturingIo({ ...io, env: { ...io.env, GITHUB_ACTIONS: "" } });
  await validate(["--env", envName, "--json"], captured.io);
  const r = JSON.parse(captured.text()) as { ok: boolean; errors: Array<{ file: string; line: number; column: number; code: string; message: string }>; checked: { jobs: string[]; environments: string[] } };
  const what = `${r.checked.jobs.length} job(s) and ${r.checked.environments.length} environment file(s)`;
  if (r.ok) return `## ✅ Validation\n\n${what}: valid.\n`;
  const lines = r.errors.slice(0, FIRST_ERRORS).map((e) => `- \`${e.file}:${e.line}:${e.column}\` ${e.code}: ${cell(e.message)}\n`);
  const more = r.errors.length > FIRST_ERRORS ? `- … and ${r.errors.length - FIRST_ERRORS} more\n` : "";
  return `## ❌ Validation\n\n${r.errors.length} problem(s) in ${what}:\n\n${lines.join("")}${more}`;
}

/** The model versions the environment's latest run that registered any did register, against the champion. */
async function modelSection(env: EnvironmentContext): Promise<string> {
  try {
    const { RunStore } = await import("../../../workspace/store.js");
    const { modelsOfRun } = await import("../actions.js");
    for (const record of new RunStore(env.workspace).list({ limit: 50 })) {
      const models = await modelsOfRun(record, env);
      if (models.length > 0) return `## Model evaluation (run \`${record.run_id}\` of ${cell(record.job)} in ${cell(env.name)})\n\n` + models.map(modelMarkdown).join("\n");
    }
  } catch {
    // No runs or no registry in the workspace yet: no report.
  }
  return `## Model evaluation\n\nNo model report: no run in ${cell(env.name)} has registered a model yet.\n`;
}
