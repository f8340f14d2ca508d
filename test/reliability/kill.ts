/**
 * Starting a real dagship command and SIGKILLing it at a chosen moment: the crash suites' fault.
 */
import { spawn } from "node:child_process";
import { CLI } from "../e2e/cli.js";

/** What became of a command the harness meant to kill. */
export interface KillOutcome {
  /** Milliseconds after the spawn when SIGKILL was sent; null when the command had ended first. */
  killedAtMs: number | null;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface KillPlan {
  cwd: string;
  /** Extra environment (e.g. the marker every process of the command inherits). */
  env?: Record<string, string>;
  /** When given, the delay counts from the moment this first returns true (polled every 5 ms). */
  after?: () => boolean;
  /** How long to wait (after `after`, or after the spawn) before the SIGKILL. */
  delayMs: number;
}

/**
 * Spawns `node bin/dagship.js ...args` and sends it SIGKILL `plan.delayMs` after the spawn (or
 * after `plan.after()` first holds). Only the command's own process is killed: what it started
 * in process groups of their own is left to dagship, which is what the suites check.
 *
 * @example
 * const k = await runAndKill(["deploy", "--env", "staging"], { cwd: repo.dir, delayMs: 300 });
 * k.killedAtMs === null; // the deploy finished within 300 ms
 */
export async function runAndKill(args: readonly string[], plan: KillPlan): Promise<KillOutcome> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: plan.cwd,
    env: { ...process.env, GITHUB_ACTIONS: "", CI: "", DAGSHIP_NO_TTY: "1", DAGSHIP_DEBUG: "", ...plan.env },
    stdio: "ignore",
  });
  let ended = false;
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => {
      ended = true;
      resolve({ code, signal });
    }),
  );
  if (plan.after) {
    while (!ended && !plan.after()) await new Promise((r) => setTimeout(r, 5));
  }
  if (!ended) await Promise.race([new Promise((r) => setTimeout(r, plan.delayMs)), closed]);
  let killedAtMs: number | null = null;
  if (!ended) {
    killedAtMs = Date.now() - started;
    child.kill("SIGKILL");
  }
  const { code, signal } = await closed;
  return { killedAtMs: signal === "SIGKILL" ? killedAtMs : null, code, signal };
}
