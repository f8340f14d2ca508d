/** Writing a run's report: into the run's folder at the end of `run` and `repair`, or where `report --html` says. */
import path from "node:path";
import type { RunRecord } from "../workspace/records.js";
import { writeFileAtomic } from "../workspace/atomic.js";
import { RunStore } from "../workspace/store.js";
import { pageAssets } from "./assets.js";
import { ReportWriteError } from "./errors.js";
import { gatherReport, type ReportEnvironment } from "./gather.js";
import { renderReport } from "./render.js";

/** The report's file name in a run's folder. */
export const REPORT_FILE = "report.html";

/**
 * The HTML report of `record` (in `env`'s workspace), secrets masked.
 *
 * @example
 * ```ts
 * const html = await reportHtml(store.read(runId), env);
 * ```
 */
export async function reportHtml(record: RunRecord, env: ReportEnvironment): Promise<string> {
  const runDir = new RunStore(env.workspace).runDir(record.run_id);
  const [data, assets] = await Promise.all([gatherReport(record, runDir, env), pageAssets("report")]);
  return renderReport(data, assets);
}

/**
 * Writes the report of `record` to `file` atomically (a crash leaves the old file or the new one)
 * and returns the absolute path. A file that cannot be written is a {@link ReportWriteError}.
 *
 * @example
 * ```ts
 * await writeReport(record, env, "run.html"); // "/repo/run.html"
 * ```
 */
export async function writeReport(record: RunRecord, env: ReportEnvironment, file: string): Promise<string> {
  const html = await reportHtml(record, env);
  const target = path.resolve(file);
  try {
    writeFileAtomic(target, html);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new ReportWriteError(target, e.code === "ENOENT" ? "its folder does not exist" : e.code === "EISDIR" ? "it is a folder" : (e.code ?? e.message));
  }
  return target;
}

/**
 * Writes the report of a run that has just ended into its folder (`<run folder>/report.html`) and
 * returns the path.
 *
 * @example
 * ```ts
 * await writeRunReport(record, env); // "/repo/.dagship/dev/runs/r2026.../report.html"
 * ```
 */
export function writeRunReport(record: RunRecord, env: ReportEnvironment): Promise<string> {
  return writeReport(record, env, path.join(new RunStore(env.workspace).runDir(record.run_id), REPORT_FILE));
}
