import type { EngineEvent } from "../../engine/context.js";
import { formatDuration } from "./table.js";

type Event = EngineEvent & { run_id: string };

/** What a command shows while a run goes on. */
export interface RunView {
  event(e: Event): void;
  stop(): void;
}

const FINAL = new Set(["SUCCESS", "FAILED", "TIMEDOUT", "CANCELED", "SKIPPED", "UPSTREAM_FAILED", "EXCLUDED"]);
const MARK: Record<string, string> = { SUCCESS: "✓", FAILED: "✗", TIMEDOUT: "⏱", CANCELED: "⊘", SKIPPED: "–", UPSTREAM_FAILED: "↯", EXCLUDED: "·" };
const SPIN = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * Plain, timestamped lines, one per state change and log line: for CI logs and pipes.
 *
 * @example
 * `2026-11-20T23:59:01.123Z generate RUNNING attempt 1`
 */
export function plainView(write: (s: string) => void, mask: (s: string) => string): RunView {
  const started = new Map<string, number>();
  return {
    event(e) {
      const at = new Date().toISOString();
      if (e.type === "task") {
        if (e.state === "RUNNING") started.set(e.key, Date.now());
        const took = FINAL.has(e.state) && started.has(e.key) ? ` ${formatDuration(Date.now() - started.get(e.key)!)}` : "";
        write(mask(`${at} ${e.key} ${e.state}${e.attempt ? ` attempt ${e.attempt}` : ""}${took}${e.error ? `: ${e.error}` : ""}\n`));
      } else if (e.type === "log") {
        write(mask(`${e.at} ${e.key} | ${e.level}: ${e.message}\n`));
      } else if (e.message) {
        write(mask(`${at} ${e.key} ${Math.round(e.fraction * 100)}% ${e.message}\n`));
      }
    },
    stop() {},
  };
}

/**
 * A live view for terminals: finished tasks are printed once, above a block that is redrawn ten
 * times a second with one line per running task (spinner, elapsed time, progress, message).
 */
export function liveView(write: (s: string) => void, mask: (s: string) => string, columns = 100): RunView {
  const running = new Map<string, { since: number; attempt: number; fraction?: number; message?: string }>();
  let drawn = 0;
  let frame = 0;
  let pending = "";
  const render = () => {
    let out = drawn > 0 ? `\x1b[${drawn}A\x1b[J` : "";
    out += pending;
    pending = "";
    const lines = [...running].map(([key, r]) => {
      const pct = r.fraction === undefined ? "" : ` ${String(Math.round(r.fraction * 100)).padStart(3)}%`;
      const retry = r.attempt > 1 ? ` (attempt ${r.attempt})` : "";
      return `${SPIN[frame % SPIN.length]} ${key}${retry} ${formatDuration(Date.now() - r.since)}${pct}${r.message ? ` ${r.message}` : ""}`.slice(0, columns - 1);
    });
    out += lines.map((l) => mask(l) + "\n").join("");
    drawn = lines.length;
    frame++;
    write(out);
  };
  const timer = setInterval(render, 100);
  return {
    event(e) {
      if (e.type === "task" && e.state === "RUNNING") running.set(e.key, { since: Date.now(), attempt: e.attempt ?? 1 });
      else if (e.type === "task" && FINAL.has(e.state)) {
        const r = running.get(e.key);
        running.delete(e.key);
        pending += mask(`${MARK[e.state]} ${e.key} ${e.state}${r ? ` ${formatDuration(Date.now() - r.since)}` : ""}${e.error ? `: ${e.error}` : ""}\n`);
      } else if (e.type === "progress") {
        const r = running.get(e.key);
        if (r) Object.assign(r, { fraction: e.fraction, message: e.message });
      }
    },
    stop() {
      clearInterval(timer);
      render();
    },
  };
}
