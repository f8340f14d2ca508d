import { readFileSync } from "node:fs";
import type { Io } from "../../io.js";

/**
 * The webhook payload of the event that started the workflow run (the JSON file at
 * `GITHUB_EVENT_PATH`), or undefined when there is none or it cannot be read.
 *
 * @example
 * ```ts
 * (eventPayload(process.env) as { pull_request?: { number: number } })?.pull_request?.number;
 * ```
 */
export function eventPayload(env: NodeJS.ProcessEnv): unknown {
  const file = env.GITHUB_EVENT_PATH;
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The pull request number of the run: `--pr`, else `pull_request.number` of the event payload at
 * GITHUB_EVENT_PATH. Undefined outside a pull request.
 */
export function pullRequestNumber(flag: string | undefined, io: Io): number | undefined {
  if (flag !== undefined) return Number(flag);
  const event = eventPayload(io.env) as { pull_request?: { number?: unknown } } | undefined;
  return typeof event?.pull_request?.number === "number" ? event.pull_request.number : undefined;
}

/** An Io that keeps what is written to stdout (stderr passes through). */
export function capturingIo(io: Io): { io: Io; text: () => string } {
  let out = "";
  return { io: { ...io, isTTY: false, stdout: (t) => void (out += t) }, text: () => out };
}
