import type { Diagnostic } from "../../spec/diagnostics.js";

/** `@babel/code-frame`'s `codeFrameColumns`, loaded only for interactive output. */
export type CodeFrame = typeof import("@babel/code-frame").codeFrameColumns;

/**
 * Compiler-style lines for people:
 * `jobs/train/job.json:12:9 error DS1004 task "b" depends on unknown task "nope" (known tasks: a, c)`
 * followed by the hint and, when `sources` has the file's text, a code frame.
 */
export function formatDiagnostic(d: Diagnostic, frames?: { sources: ReadonlyMap<string, string>; codeFrame: CodeFrame }): string {
  let out = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}\n`;
  if (d.hint) out += `  hint: ${d.hint}\n`;
  const text = frames?.sources.get(d.file);
  if (frames && text !== undefined && text.length < 1_000_000) {
    const frame = frames.codeFrame(text, { start: { line: d.line, column: d.column } }, { linesAbove: 1, linesBelow: 1 });
    out += frame.replace(/^/gm, "  ") + "\n";
  }
  return out;
}

/** `2 errors in 1 file` / `no errors`. */
export function summarise(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const files = new Set(diagnostics.map((d) => d.file)).size;
  if (errors === 0) return "no errors";
  return `${errors} error${errors === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}`;
}
