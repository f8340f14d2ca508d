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

/** True when running as a GitHub Actions step (`GITHUB_ACTIONS=true`), and only then. */
export function inActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === "true";
}

/**
 * The `::add-mask::` workflow commands (what `core.setSecret` prints) for each secret value, and
 * for each line of a multi-line one, since the runner masks line by line. Printed on stdout.
 */
export function addMaskCommands(values: readonly string[]): string {
  const parts = new Set<string>();
  for (const v of values) {
    if (!v) continue;
    parts.add(v);
    for (const line of v.split(/\r?\n/)) if (line.trim()) parts.add(line);
  }
  return [...parts].map((v) => `::add-mask::${escapeData(v)}\n`).join("");
}

/**
 * Step outputs in the file-command format `core.setOutput` writes to `GITHUB_OUTPUT`: a heredoc
 * per output with a random delimiter, so values may hold any character, newlines included.
 */
export function outputCommands(outputs: Record<string, string>, delimiter: () => string): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      let d = delimiter();
      while (value.includes(d) || name.includes(d)) d = delimiter();
      return `${name}<<${d}\n${value}\n${d}\n`;
    })
    .join("");
}
