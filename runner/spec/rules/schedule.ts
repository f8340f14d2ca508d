import { isTimeZone, parseQuartz, timeZones } from "../quartz.js";
import { closest } from "../suggest.js";
import type { Rule } from "./context.js";

/** DS1012 invalid Quartz cron expressions, DS1013 unknown time zones. */
export const schedule: Rule = ({ job, report }) => {
  const s = job.schedule;
  if (!s) return;
  const zoneOk = isTimeZone(s.timezone_id);
  if (!zoneOk && s.timezone_id !== "") {
    const best = closest(s.timezone_id, timeZones());
    report({ pointer: "/schedule/timezone_id", code: "DS1013", message: `unknown time zone "${s.timezone_id}"`, hint: best ? `did you mean "${best}"?` : 'use an IANA name such as "UTC" or "Europe/Amsterdam"' });
  }
  if (s.quartz_cron_expression === "") return;
  const q = parseQuartz(s.quartz_cron_expression, zoneOk ? s.timezone_id : "UTC");
  if (!q.ok) report({ pointer: "/schedule/quartz_cron_expression", code: "DS1012", message: `cron expression "${s.quartz_cron_expression}" ${q.message}`, hint: q.hint });
};
