import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { schedule } from "../../../runner/spec/rules/schedule.js";
import { jobOf, runRule, tsTask } from "./helpers.js";

const withSchedule = (quartz_cron_expression: unknown, timezone_id: unknown = "UTC") => jobOf([tsTask("a")], { schedule: { quartz_cron_expression, timezone_id } });

// Expressions that "never fire" depend on the clock: pin it so the results do not change with time.
beforeAll(() => {
  vi.useFakeTimers({ now: new Date("2026-01-15T12:00:00Z"), toFake: ["Date"] });
});
afterAll(() => {
  vi.useRealTimers();
});

describe("schedule rule (DS1012, DS1013)", () => {
  it("reports nothing for a job without a schedule", () => {
    expect(runRule(schedule, jobOf([tsTask("a")]))).toEqual([]);
  });

  it.each(["0 0/5 * * * ?", "0 15 10 ? * MON-FRI", "0 0 12 1/2 * ? 2030", "0 0 3 ? * 6#3", "0 0 3 L * ?", "0 0 3 * * ?", "0 */15 9-17 ? * 2-6", "0 0 3 ? * 1,7", "0 0 3 ? * 6L"])(
    "accepts the Quartz expression %j",
    (expression) => {
      expect(runRule(schedule, withSchedule(expression, "Europe/Amsterdam"))).toEqual([]);
    },
  );

  it.each([
    ["0 0 3 * * *", 'needs "?" in exactly one of day-of-month and day-of-week'],
    ["0 0 3 ? * ?", 'needs "?" in exactly one of day-of-month and day-of-week'],
    ["* * * * *", "has 5 fields; Quartz expressions have 6 or 7"],
    ["0 0 0 1 1 ? 2030 x", "has 8 fields"],
    ["0 0 25 * * ?", "hour"],
    ["0 0 3 ? * 8", "day-of-week 8 is out of range"],
    ["0 0 3 ? * 0", "day-of-week 0 is out of range"],
    ["0 0 0 30 2 ?", "never fires"],
    ["0 0 0 1 1 ? 2020", "never fires"],
  ])("rejects the Quartz expression %j", (expression, reason) => {
    const findings = runRule(schedule, withSchedule(expression));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "DS1012", pointer: "/schedule/quartz_cron_expression" });
    expect(findings[0]!.message).toContain(`cron expression "${expression}"`);
    expect(findings[0]!.message).toContain(reason);
    expect(findings[0]!.hint).toBeTruthy();
  });

  it("explains Quartz day-of-week numbering in the hint", () => {
    expect(runRule(schedule, withSchedule("0 0 3 ? * 8"))[0]!.hint).toBe("Quartz numbers days 1-7 with 1 = Sunday, or use SUN-SAT");
  });

  it("tells a five-field Unix cron apart by explaining the seconds field", () => {
    expect(runRule(schedule, withSchedule("* * * * *"))[0]!.hint).toContain("the first field is seconds");
  });

  it("DS1013: an unknown time zone suggests the closest IANA name", () => {
    expect(runRule(schedule, withSchedule("0 0 3 * * ?", "Europe/Amsterdm"))).toEqual([
      { pointer: "/schedule/timezone_id", code: "DS1013", message: 'unknown time zone "Europe/Amsterdm"', hint: 'did you mean "Europe/Amsterdam"?' },
    ]);
  });

  it("DS1013: a zone nothing like a real one gets an example instead", () => {
    expect(runRule(schedule, withSchedule("0 0 3 * * ?", "Mars/Olympus_Mons_Base"))[0]!.hint).toContain('"UTC" or "Europe/Amsterdam"');
  });

  it("still checks the expression (in UTC) when the time zone is unknown", () => {
    expect(runRule(schedule, withSchedule("0 0 3 * * *", "Nowhere/Land")).map((f) => f.code)).toEqual(["DS1013", "DS1012"]);
  });

  it("leaves missing or non-string fields to the schema check", () => {
    expect(runRule(schedule, jobOf([tsTask("a")], { schedule: {} }))).toEqual([]);
    expect(runRule(schedule, withSchedule(5, 6))).toEqual([]);
  });
});
