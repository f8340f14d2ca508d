import type { Finding } from "../spec/diagnostics.js";
import { pointerOf } from "../spec/diagnostics.js";
import type { EnvironmentSpec } from "../spec/schema/environment.js";
import type { GitInfo } from "./git.js";
import { mergeJob } from "./merge.js";
import { renderString, templateError, type TemplateContext } from "./template.js";

/** An environment to render jobs for: its validated file and how to locate a pointer in it. */
export interface RenderTarget {
  name: string;
  spec: EnvironmentSpec;
  /** The environment file as shown to users, and a locator of pointers in it. */
  file: string;
  locate(pointer: string): { line: number; column: number };
  git: GitInfo;
}

/**
 * Renders a parsed job for an environment: deploy-time `{{ }}` of the job file and of the
 * environment's override are rendered (strict: unknown names are located errors, in the file that
 * holds them), the override is deep-merged in, and in a development environment (`isolation:
 * branch`) the schedule is forced PAUSED. Returns the very same object when nothing changes, so
 * callers can tell rendered-identical jobs apart cheaply.
 *
 * @example
 * ```ts
 * const { value, findings } = renderJob("train", parsed, target);
 * ```
 */
export function renderJob(name: string, job: unknown, target: RenderTarget, options: { pauseSchedules?: boolean } = {}): { value: unknown; findings: Finding[] } {
  const { overrides: _overrides, ...envFields } = target.spec;
  const context: TemplateContext = { env: envFields, vars: target.spec.vars ?? {}, git: { ...target.git } };
  const findings: Finding[] = [];
  let value = renderValue(job, "", context, (pointer, message) => findings.push({ pointer, code: "DS1029", message, hint: hint(message) }));
  const override = target.spec.overrides?.jobs?.[name];
  if (override !== undefined) {
    const base = pointerOf("overrides", "jobs", name);
    const rendered = renderValue(override, "", context, (pointer, message) =>
      findings.push({ pointer, code: "DS1029", message: `${message} (in the ${target.name} environment's override)`, hint: hint(message), at: { file: target.file, ...target.locate(base + pointer) } }),
    );
    value = mergeJob(value, rendered);
  }
  if (target.spec.isolation === "branch" && options.pauseSchedules !== false) value = pauseSchedule(value);
  return { value, findings };
}

function hint(message: string): string {
  return message.includes("unknown name") ? "deploy-time templates see env.*, vars.* (the environment's vars) and git.branch, git.sha, git.short_sha" : "see the handlebars syntax; run-time references are {{job.*}}, {{task.key}}, {{tasks.<task>.values.<name>}}";
}

/** Fields that must be static (names, keys, module paths): never rendered, so the validator reports templates in them. */
const STATIC = /^(\/name|\/tasks\/\d+\/(task_key|ts_task\/module|ts_task\/export|run_job_task\/job|depends_on\/.*))$/;

function renderValue(value: unknown, pointer: string, context: TemplateContext, fail: (pointer: string, message: string) => void): unknown {
  if (typeof value === "string") {
    if (STATIC.test(pointer)) return value;
    try {
      return renderString(value, context);
    } catch (error) {
      fail(pointer, `cannot render ${JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)}: ${templateError(error)}`);
      return value;
    }
  }
  if (Array.isArray(value)) {
    const out = value.map((v, i) => renderValue(v, `${pointer}/${i}`, context, fail));
    return out.every((v, i) => v === value[i]) ? value : out;
  }
  if (value && typeof value === "object") {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = renderValue(v, pointer + pointerOf(k), context, fail);
      if (out[k] !== v) changed = true;
    }
    return changed ? out : value;
  }
  return value;
}

function pauseSchedule(job: unknown): unknown {
  const schedule = (job as { schedule?: { pause_status?: unknown } } | null)?.schedule;
  if (!schedule || typeof schedule !== "object" || schedule.pause_status === "PAUSED") return job;
  return { ...(job as object), schedule: { ...schedule, pause_status: "PAUSED" } };
}
