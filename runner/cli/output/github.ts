import type { Diagnostic } from "../../spec/diagnostics.js";

/**
 * A GitHub Actions workflow command that annotates `file:line:col` with the diagnostic, e.g.
 * `::error file=jobs/a/job.json,line=3,col=5,title=DS1004::task "b" depends on ...`.
 * Data and property values are escaped as the Actions runner expects.
 */
export function annotation(d: Diagnostic): string {
  const props = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`, `title=${escapeProperty(`${d.code} ${d.file}`)}`].join(",");
  const body = d.hint ? `${d.message} (hint: ${d.hint})` : d.message;
  return `::${d.severity} ${props}::${escapeData(body)}\n`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
