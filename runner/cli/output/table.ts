/**
 * A plain text table with a header row and aligned columns (no colour, safe for CI logs).
 *
 * @example
 * ```ts
 * formatTable(["task", "state"], [["a", "SUCCESS"]]); // "task  state\na     SUCCESS\n"
 * ```
 */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/** `1.2 s`, `340 ms`, `2 min 5 s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A short JSON rendering of task values for a table cell. */
export function formatValues(values: Record<string, unknown>, max = 60): string {
  const text = Object.entries(values)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(" ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
