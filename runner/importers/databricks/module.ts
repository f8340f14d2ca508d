/** What a generated task module says about the task it stands for. */
export interface ModuleInfo {
  /** The Databricks job name (or its location in the file). */
  job: string;
  /** The Databricks task key. */
  task: string;
  kind: string;
  /** E.g. `notebook "../training/Train.py"`. */
  replaces: string;
  /** The original kind block (e.g. the notebook_task object), shown for reference. */
  original: unknown;
  /** The parameter names the task receives as ctx.params. */
  parameters: readonly string[];
  /** Value names downstream tasks read from this task ({{tasks.<key>.values.<name>}}). */
  values: readonly string[];
}

/**
 * The source of a placeholder task module: it compiles and validates (its default export is a
 * `defineTask`), and every run of it fails with `port me: this task replaces ...` until its code
 * is written. The comment keeps what the port needs: the original task definition, the
 * parameters it receives and the values downstream tasks expect it to set.
 *
 * @example
 * ```ts
 * taskModule({ job: "train", task: "Train", kind: "notebook_task", replaces: 'notebook "../Train"', original: {}, parameters: [], values: [] });
 * ```
 */
export function taskModule(info: ModuleInfo): string {
  const message = `port me: this task replaces ${info.replaces}`;
  const original = JSON.stringify(info.original, null, 2) ?? "{}";
  const lines = [
    `Imported from Databricks: task "${info.task}" (${info.kind}) of job "${info.job}".`,
    `It replaces ${info.replaces}. Write its logic here, then remove the throw.`,
    "",
    info.parameters.length ? `ctx.params holds: ${info.parameters.join(", ")} (see "parameters" in job.json).` : "The task has no parameters (add them under ts_task.parameters in job.json).",
    ...(info.values.length
      ? [`Downstream tasks read these values: set each one with ctx.values.set(name, value) (Databricks: dbutils.jobs.taskValues.set):`, `  ${info.values.join(", ")}`]
      : []),
    "",
    `The original ${info.kind}:`,
    ...original.split("\n").map((l) => `  ${l}`),
  ];
  return throwingTask(lines, message);
}

/** A task module documented by `doc` (one comment line each) whose task throws `message`. */
function throwingTask(doc: readonly string[], message: string): string {
  return [
    'import { defineTask } from "dagship";',
    "",
    "/**",
    ...doc.map((l) => ` *${l ? " " + comment(l) : ""}`),
    " */",
    "export default defineTask({",
    "  run() {",
    `    throw new Error(${JSON.stringify(message)});`,
    "  },",
    "});",
    "",
  ].join("\n");
}

/** Text safe inside a block comment. */
function comment(text: string): string {
  return text.replace(/\*\//g, "*\\/");
}

/**
 * The source of the one task of a placeholder job, which stands for a job the source file
 * runs (run_job_task) but does not define.
 */
export function placeholderModule(standsFor: string, hint: string): string {
  const message = `port me: this job stands for ${standsFor}; import or write it`;
  return throwingTask(["Placeholder written by `dagship import databricks`: a run_job_task runs", `${standsFor}, which the imported file does not define.`, hint], message);
}
