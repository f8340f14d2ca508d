import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { isAlive, processStartTime } from "./processes.js";

/**
 * An exclusive lock held by one process: a file created with O_EXCL holding the owner's pid and
 * start time. A lock whose owner died is stale and taken over. `acquire` waits (polling) up to
 * `timeoutMs`.
 *
 * @example
 * ```ts
 * const release = await acquireLock(".dagship/dev/locks/train.lock");
 * try { ... } finally { release(); }
 * ```
 */
export async function acquireLock(file: string, timeoutMs = 10_000): Promise<() => void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  const owner = JSON.stringify({ pid: process.pid, start: processStartTime(process.pid) ?? null, at: new Date().toISOString() });
  for (;;) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, owner);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (isStale(file)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${file} (held by ${readFileSync(file, "utf8")})`);
    await new Promise((r) => setTimeout(r, 25 + Math.random() * 25));
  }
}

function isStale(file: string): boolean {
  try {
    const { pid, start } = JSON.parse(readFileSync(file, "utf8")) as { pid: number; start: string | null };
    return !isAlive(pid, start ?? undefined);
  } catch {
    // Unreadable or half-written: its owner is between create and write — or crashed there,
    // which a few seconds tell apart.
    try {
      return Date.now() - statSync(file).mtimeMs > 5_000;
    } catch {
      return false;
    }
  }
}
