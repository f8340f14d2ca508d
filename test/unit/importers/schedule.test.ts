import { describe, expect, it } from "vitest";
import { convertSchedule, periodicCron } from "../../../runner/importers/databricks/schedule.js";

describe("schedule and trigger", () => {
  it("carries a Quartz schedule with its time zone and pause status", () => {
    expect(convertSchedule({ schedule: { quartz_cron_expression: "0 0 9 * * ?", timezone_id: "Europe/Amsterdam", pause_status: "PAUSED" } }).schedule).toEqual({
      quartz_cron_expression: "0 0 9 * * ?",
      timezone_id: "Europe/Amsterdam",
      pause_status: "PAUSED",
    });
  });

  it("uses UTC when the time zone is missing, and drops a schedule that would not validate", () => {
    const r = convertSchedule({ schedule: { quartz_cron_expression: "0 0 9 * * ?" } });
    expect(r.schedule?.timezone_id).toBe("UTC");
    expect(r.notes[0]).toMatch(/UTC/);
    expect(convertSchedule({ schedule: { quartz_cron_expression: "0 0 9 * * *", timezone_id: "UTC" } }).dropped[0]!.field).toBe("schedule");
    expect(convertSchedule({ schedule: { quartz_cron_expression: "0 0 9 * * ?", timezone_id: "Mars/Olympus" } }).dropped[0]!.reason).toMatch(/Mars\/Olympus/);
  });

  it.each([
    [1, "HOURS", "0 0 * * * ?"],
    [6, "HOURS", "0 0 0/6 * * ?"],
    [24, "HOURS", "0 0 0 * * ?"],
    [1, "DAYS", "0 0 0 * * ?"],
    [5, "HOURS", undefined],
    [2, "DAYS", undefined],
    [1, "WEEKS", undefined],
  ])("periodic every %s %s → %s", (interval, unit, cron) => {
    expect(periodicCron(interval, unit)).toBe(cron);
  });

  it("converts a periodic trigger with a Quartz cadence, noting that it fires at fixed times", () => {
    const r = convertSchedule({ trigger: { pause_status: "PAUSED", periodic: { interval: 1, unit: "DAYS" } } });
    expect(r.schedule).toEqual({ quartz_cron_expression: "0 0 0 * * ?", timezone_id: "UTC", pause_status: "PAUSED" });
    expect(r.triggerHandled).toBe(true);
    expect(r.notes[0]).toMatch(/fixed clock times/);
  });

  it("reports a periodic trigger without a Quartz equivalent, and one beside a schedule", () => {
    expect(convertSchedule({ trigger: { periodic: { interval: 2, unit: "WEEKS" } } }).dropped[0]).toEqual({ field: "trigger.periodic", reason: expect.stringMatching(/no Quartz equivalent/) });
    const both = convertSchedule({ schedule: { quartz_cron_expression: "0 0 9 * * ?", timezone_id: "UTC" }, trigger: { periodic: { interval: 1, unit: "HOURS" } } });
    expect(both.schedule?.quartz_cron_expression).toBe("0 0 9 * * ?");
    expect(both.dropped[0]!.field).toBe("trigger.periodic");
  });

  it("leaves other triggers to the job's dropped fields", () => {
    expect(convertSchedule({ trigger: { file_arrival: { url: "s3://x" } } })).toEqual({ dropped: [], notes: [], triggerHandled: false });
  });
});
