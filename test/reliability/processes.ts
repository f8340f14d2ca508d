/**
 * Finding processes that outlived a crash: by pid and process group (from the run records), and by
 * a marker the harness puts in the killed command's environment, which every task process and
 * grandchild inherits.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Whether `pid` is a live process (a zombie, dead but not yet reaped by its parent, is not). */
export function liveProcess(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Whether any live process is in process group `pgid`. */
export function liveGroup(pgid: number): number[] {
  const out: number[] = [];
  for (const pid of procPids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z" && Number(fields[2]) === pgid) out.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Live processes whose argv or environment holds `marker`, with their command lines. */
export function processesWithMarker(marker: string): Array<{ pid: number; cmdline: string }> {
  const out: Array<{ pid: number; cmdline: string }> = [];
  for (const pid of procPids()) {
    if (pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8");
      if ((cmdline.includes(marker) || environ.includes(marker)) && liveProcess(pid)) out.push({ pid, cmdline: cmdline.replaceAll("\0", " ").trim() });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

/** Polls until `check` returns an empty list (or `ms` pass): survivors get a moment to finish dying. */
export async function untilNone<T>(check: () => T[], ms = 2000): Promise<T[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = check();
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 25));
  }
}

function procPids(): number[] {
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}
