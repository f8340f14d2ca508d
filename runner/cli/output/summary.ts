/**
 * The GitHub job summary (markdown for `GITHUB_STEP_SUMMARY`) of a run, a deploy and a diff. Pure
 * functions: what to write is decided here, where to write it in ./github.ts.
 */
import type { DeployResult } from "../../deploy/deploy.js";
import type { DiffResult } from "../../deploy/diff.js";
import { metricRows } from "../../models/metric-rows.js";
import type { ModelReport } from "../../models/of-run.js";
import type { PromotionResult } from "../../models/promote.js";
import type { RunRecord } from "../../workspace/records.js";
import { mermaidFlowchart, type GraphTask } from "./mermaid.js";
import { formatDuration } from "./table.js";

/** Above this many tasks the graph is folded in a `<details>` block. */
export const DETAILS_ABOVE = 50;

export type { GateSummary, ModelReport } from "../../models/of-run.js";

/** What the run summary shows besides the record. */
export interface RunSummaryInput {
  record: RunRecord;
  /** `depends_on` of each task key, from the job the run ran (missing: no edges). */
  dependsOn: Record<string, GraphTask["depends_on"]>;
  models: ModelReport[];
  /** Masks secret values (applied to the whole markdown). */
  mask: (text: string) => string;
  detailsAbove?: number;
}

/** Escapes a markdown table cell: pipes, line breaks, and HTML. */
export function cell(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A markdown table. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), `|${header.map(() => " --- ").join("|")}|`, ...rows.map(line)].join("\n") + "\n";
}

const ICON: Record<string, string> = { SUCCESS: "✅", FAILED: "❌", TIMEDOUT: "⏱️", CANCELED: "⊘", RUNNING: "🔵", PENDING: "🔵" };

/**
 * The summary of a run: a heading (job, env, run id, state, duration), the DAG as a mermaid
 * flowchart coloured by task state (in `<details>` above {@link DETAILS_ABOVE} tasks), a task
 * table, and for each model version the run registered its metrics against the champion's.
 * Everything is passed through `mask`.
 */
export function runSummaryMarkdown(input: RunSummaryInput): string {
  const { record: r } = input;
  const where = `${r.env}${r.namespace && r.namespace !== "default" ? `/${r.namespace}` : ""}`;
  const tasks: GraphTask[] = Object.entries(r.tasks).map(([key, t]) => ({ key, state: t.state, depends_on: input.dependsOn[key] ?? [] }));
  const graph = "```mermaid\n" + mermaidFlowchart(tasks) + "```\n";
  const folded = tasks.length > (input.detailsAbove ?? DETAILS_ABOVE);
  let md = `## ${ICON[r.state] ?? ""} dagship run: ${cell(r.job)} in ${cell(where)}\n\n`;
  md += `Run \`${r.run_id}\` · **${r.state}**${r.interrupted ? " (interrupted)" : ""} · ${formatDuration(r.duration_ms) || "—"}${r.source.kind === "deployment" ? ` · deployment ${r.source.seq}` : ""}${r.source.git_sha ? ` · \`${r.source.git_sha.slice(0, 7)}\`` : ""}\n\n`;
  md += folded ? `<details><summary>Task graph (${tasks.length} tasks)</summary>\n\n${graph}\n</details>\n\n` : `${graph}\n`;
  const rows = Object.entries(r.tasks).map(([key, t]) => [key, t.state + (t.outcome ? ` (${t.outcome})` : ""), String(t.attempts.length), formatDuration(t.duration_ms || undefined)]);
  md += markdownTable(["task", "state", "attempts", "duration"], rows);
  for (const m of input.models) md += "\n" + modelMarkdown(m);
  return input.mask(md);
}

/** One registered version's metrics against the champion's (metric, challenger, champion, delta). */
export function modelMarkdown(m: ModelReport): string {
  const against = m.champion_version === null ? "no champion yet" : `champion v${m.champion_version}`;
  let md = `### Model ${cell(m.model)} v${m.version} against ${against}${m.promoted ? " — promoted to champion" : " — not promoted"}\n\n`;
  if (m.gate) md += `**Gate** (${cell(m.gate.metric)}, min_delta ${m.gate.min_delta}, on \`${cell(m.gate.dataset)}\`): ${m.gate.passed ? "✅ passed" : "❌ not passed"} — ${cell(m.gate.reason)}\n\n`;
  const rows = metricRows(m.metrics, m.champion_metrics);
  return md + (rows.length > 0 ? markdownTable(["metric", "challenger", "champion", "delta"], rows) : "No metrics registered.\n");
}

