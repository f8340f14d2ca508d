import { JOB_NAME_PATTERN, TASK_KEY_PATTERN } from "../../spec/names.js";

const MAX_LENGTH = 100;
const JOB_NAME = new RegExp(JOB_NAME_PATTERN);
const TASK_KEY = new RegExp(TASK_KEY_PATTERN);
const PARAMETER = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** `${...}` bundle interpolations and `{{ }}` placeholders: they name deployments, not jobs. */
const INTERPOLATION = /\$\{[^{}]*\}|\{\{[^{}]*\}\}/g;

/** Whether a string is a valid dagship job name (`^[a-z0-9][a-z0-9_-]*$`, at most 100 characters). */
export function isJobName(name: string): boolean {
  return JOB_NAME.test(name) && name.length <= MAX_LENGTH;
}

/**
 * A valid dagship job name from a Databricks job name: interpolations such as
 * `${bundle.target}` or `{{project_name}}` are removed (an environment names the deployment in
 * dagship), letters are lowercased and every run of other characters becomes `-`. Falls back
 * to `fallback` (e.g. the bundle resource key) and then to `job` when nothing is left.
 *
 * @example
 * ```ts
 * jobNameFrom("${bundle.target}-mlops_stacks-model-training-job", "model_training_job"); // "mlops_stacks-model-training-job"
 * jobNameFrom("Pipeline DL Image train", "x"); // "pipeline-dl-image-train"
 * ```
 */
export function jobNameFrom(name: string | undefined, fallback = "job"): string {
  const clean = (s: string) =>
    s
      .replace(INTERPOLATION, "-")
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9_-]+/g, "-")
      .replace(/-{2,}/g, "-")
      .replace(/^[-_]+/, "")
      .slice(0, MAX_LENGTH)
      .replace(/-+$/, "");
  return clean(name ?? "") || clean(fallback) || "job";
}

/**
 * A valid task key (`^[A-Za-z0-9_-]+$`, at most 100 characters): every run of other characters
 * becomes `_`. Databricks task keys are usually valid already and are kept as they are.
 */
export function taskKeyFrom(key: string): string {
  if (TASK_KEY.test(key) && key.length <= MAX_LENGTH) return key;
  return key.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, MAX_LENGTH).replace(/^_+(?=.)/, "") || "task";
}

/** A valid job parameter name (`^[A-Za-z_][A-Za-z0-9_.-]*$`, at most 100 characters). */
export function parameterNameFrom(name: string): string {
  if (PARAMETER.test(name) && name.length <= MAX_LENGTH) return name;
  const s = name.replace(/[^A-Za-z0-9_.-]+/g, "_");
  return (/^[A-Za-z_]/.test(s) ? s : `_${s}`).slice(0, MAX_LENGTH);
}

/**
 * `base`, or `base-2`, `base-3`, ... (with `sep`), whichever `taken` does not hold (compared
 * case-insensitively when `caseless`, for file names); the result is added to `taken`.
 */
export function unique(base: string, taken: Set<string>, sep = "-", caseless = false): string {
  const key = (s: string) => (caseless ? s.toLowerCase() : s);
  let name = base;
  for (let n = 2; taken.has(key(name)); n++) {
    const suffix = `${sep}${n}`;
    name = base.slice(0, MAX_LENGTH - suffix.length) + suffix;
  }
  taken.add(key(name));
  return name;
}

/** A reference path segment as dagship writes it: bare when it is a plain name, else `[...]`. */
export function segment(name: string): string {
  return /^[A-Za-z0-9_$-]+$/.test(name) ? name : `[${name}]`;
}
