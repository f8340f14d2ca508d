/**
 * `npm run bench -- --reliability [--trials N] [--json]`: runs the reliability suite (the vitest
 * project `reliability`: crash harnesses and the others) and prints the figures every suite
 * recorded in `test-output/reliability/<suite>.json` as one table (suite, figure, value). A suite
 * that recorded nothing is simply absent; the exit code is the suite's (non-zero when it failed).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "./harness.js";

export const FIGURES_DIR = path.join(PACKAGE_ROOT, "test-output", "reliability");
const VITEST = path.join(PACKAGE_ROOT, "node_modules", "vitest", "vitest.mjs");

/** One suite's figures as test/reliability/figures.ts writes them. */
export interface SuiteFigures {
  suite: string;
  figures: Record<string, number>;
  notes?: string[];
}

/**
 * Runs the suite (fresh: earlier figures are removed first), then reads what it recorded.
 *
 * @example
 * ```ts
 * const { code, suites } = await runReliability({ trials: 200 });
 * ```
 */
export async function runReliability(options: { trials?: number; out?: NodeJS.WritableStream }): Promise<{ code: number; suites: SuiteFigures[] }> {
  rmSync(FIGURES_DIR, { recursive: true, force: true });
  const env = { ...process.env, ...(options.trials === undefined ? {} : { RELIABILITY_TRIALS: String(options.trials) }) };
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [VITEST, "run", "--project", "reliability"], { cwd: PACKAGE_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    // vitest's report goes to stderr: stdout is the table (or the JSON) only.
    child.stdout.pipe(options.out ?? process.stderr, { end: false });
    child.stderr.pipe(options.out ?? process.stderr, { end: false });
    child.on("close", (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    child.on("error", () => resolve(1));
  });
  return { code, suites: readFigures() };
}

/** Every suite's recorded figures, sorted by suite name. */
export function readFigures(dir = FIGURES_DIR): SuiteFigures[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as SuiteFigures);
}

/**
 * The figures as one table: suite, figure, value (and each suite's notes below it).
 *
 * @example
 * ```ts
 * renderFigures([{ suite: "crash-run", figures: { trials: 50 } }]); // "suite      figure  value\n..."
 * ```
 */
export function renderFigures(suites: readonly SuiteFigures[]): string {
  const rows = suites.flatMap((s) => Object.entries(s.figures).map(([name, value]) => [s.suite, name, String(value)]));
  if (rows.length === 0) return "\nno reliability figures were recorded\n";
  const header = ["suite", "figure", "value"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  const notes = suites.flatMap((s) => (s.notes?.length ? [`${s.suite}:`, ...s.notes.map((n) => `  ${n}`)] : []));
  return ["", line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line), "", ...notes, ""].join("\n");
}