/**
 * The summary of `models promote`: where the version came from and went, then (as for a run's
 * model) the gate decision and the challenger's metrics against the target's champion.
 *
 * @example
 * ```ts
 * promotionSummaryMarkdown(result); // "## ✅ dagship promotion: reviews v3 of staging → prod v2\n\n### Model reviews v2 against champion v1 — promoted to champion\n..."
 * ```
 */
export function promotionSummaryMarkdown(r: PromotionResult): string {
  const g = r.gate;
  const moved = r.from !== r.to ? `${r.name} v${r.source_version} of ${r.from ?? "?"} → ${r.to ?? "?"} v${r.target_version}${r.imported ? "" : " (already there)"}` : `${r.name} v${r.target_version} of ${r.to ?? "?"}`;
  let md = `## ${r.promoted ? "✅" : "⊘"} dagship promotion: ${cell(moved)}\n\n`;
  if (r.bundle_sha256) md += `Bundle sha256 \`${r.bundle_sha256}\`, every checksum verified. `;
  md += r.promoted ? `\`${cell(r.alias)}\` → v${r.target_version}.\n\n` : r.champion === r.target_version ? `Already the \`${cell(r.alias)}\`.\n\n` : `\`${cell(r.alias)}\` stays ${r.champion === null ? "unset" : `v${r.champion}`}.\n\n`;
  const report: ModelReport = {
    model: r.name,
    version: r.target_version,
    champion_version: g.champion_version,
    promoted: r.promoted,
    metrics: g.challenger_metrics ?? {},
    champion_metrics: g.champion_metrics ?? null,
    gate: { passed: g.passed, reason: g.reason, metric: g.metric, min_delta: g.min_delta, dataset: g.dataset },
  };
  return md + modelMarkdown(report);
}

/** The summary of a deploy: where, which deployment, and a job table (job, status, deployment id). */
export function deploySummaryMarkdown(r: Extract<DeployResult, { ok: true }>): string {
  const rows = Object.entries(r.jobs).map(([job, j]) => [job, j.status, j.deployment_id.slice(0, 12)]);
  for (const job of r.removed) rows.push([job, "removed", ""]);
  const verdict = r.noop ? `nothing changed; deployment ${r.seq} stays current` : `deployment ${r.seq} is current`;
  return `## dagship deploy to ${cell(`${r.env}/${r.namespace}`)}\n\n${verdict} (from \`${r.git.branch}${r.git.sha ? `@${r.git.sha.slice(0, 7)}` : ""}\`)\n\n` + markdownTable(["job", "status", "deployment"], rows);
}

/** The summary of a diff: the plan, one row per job (job, status, the deployment id it would get, changes). */
export function diffSummaryMarkdown(d: Extract<DiffResult, { ok: true }>): string {
  const rows = Object.entries(d.jobs).map(([job, j]) => [job, j.status, (j.after ?? "").slice(0, 12), String(j.changes.length)]);
  const base = d.current_seq === null ? "nothing deployed yet" : `deployment ${d.current_seq}`;
  return `## dagship plan for ${cell(`${d.env}/${d.namespace}`)}\n\nAgainst ${base}.\n\n` + markdownTable(["job", "status", "deployment", "changes"], rows);
}
