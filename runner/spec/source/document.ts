import type { Diagnostic, Finding } from "../diagnostics.js";

/**
 * A parsed configuration file that can place a JSON pointer back in its source text.
 * `value` is undefined when the file could not be parsed; `diagnostics` then says why.
 */
export interface SourceDocument {
  /** The path shown to users (relative to the working directory when inside it). */
  file: string;
  text: string;
  value: unknown;
  /** Syntax-level problems, already located. */
  diagnostics: Diagnostic[];
  /** The 1-based line and column of the value (or, with `atKey`, the key) a pointer names. */
  locate(pointer: string, atKey?: boolean): { line: number; column: number };
}

/** Turns a rule's finding into a located diagnostic of a document. */
export function locateFinding(doc: Pick<SourceDocument, "file" | "locate">, f: Finding): Diagnostic {
  const where = f.at ?? { file: doc.file, ...doc.locate(f.pointer, f.atKey) };
  const d: Diagnostic = {
    file: where.file,
    pointer: f.pointer,
    line: where.line,
    column: where.column,
    code: f.code,
    severity: "error",
    message: f.message,
  };
  if (f.hint !== undefined) d.hint = f.hint;
  return d;
}
