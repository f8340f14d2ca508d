import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { isAlive, killTaskGroup, processStartTime, runnerAlive } from "../../../runner/workspace/processes.js";

describe("process liveness", () => {
  it("knows this process is alive and a pid with another start time is not it", () => {
    const start = processStartTime(process.pid);
    expect(start).toMatch(/^\d+$/);
    expect(isAlive(process.pid, start)).toBe(true);
    expect(isAlive(process.pid, "1")).toBe(false);
  });

  it("counts a runner on another host as alive (it cannot be checked from here)", () => {
    expect(runnerAlive({ pid: 999_999, host: "elsewhere" })).toBe(true);
    expect(runnerAlive({ pid: 999_999, host: hostname() })).toBe(false);
  });

  it("kills a task's process group, but not a process that reused its pid", async () => {
    const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
    const pid = child.pid!;
    const start = processStartTime(pid);
    killTaskGroup(pid, "12345");
    expect(isAlive(pid)).toBe(true);
    const exited = new Promise((r) => child.on("exit", r));
    killTaskGroup(pid, start);
    await exited;
  });
});
