import { isTimeZone, parseQuartz } from "../../spec/quartz.js";
import { isObj, type Dropped, type Obj } from "./types.js";

/** A dagship schedule. */
export interface Schedule {
  quartz_cron_expression: string;
  timezone_id: string;
  pause_status?: "PAUSED" | "UNPAUSED";
}

/** The outcome of converting a job's `schedule` and `trigger`. */
export interface ScheduleResult {
  schedule?: Schedule;
  dropped: Dropped[];
  notes: string[];
  /** Whether `trigger` was dealt with (converted, or reported here). */
  triggerHandled: boolean;
}

/**
 * Converts a job's `schedule` (Quartz cron, same syntax in dagship) and, when there is no
 * schedule, a periodic `trigger` whose cadence a Quartz expression can keep: every N hours with
 * N dividing 24, or every day. A periodic trigger counts from the previous run while a Quartz
 * schedule fires at fixed times, so the converted schedule fires at the same cadence but at
 * fixed clock times (UTC); that is noted. A schedule that would not validate (bad expression
 * or time zone) is dropped and reported, so the imported job always validates.
 *
 * @example
 * ```ts
 * convertSchedule({ trigger: { periodic: { interval: 1, unit: "DAYS" } } }).schedule;
 * // → { quartz_cron_expression: "0 0 0 * * ?", timezone_id: "UTC", pause_status: "UNPAUSED" }
 * ```
 */
export function convertSchedule(settings: Obj): ScheduleResult {
  const result: ScheduleResult = { dropped: [], notes: [], triggerHandled: false };
  const pause = (v: unknown) => (v === "PAUSED" || v === "UNPAUSED" ? v : undefined);
  if (isObj(settings.schedule)) {
    const s = settings.schedule;
    const cron = typeof s.quartz_cron_expression === "string" ? s.quartz_cron_expression.trim() : "";
    let tz = typeof s.timezone_id === "string" && s.timezone_id.trim() ? s.timezone_id.trim() : "";
    if (!tz) {
      tz = "UTC";
      result.notes.push("schedule had no timezone_id: UTC is used");
    }
    const problem = !cron ? "it has no quartz_cron_expression" : !isTimeZone(tz) ? `time zone "${tz}" is unknown` : checkCron(cron, tz);
    if (problem) {
      result.dropped.push({ field: "schedule", reason: `${problem}: the job is imported without a schedule` });
    } else {
      const p = pause(s.pause_status);
      result.schedule = { quartz_cron_expression: cron, timezone_id: tz, ...(p ? { pause_status: p } : {}) };
      if (s.pause_status !== undefined && !p) result.notes.push(`schedule pause_status ${JSON.stringify(s.pause_status)} is not PAUSED or UNPAUSED: left out (UNPAUSED)`);
    }
  }
  const trigger = settings.trigger;
  if (!isObj(trigger)) return result;
  const periodic = isObj(trigger.periodic) ? trigger.periodic : undefined;
  if (!periodic) return result;
  result.triggerHandled = true;
  const others = Object.keys(trigger).filter((k) => k !== "periodic" && k !== "pause_status");
  for (const k of others) result.dropped.push({ field: `trigger.${k}`, reason: "file-arrival and table-update triggers are not supported: schedule the job or run it from CI" });
  const every = `every ${String(periodic.interval)} ${String(periodic.unit).toLowerCase()}`;
  if (result.schedule) {
    result.dropped.push({ field: "trigger.periodic", reason: `the job also has a schedule, which is kept; the periodic trigger (${every}) is not` });
    return result;
  }
  const cron = periodicCron(periodic.interval, periodic.unit);
  if (!cron) {
    result.dropped.push({ field: "trigger.periodic", reason: `a periodic trigger (${every}, counted from the previous run) has no Quartz equivalent: add a schedule by hand` });
    return result;
  }
  const p = pause(trigger.pause_status);
  result.schedule = { quartz_cron_expression: cron, timezone_id: "UTC", pause_status: p ?? "UNPAUSED" };
  result.notes.push(`the periodic trigger (${every}) became the schedule "${cron}" (UTC): same cadence, but at fixed clock times instead of counted from the previous run`);
  return result;
}

/** The Quartz expression with the cadence of a periodic trigger, when there is one. */
export function periodicCron(interval: unknown, unit: unknown): string | undefined {
  const n = typeof interval === "number" ? interval : Number(interval);
  if (!Number.isInteger(n) || n < 1) return undefined;
  if ((unit === "DAYS" && n === 1) || (unit === "HOURS" && n === 24)) return "0 0 0 * * ?";
  if (unit === "HOURS" && 24 % n === 0) return n === 1 ? "0 0 * * * ?" : `0 0 0/${n} * * ?`;
  return undefined;
}

function checkCron(cron: string, tz: string): string | undefined {
  if (cron.includes("{{") || cron.includes("${")) return `the cron expression ${JSON.stringify(cron)} is templated`;
  const q = parseQuartz(cron, tz);
  return q.ok ? undefined : `the cron expression ${JSON.stringify(cron)} ${q.message}`;
}
