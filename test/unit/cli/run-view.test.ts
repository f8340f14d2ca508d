import { afterEach, describe, expect, it, vi } from "vitest";
import { createMasker } from "../../../runner/workspace/secrets.js";

const masker = (secrets: string[]) => createMasker(secrets).text;
import { liveView, plainView } from "../../../runner/cli/output/run-view.js";

const identity = (s: string) => s;

describe("plainView", () => {
  it("prints one timestamped line per state change, log line and progress message", () => {
    const out: string[] = [];
    const view = plainView((s) => out.push(s), identity);
    view.event({ run_id: "r", type: "task", key: "a", state: "RUNNING", attempt: 1 });
    view.event({ run_id: "r", type: "log", key: "a", level: "info", message: "hello", at: "2026-01-01T00:00:00.000Z" });
    view.event({ run_id: "r", type: "progress", key: "a", fraction: 0.5, message: "half" });
    view.event({ run_id: "r", type: "task", key: "a", state: "FAILED", error: "boom" });
    expect(out[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z a RUNNING attempt 1\n$/);
    expect(out[1]).toBe("2026-01-01T00:00:00.000Z a | info: hello\n");
    expect(out[2]).toMatch(/ a 50% half\n$/);
    expect(out[3]).toMatch(/ a FAILED \d+ ms: boom\n$/);
  });

  it("masks secrets in every line", () => {
    const out: string[] = [];
    const view = plainView((s) => out.push(s), masker(["s3cret"]));
    view.event({ run_id: "r", type: "log", key: "a", level: "warn", message: "token s3cret", at: "t" });
    expect(out.join("")).toBe("t a | warn: token ***\n");
  });
});

describe("liveView", () => {
  afterEach(() => vi.useRealTimers());

  it("redraws a block of running tasks and prints finished tasks once above it", () => {
    vi.useFakeTimers();
    const out: string[] = [];
    const view = liveView((s) => out.push(s), identity);
    view.event({ run_id: "r", type: "task", key: "train", state: "RUNNING", attempt: 2 });
    view.event({ run_id: "r", type: "progress", key: "train", fraction: 0.25, message: "epoch 1" });
    vi.advanceTimersByTime(100);
    expect(out.at(-1)).toMatch(/^⠋ train \(attempt 2\) \d+ ms  25% epoch 1\n$/);
    view.event({ run_id: "r", type: "task", key: "train", state: "SUCCESS" });
    vi.advanceTimersByTime(100);
    // Erase the one-line block, print the finished task, draw no running line.
    expect(out.at(-1)).toMatch(/^\x1b\[1A\x1b\[J✓ train SUCCESS \d+ ms\n$/);
    view.stop();
    expect(out.at(-1)).toBe("");
  });
});

describe("createMasker", () => {
  it("masks the longest secret first and ignores empty ones", () => {
    expect(masker(["ab", "abcd", ""])("x abcd ab")).toBe("x *** ***");
    expect(masker([])("same")).toBe("same");
  });
});
