import { hostname } from "node:os";
import { processStartTime } from "./process-start.js";

export { processStartTime } from "./process-start.js";

/** Whether `pid` is alive and, when `startTime` is known, is still the same process. */
export function isAlive(pid: number, startTime?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  if (startTime === undefined) return true;
  const now = processStartTime(pid);
  return now === undefined || now === startTime;
}

/** Sends `signal` to a whole process group; false when the group no longer exists. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills what is left of a task's process group after its runner died. Skipped when the group
 * leader's pid now belongs to another process (its start time differs): Linux does not hand out
 * a pid still in use as a process group id, so otherwise the group is the task's.
 */
export function killTaskGroup(pid: number, startTime: string | undefined): void {
  const now = processStartTime(pid);
  if (now !== undefined && startTime !== undefined && now !== startTime) return;
  killGroup(pid, "SIGKILL");
}

/**
 * Whether a runner recorded as `runner` is still running. A runner on another host (a workspace
 * on a shared mount) cannot be checked from here and counts as alive.
 */
export function runnerAlive(runner: { pid: number; host: string; start?: string }): boolean {
  if (runner.host !== hostname()) return true;
  return isAlive(runner.pid, runner.start);
}
