/** Formatting for the report page: durations, times, state classes. */

/**
 * `1.2 s`, `340 ms`, `2 min 5 s`; empty for undefined.
 *
 * @example
 * ```ts
 * duration(1234); // "1.2 s"
 * ```
 */
export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Milliseconds since the epoch of an ISO time (NaN when absent). */
export function time(iso: string | undefined): number {
  return iso ? Date.parse(iso) : Number.NaN;
}

/** A local date and time, e.g. `2026-11-21 01:56:44`. */
export function localTime(iso: string | undefined): string {
  const t = time(iso);
  if (!Number.isFinite(t)) return "";
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const CLASS_OF: Record<string, string> = {
  SUCCESS: "success",
  FAILED: "failed",
  TIMEDOUT: "failed",
  UPSTREAM_FAILED: "upstream",
  CANCELED: "upstream",
  SKIPPED: "skipped",
  EXCLUDED: "excluded",
  RUNNING: "running",
  PENDING: "pending",
};

/**
 * The CSS class of a task, attempt or run state (`st-success`, `st-failed`, ...).
 *
 * @example
 * ```ts
 * stateClass("TIMEDOUT"); // "st-failed"
 * ```
 */
export function stateClass(state: string): string {
  return `st-${CLASS_OF[state] ?? "pending"}`;
}

/** `text` cut to `max` characters with an ellipsis. */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}
