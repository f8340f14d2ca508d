/** The top of the report: the run's facts, its tasks by state, its parameters and the models it registered. */
import type { ReportData, ReportModel } from "../data.js";
import { metricRows } from "../../models/metric-rows.js";
import { h } from "./dom.js";
import { duration, localTime, stateClass } from "./format.js";

/**
 * The run's summary: when, how long, where the job came from, the tasks counted by state, the
 * run's parameters, and for each model version it registered its metrics against the champion's.
 *
 * @example
 * ```ts
 * document.body.append(renderSummary(data));
 * ```
 */
export function renderSummary(data: ReportData): HTMLElement {
  const counts = new Map<string, number>();
  for (const t of data.tasks) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const source = data.source.kind === "deployment" ? `deployment ${data.source.seq ?? ""} (${(data.source.deployment_id ?? "").slice(0, 12)})` : `working tree, ${data.source.file}`;
  const facts: Array<[string, string | undefined]> = [
    ["started", localTime(data.started_at)],
    ["duration", duration(data.duration_ms) || (data.state === "RUNNING" ? "running" : undefined)],
    ["job from", source],
    ["commit", data.source.git_sha?.slice(0, 12)],
    ["parent run", data.parent_run_id],
    ["repaired", data.repairs?.length ? data.repairs.map(localTime).join(", ") : undefined],
    ["interrupted", data.interrupted ? "the runner died mid-run" : undefined],
  ];
  const dl = h("dl", { class: "facts run-facts" });
  for (const [k, v] of facts) if (v) dl.append(h("dt", {}, k), h("dd", {}, v));
  const params = Object.entries(data.parameters);
  return h(
    "section",
    { class: "summary", "aria-label": "run summary" },
    dl,
    h("p", { class: "state-counts" }, ...[...counts].map(([state, n]) => h("span", { class: `badge ${stateClass(state)}` }, `${n} ${state}`))),
    data.error ? h("p", { class: "error-message" }, data.error) : null,
    h("div", { class: "summary-grid" }, h("div", {}, h("h2", {}, "Parameters"), params.length ? kvTable(["parameter", "value"], params) : h("p", { class: "muted" }, "none")), ...data.models.map(model)),
  );
}

function kvTable(header: string[], rows: Array<Array<string>>): HTMLElement {
  return h("table", { class: "kv" }, h("thead", {}, h("tr", {}, ...header.map((x) => h("th", { scope: "col" }, x)))), h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))));
}

function model(m: ReportModel): HTMLElement {
  const rows = metricRows(m.metrics, m.champion_metrics);
  const against = m.champion_version === null ? "no champion yet" : `champion v${m.champion_version}`;
  return h(
    "div",
    { class: "model" },
    h("h2", {}, `Model ${m.model} v${m.version}`),
    h("p", {}, `against ${against} · `, h("strong", {}, m.promoted ? "promoted to champion" : "not promoted")),
    ...(m.gate ? [h("p", {}, `gate (${m.gate.metric}, min_delta ${m.gate.min_delta}, on ${m.gate.dataset}): `, h("strong", {}, m.gate.passed ? "passed" : "not passed"), ` — ${m.gate.reason}`)] : []),
    rows.length ? kvTable(["metric", "this run", "champion", "delta"], rows) : h("p", { class: "muted" }, "no metrics registered"),
  );
}
