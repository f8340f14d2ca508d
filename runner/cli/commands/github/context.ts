import { readFileSync } from "node:fs";
import type { Io } from "../../io.js";

/**
 * The pull request number of the run: `--pr`, else `pull_request.number` of the event payload at
 * GITHUB_EVENT_PATH. Undefined outside a pull request.
 */
export function pullRequestNumber(flag: string | undefined, io: Io): number | undefined {
  if (flag !== undefined) return Number(flag);
  const file = io.env.GITHUB_EVENT_PATH;
  if (!file) return undefined;
  try {
    const event = JSON.parse(readFileSync(file, "utf8")) as { pull_request?: { number?: unknown } };
    return typeof event.pull_request?.number === "number" ? event.pull_request.number : undefined;
  } catch {
    return undefined;
  }
}

/** An Io that keeps what is written to stdout (stderr passes through). */
export function capturingIo(io: Io): { io: Io; text: () => string } {
  let out = "";
  return { io: { ...io, isTTY: false, stdout: (t) => void (out += t) }, text: () => out };
}
