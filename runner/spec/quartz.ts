import { Cron } from "croner";

const FIELDS = ["seconds", "minutes", "hours", "day-of-month", "month", "day-of-week", "year"] as const;
const MAX = [59, 59, 23, 31, 12, 7, 9999];

/** A parsed Quartz schedule, or the reason the expression is invalid. */
export type QuartzResult = { ok: true; cron: Cron } | { ok: false; message: string; hint: string };

const EXAMPLE = 'e.g. "0 0 3 * * ?" (03:00 every day) or "0 */15 9-17 ? * MON-FRI"';

/**
 * Parses a Quartz cron expression (Databricks' `quartz_cron_expression`) in an IANA time zone.
 * Quartz's rules are enforced on top of croner: 6 or 7 fields starting with seconds, exactly one
 * of day-of-month and day-of-week is `?`, day-of-week is 1-7 (1 = Sunday) or SUN-SAT, and
 * `start/step` increments are supported.
 *
 * @example
 * ```ts
 * const q = parseQuartz("0 0/30 8-18 ? * MON-FRI", "Europe/Amsterdam");
 * if (q.ok) console.log(q.cron.nextRun());
 * ```
 */
export function parseQuartz(expression: string, timezone: string): QuartzResult {
  const key = `${expression}\u0000${timezone}`;
  let result = parsed.get(key);
  if (!result) parsed.set(key, (result = parse(expression, timezone)));
  return result;
}

/** Jobs share a few schedules: each distinct expression and zone is parsed once. */
const parsed = new Map<string, QuartzResult>();

function parse(expression: string, timezone: string): QuartzResult {
  const parts = expression.trim().split(/\s+/);
  if (parts.length < 6 || parts.length > 7) {
    return { ok: false, message: `has ${parts.length} field${parts.length === 1 ? "" : "s"}; Quartz expressions have 6 or 7 (${FIELDS.join(" ")})`, hint: `the first field is seconds: ${EXAMPLE}` };
  }
  const dom = parts[3]!;
  const dow = parts[5]!;
  if ((dom === "?") === (dow === "?")) {
    return { ok: false, message: "Quartz needs \"?\" in exactly one of day-of-month and day-of-week", hint: `use "?" in the field you do not restrict: ${EXAMPLE}` };
  }
  const badDay = dow.split(/[,\-/]/).map((tok) => tok.split("#")[0]!.replace(/L$/, "")).find((tok) => /^\d+$/.test(tok) && (Number(tok) < 1 || Number(tok) > 7));
  if (badDay !== undefined) {
    return { ok: false, message: `day-of-week ${badDay} is out of range`, hint: "Quartz numbers days 1-7 with 1 = Sunday, or use SUN-SAT" };
  }
  const pattern = parts.map((field, i) => field.replace(/^(\d+)\/(\d+)$/, `$1-${MAX[i]}/$2`)).join(" ");
  let cron: Cron;
  try {
    cron = new Cron(pattern, { mode: "6-or-7-parts", alternativeWeekdays: true, paused: true, timezone });
  } catch (error) {
    return { ok: false, message: String((error as Error).message).replace(/^CronPattern: /, ""), hint: EXAMPLE };
  }
  if (!cron.nextRun()) return { ok: false, message: "never fires (no future time matches it)", hint: "check the day-of-month, month and year fields" };
  return { ok: true, cron };
}

/** Whether `id` is an IANA time zone this runtime knows (as Databricks, via Java, does). */
export function isTimeZone(id: string): boolean {
  let known = zones.get(id);
  if (known === undefined) {
    try {
      known = id.trim() !== "" && Boolean(new Intl.DateTimeFormat("en-US", { timeZone: id }));
    } catch {
      known = false;
    }
    zones.set(id, known);
  }
  return known;
}

const zones = new Map<string, boolean>();

/** Every time zone name known to the runtime, for suggestions. */
export function timeZones(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone")];
}
