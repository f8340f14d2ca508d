import path from "node:path";
import { UsageError } from "../../errors.js";
import { runDoctor, type ReportedProblem } from "../../doctor/index.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { environmentOf, maskerOf } from "./common.js";

/**
 * `dagship doctor [--env dev] [--fix] [--json]`: checks the environment's workspace (records parse,
 * checksums match, no dangling aliases or deployment pointers, no stray temporary files, no lock
 * or run of a dead process) and with --fix repairs what is safe. Exit 0 healthy (or all fixed),
 * 1 problems remain.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("doctor", argv, { env: { type: "string" }, fix: { type: "boolean" } });
  if (positionals.length > 0) {
    throw new UsageError(`dagship doctor takes no arguments, got "${positionals[0]}"`, { hint: "dagship doctor [--env <env>] [--fix] [--json]" });
  }
  const env = environmentOf(values, io);
  const mask = maskerOf(env);
  const report = runDoctor(env.workspace, { env: env.name, fix: values.fix === true });
  const rel = (p: string) => path.relative(io.cwd, p) || ".";
  const shown = (p: ReportedProblem) => ({ ...p, path: rel(p.path) });
  const fixed = report.problems.filter((p) => p.fixed);
  if (values.json) {
    io.stdout(mask(JSON.stringify({ ok: report.remaining.length === 0, env: env.name, workspace: rel(report.workspace), exists: report.exists, checks: report.checks, problems: report.problems.map(shown), fixed: fixed.length, remaining: report.remaining.map(shown) }, null, 2)) + "\n");
    return report.remaining.length === 0 ? 0 : 1;
  }
  const lines: string[] = [];
  if (!report.exists) lines.push(`✓ ${rel(report.workspace)} does not exist yet: nothing to check (environment ${env.name})`);
  for (const p of report.problems) {
    lines.push(`${rel(p.path)}: ${p.fixed ? "fixed" : "error"} ${p.code} ${p.message}`);
    if (p.fixed) lines.push(`  fixed: ${p.fixed}`);
    else lines.push(`  hint: ${p.hint}`);
    if (p.fix_error) lines.push(`  the fix failed: ${p.fix_error}`);
  }
  // Problems the fixes surfaced (or that appeared meanwhile).
  const extra = report.remaining.filter((r) => !report.problems.some((p) => p.code === r.code && p.path === r.path && p.message === r.message));
  for (const p of extra) lines.push(`${rel(p.path)}: error ${p.code} ${p.message}`, `  hint: ${p.hint}`);
  if (report.exists) {
    const left = report.remaining.length;
    const fixable = report.remaining.filter((p) => p.fixable).length;
    if (report.problems.length === 0) lines.push(`✓ ${rel(report.workspace)} is healthy (environment ${env.name}; checked ${report.checks.join(", ")})`);
    else if (left === 0) lines.push(`✓ ${fixed.length} problem${fixed.length === 1 ? "" : "s"} fixed; ${rel(report.workspace)} is healthy`);
    else lines.push(`✗ ${left} problem${left === 1 ? "" : "s"} in ${rel(report.workspace)}${fixed.length ? ` (${fixed.length} fixed)` : ""}${fixable && values.fix !== true ? `; ${fixable} can be fixed safely: dagship doctor --env ${env.name} --fix` : ""}${left - (values.fix === true ? 0 : fixable) > 0 ? `; ${left - (values.fix === true ? 0 : fixable)} left for a human` : ""}`);
  }
  io.stdout(mask(lines.join("\n") + "\n"));
  return report.remaining.length === 0 ? 0 : 1;
}
