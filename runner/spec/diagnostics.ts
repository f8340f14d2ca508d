import type { Code } from "./codes.js";

/**
 * One problem found in a job or environment file. `pointer` is an RFC 6901 JSON pointer into
 * the document; `line` and `column` are 1-based and point at the offending value or key.
 *
 * @example
 * ```ts
 * const d: Diagnostic = {
 *   file: "jobs/train/job.json", pointer: "/tasks/1/depends_on/0/task_key", line: 12, column: 9,
 *   code: "DS1004", severity: "error",
 *   message: 'task "b" depends on unknown task "nope"', hint: "known tasks: a, c",
 * };
 * ```
 */
export interface Diagnostic {
  file: string;
  pointer: string;
  line: number;
  column: number;
  code: Code;
  severity: "error" | "warning";
  message: string;
  hint?: string;
}

/** A diagnostic before it is located in its source: rules only know the pointer. */
export interface Finding {
  pointer: string;
  code: Code;
  message: string;
  hint?: string;
  /** Point at the property name rather than its value (unknown or duplicate fields). */
  atKey?: boolean;
  /** Report against another file (e.g. a syntax error inside a task module), already located. */
  at?: { file: string; line: number; column: number };
}

/** Builds an RFC 6901 pointer from path segments. */
export function pointerOf(...segments: Array<string | number>): string {
  let out = "";
  for (const segment of segments) {
    const s = String(segment);
    out += "/" + (s.includes("~") || s.includes("/") ? s.replace(/~/g, "~0").replace(/\//g, "~1") : s);
  }
  return out;
}

/** Splits an RFC 6901 pointer into its segments. */
export function segmentsOf(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Sorts diagnostics by file, then position, then code, so output is stable. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}
