/**
 * Shapes shared by the Databricks importer: what it reads (job entries found in a source file),
 * what it produces (dagship job files and task modules) and what it reports (per job and per
 * task: what became what, what was dropped, what changed meaning).
 */

/** The kind of file a Databricks job came from. */
export type SourceKind = "jobs-api" | "bundle" | "dbx";

/** Human names of the source kinds, for output. */
export const SOURCE_KIND_LABEL: Record<SourceKind, string> = {
  "jobs-api": "Databricks Jobs API JSON",
  bundle: "Databricks Asset Bundle YAML",
  dbx: "dbx deployment file",
};

/** The tag that marks a placeholder job: a later import replaces it without --force. */
export const PLACEHOLDER_TAG = { dagship_import: "placeholder" } as const;

/** A plain JSON-like object. */
export type Obj = Record<string, unknown>;

/** Whether a value is a plain object (not null, not an array). */
export function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a value carries nothing (absent, null, "", {} or []): dropping it loses nothing. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObj(value) && Object.keys(value).length === 0;
}

/** One Databricks job found in the source file, before conversion. */
export interface JobEntry {
  /** Where it is in the file, e.g. `resources.jobs.model_training_job` or `settings`. */
  from: string;
  /** The job settings object (Jobs API 2.1 `JobSettings`, or its 2.0 single-task form). */
  settings: Obj;
  /** The bundle resource key (`resources.jobs.<key>`), for `${resources.jobs.<key>.id}`. */
  key?: string;
  /** The numeric Databricks job id, when the file has one (jobs/get, jobs/list). */
  jobId?: string;
  /** Notes found while locating the job (e.g. "defined only in target prod"). */
  notes: string[];
}

/** What the source file holds. */
export interface DetectedSource {
  kind: SourceKind;
  /** A finer description, e.g. "jobs/get response" or "bundle resource file". */
  detail: string;
  jobs: JobEntry[];
  /** Bundle variables: name → { default?, per target }, to suggest environment vars. */
  variables: Map<string, { default?: string; targets: Record<string, string> }>;
  /** Things of the file as a whole that were not imported (e.g. other dbx environments). */
  notes: string[];
}

/** A field that was not carried over, and why. */
export interface Dropped {
  field: string;
  reason: string;
}

/** The port work left in a generated ts_task module. */
export interface PortInfo {
  /** The module, relative to the job's folder. */
  module: string;
  /** What it replaces, e.g. `notebook "../training/Train.py"`. */
  replaces: string;
}

/** What happened to one task. */
export interface TaskReport {
  task_key: string;
  /** The Databricks task kind, e.g. `notebook_task`; `none` when the task had none. */
  kind: string;
  /** The dagship task kind it became. */
  as: "ts_task" | "run_job_task" | "condition_task";
  port?: PortInfo;
  dropped: Dropped[];
  notes: string[];
}

/** Renamings made so that names are valid dagship names. */
export interface Renamed {
  job?: { from: string; to: string };
  tasks?: Record<string, string>;
  parameters?: Record<string, string>;
}

/** What happened to one job. */
export interface JobReport {
  name: string;
  /** The job's folder, as shown to the user. */
  folder: string;
  /** Where the job was in the source file. */
  from: string;
  /** The Databricks job name, when it had one. */
  databricks_name?: string;
  tasks: TaskReport[];
  dropped: Dropped[];
  renamed?: Renamed;
  notes: string[];
  /** Deploy-time variables (`{{vars.x}}`) the job now needs in every environment. */
  vars: string[];
}

/** A job written beside the imported ones to stand for a run_job_task target the file does not define. */
export interface PlaceholderReport {
  name: string;
  folder: string;
  /** What it stands for, e.g. `${resources.jobs.model_training_job.id}` or `the Databricks job with job_id 123`. */
  stands_for: string;
  /** False when a job of that name already existed and was used as it is. */
  written: boolean;
  notes: string[];
}

/** A file to write, relative to a job folder. */
export interface OutputFile {
  path: string;
  content: string;
}

/** One job folder to write. */
export interface JobOutput {
  name: string;
  files: OutputFile[];
  /** Placeholder jobs may be reused when a job of that name already exists. */
  placeholder: boolean;
}
