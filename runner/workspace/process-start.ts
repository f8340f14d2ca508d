import { readFileSync } from "node:fs";

/**
 * Process facts used to tell a live runner or task from a dead one whose pid was reused:
 * on Linux a process's start time (in clock ticks since boot) is read from /proc. In a file of its
 * own (no node:os) so the task runtime can record its own.
 *
 * @example
 * ```ts
 * processStartTime(process.pid); // "123456"
 * ```
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}
