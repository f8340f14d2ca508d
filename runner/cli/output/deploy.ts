/** Human output of `deploy`, `diff` and `destroy`. */
import type { DeployResult } from "../../deploy/deploy.js";
import type { DiffResult, JobChange } from "../../deploy/diff.js";
import type { DeploymentRecord } from "../../workspace/deployments.js";
import { formatTable } from "./table.js";

type Deployed = Extract<DeployResult, { ok: true }>;

/** The per-job table and the one-line verdict of a deploy. */
export function deploySummary(r: Deployed): string {
  const where = `${r.env}/${r.namespace}`;
  const rows = Object.entries(r.jobs).map(([job, j]) => [job, j.status, j.deployment_id.slice(0, 12)]);
  for (const job of r.removed) rows.push([job, "removed", ""]);
  const table = rows.length > 0 ? formatTable(["job", "status", "deployment"], rows) : "";
  const count = (s: string) => rows.filter((row) => row[1] === s).length;
  if (r.noop) return `${table}✓ nothing changed: ${rows.length} job${rows.length === 1 ? "" : "s"} unchanged; deployment ${r.seq} of ${where} stays current\n`;
  const parts = ["added", "changed", "unchanged", "removed"].map((s) => [s, count(s)] as const).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  return `${table}✓ deployment ${r.seq} of ${where} is current (${parts.join(", ") || "no jobs"}) from ${r.git.branch}${r.git.sha ? `@${r.git.sha.slice(0, 7)}` : ""}\n`;
}

/** A plan: one line per job, and under each changed job its changes. */
export function diffSummary(d: Extract<DiffResult, { ok: true }>): string {
  const lines: string[] = [];
  const marks = { added: "+", removed: "-", changed: "~", unchanged: "=" } as const;
  for (const [job, j] of Object.entries(d.jobs)) {
    lines.push(`${marks[j.status]} ${job}  ${j.status}`);
    for (const c of j.changes) lines.push(`    ${describe(c)}`);
  }
  const changed = Object.values(d.jobs).filter((j) => j.status !== "unchanged").length;
  const base = d.current_seq === null ? "nothing deployed yet" : `deployment ${d.current_seq}`;
  lines.push(changed === 0 ? `no changes: ${d.env}/${d.namespace} is up to date (${base})` : `${changed} job${changed === 1 ? "" : "s"} would change in ${d.env}/${d.namespace} (against ${base})`);
  return lines.join("\n") + "\n";
}

function describe(c: JobChange): string {
  const task = c.task === undefined ? "" : `[${c.task}] `;
  if (c.files) return `${task}code changed: ${c.files.join(", ") || "(bundled output)"}`;
  if (!("before" in c)) return `${task}${c.pointer}: added ${short(c.after)}`;
  if (!("after" in c)) return `${task}${c.pointer}: removed ${short(c.before)}`;
  return `${task}${c.pointer}: ${short(c.before)} → ${short(c.after)}`;
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? "undefined";
  return s.length > 70 ? `${s.slice(0, 69)}…` : s;
}

/** The deployment history of a namespace, newest first. */
export function historyTable(records: DeploymentRecord[], currentSeq: number | undefined): string {
  const rows = [...records].reverse().map((r) => [
    `${r.seq}${r.seq === currentSeq ? " *" : ""}`,
    r.kind === "rollback" ? `rollback to ${r.rolled_back_to}` : "deploy",
    r.created_at.replace("T", " ").replace(/\.\d+Z$/, "Z"),
    `${r.git.branch}${r.git.sha ? `@${r.git.sha.slice(0, 7)}` : ""}`,
    String(Object.keys(r.jobs).length),
  ]);
  return formatTable(["seq", "kind", "at", "from", "jobs"], rows);
}
