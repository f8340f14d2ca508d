import type { ImportResult } from "./index.js";
import type { Dropped, JobReport } from "./types.js";

/**
 * The human report of an import: per job, the folder written, then per task what became what,
 * what is left to port and what was dropped (the reasons once per job, below its tasks), then
 * the job's own dropped fields and notes, the placeholder jobs, and a last summary line.
 */
export function formatImport(r: ImportResult): string {
  const lines: string[] = [];
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  lines.push(`Imported ${n(r.jobs.length, "job")} from ${r.source.file} (${r.source.label}: ${r.source.detail})`);
  for (const note of r.notes) lines.push(`  note: ${note}`);
  for (const s of r.skipped) lines.push(`  skipped ${s.from}: ${s.reason}`);
  for (const job of r.jobs) lines.push("", ...formatJob(job));
  if (r.placeholders.length) {
    lines.push("", "Placeholder jobs (run_job_task targets this file does not define):");
    for (const p of r.placeholders) {
      lines.push(`  ${p.name}  ${p.written ? "written to" : "exists:"} ${p.folder}  stands for ${p.stands_for}`);
      for (const note of p.notes) lines.push(`    ${note}`);
    }
  }
  const port = r.jobs.flatMap((j) => j.tasks.filter((t) => t.port).map((t) => `${j.name}/${t.port!.module}`));
  lines.push("");
  if (r.validation.ok) {
    const vars = [...new Set(r.jobs.flatMap((j) => j.vars))].sort().map((v) => `vars.${v}`);
    lines.push(`✓ ${n(r.jobs.length, "job")} written and valid; ${port.length ? `${n(port.length, "task")} to port: ${port.join(", ")}` : "nothing to port"}`);
    if (vars.length) lines.push(`  before rendering or deploying, define ${vars.join(", ")} in every environments/<env>.yaml`);
  } else {
    lines.push(`✗ the imported jobs do not validate (a bug in the importer; the files are left in place): run dagship validate ${r.jobs_dir}`);
  }
  return lines.join("\n") + "\n";
}

function formatJob(job: JobReport): string[] {
  const lines = [`${job.name} → ${job.folder}  (${job.from}${job.databricks_name !== undefined && job.databricks_name !== job.name ? `, Databricks name ${JSON.stringify(job.databricks_name)}` : ""})`];
  const renamed = job.renamed;
  if (renamed?.job) lines.push(`  renamed job ${JSON.stringify(renamed.job.from)} → ${renamed.job.to}`);
  for (const [from, to] of Object.entries(renamed?.tasks ?? {})) lines.push(`  renamed task ${JSON.stringify(from)} → ${to}`);
  for (const [from, to] of Object.entries(renamed?.parameters ?? {})) lines.push(`  renamed parameter ${JSON.stringify(from)} → ${to}`);
  const reasons = new Map<string, string>();
  const remember = (d: Dropped[]) => d.forEach((x) => reasons.set(x.field, x.reason));
  lines.push("  tasks:");
  for (const t of job.tasks) {
    lines.push(`    ${t.task_key}  ${t.kind === t.as ? t.as : `${t.kind} → ${t.as}`}`);
    if (t.port) lines.push(`      to port: ${t.port.module} replaces ${t.port.replaces}`);
    if (t.dropped.length) lines.push(`      dropped: ${t.dropped.map((d) => d.field).join(", ")}`);
    for (const note of t.notes) lines.push(`      note: ${note}`);
    remember(t.dropped);
  }
  if (job.dropped.length) lines.push(`  job fields dropped: ${job.dropped.map((d) => d.field).join(", ")}`);
  remember(job.dropped);
  if (reasons.size) {
    lines.push("  why dropped:");
    const byReason = new Map<string, string[]>();
    for (const [field, reason] of reasons) byReason.set(reason, [...(byReason.get(reason) ?? []), field]);
    for (const [reason, fields] of byReason) lines.push(`    ${fields.join(", ")}: ${reason}`);
  }
  for (const note of job.notes) lines.push(`  note: ${note}`);
  return lines;
}
