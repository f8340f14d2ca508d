/**
 * Actions mode (`GITHUB_ACTIONS=true`): the job summary, the step outputs of the commands that run jobs (`run`, `repair`), deploy (`deploy`, `diff`) and move models (`models export`, `models promote`); the secrets are
 * masked in ./common.ts environmentOf. Outside Actions every function here does nothing.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import type { EnvironmentContext } from "../../workspace/environment.js";
import type { RunRecord } from "../../workspace/records.js";
import { runJobTasks } from "../../workspace/run-job.js";
import type { Io } from "../io.js";
import { inActions, outputCommands } from "../output/github.js";
import type { GraphTask } from "../output/mermaid.js";
import { promotionSummaryMarkdown, runSummaryMarkdown, type ModelReport } from "../output/summary.js";
import type { PromotionResult } from "../../models/promote.js";
import { maskerOf } from "./common.js";

/** Appends markdown to the step summary file (`GITHUB_STEP_SUMMARY`); a failure to write is a warning, never a failed command. */
export function appendSummary(markdown: string, io: Io): void {
  const file = io.env.GITHUB_STEP_SUMMARY;
  if (!inActions(io.env) || !file) return;
  try {
    appendFileSync(file, markdown + "\n");
  } catch (error) {
    io.stderr(`::warning::dagship could not write the job summary to ${file}: ${(error as Error).message}\n`);
  }
}

/** Appends step outputs to `GITHUB_OUTPUT` (as `core.setOutput` does), in Actions only. */
export function setOutputs(outputs: Record<string, string>, io: Io): void {
  const file = io.env.GITHUB_OUTPUT;
  if (!inActions(io.env) || !file) return;
  try {
    appendFileSync(file, outputCommands(outputs, () => `ghadelimiter_${randomUUID()}`));
  } catch (error) {
    io.stderr(`::warning::dagship could not write the step outputs to ${file}: ${(error as Error).message}\n`);
  }
}

/**
 * After `run` or `repair`: the summary (heading, mermaid DAG, task table, model metrics against
 * the champion) and the outputs `run_id`, `state`, and `model_version` / `promoted` when the run
 * registered a model version.
 */
export async function reportRun(record: RunRecord, env: EnvironmentContext, io: Io): Promise<void> {
  if (!inActions(io.env)) return;
  const models = await modelsOfRun(record, env).catch(() => []);
  appendSummary(runSummaryMarkdown({ record, dependsOn: dependsOnOf(record, env), models, mask: maskerOf(env) }), io);
  const last = models.at(-1);
  setOutputs({ run_id: record.run_id, state: record.state, ...(last ? { model_version: String(last.version), promoted: String(last.promoted) } : {}) }, io);
}

/**
 * After `models promote`: the decision in the summary (the version against the target's champion,
 * the gate and the metrics) and the outputs `model_version` (the target's version) and `promoted`.
 */
export function reportPromotion(result: PromotionResult, io: Io): void {
  if (!inActions(io.env)) return;
  appendSummary(promotionSummaryMarkdown(result), io);
  setOutputs({ model_version: String(result.target_version), promoted: String(result.promoted) }, io);
}

/** `depends_on` of each task of the job the run ran (its job file, working tree or deployment); empty if unreadable. */
export function dependsOnOf(record: RunRecord, env: EnvironmentContext): Record<string, GraphTask["depends_on"]> {
  return Object.fromEntries(Object.entries(runJobTasks(record, env)).map(([key, t]) => [key, t.depends_on]));
}

/**
 * The model versions the run registered (their lineage names the run), each against the champion
 * before the run: the alias move this run made (promoted), else the current champion; with the
 * gate decision the run recorded on it in the audit log. These are where the step outputs
 * `model_version` and `promoted` come from, for the CLI and (through it) the action.
 */
export async function modelsOfRun(record: RunRecord, env: EnvironmentContext): Promise<ModelReport[]> {
  const { modelsOfRun: ofRun } = await import("../../models/of-run.js");
  return ofRun(record.run_id, env);
}
