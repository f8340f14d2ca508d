/**
 * The run report page: reads the run's data from the inline JSON and draws the summary, the
 * graph, the timeline, the task table and the details panel. When it is done it sets
 * `data-ready` on <html> (and `data-layout-ms`, `data-render-ms`), which tests and the bench wait for.
 */
import type { ReportData } from "../data.js";
import { renderDetails } from "./details.js";
import { h } from "./dom.js";
import { renderGraph } from "./graph.js";
import { Selection } from "./selection.js";
import { renderSummary } from "./summary.js";
import { renderTable } from "./table.js";
import { renderTimeline } from "./timeline.js";

function start(): void {
  const started = performance.now();
  const data = JSON.parse(document.getElementById("page-data")!.textContent ?? "null") as ReportData;
  const app = document.getElementById("app")!;
  const selection = new Selection();
  const graph = h("div", { class: "panel graph-panel", id: "graph" });
  const timeline = h("div", { class: "panel", id: "timeline" });
  const tasks = h("div", { class: "panel", id: "tasks" });
  const details = h("aside", { class: "details", id: "details", "aria-label": "task details", "aria-live": "polite" });
  app.append(
    renderSummary(data),
    h(
      "div",
      { class: "layout" },
      h("main", {}, h("h2", {}, "Graph"), graph, h("h2", {}, "Timeline"), timeline, h("h2", {}, "Tasks"), tasks),
      details,
    ),
    h("footer", {}, `dagship ${data.dagship_version} · report written ${data.generated_at}`),
  );
  renderDetails(details, data, selection);
  const { layoutMs } = renderGraph(graph, data.tasks, selection);
  renderTimeline(timeline, data, selection);
  renderTable(tasks, data, selection);
  selection.on((key, origin) => {
    if (origin === "hash") return;
    history.replaceState(null, "", key === null ? location.pathname + location.search : `#task=${encodeURIComponent(key)}`);
  });
  const fromHash = /^#task=(.*)$/.exec(location.hash)?.[1];
  if (fromHash !== undefined) {
    const key = decodeURIComponent(fromHash);
    if (data.tasks.some((t) => t.key === key)) selection.set(key, "hash");
  }
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && selection.key !== null) selection.set(null, "details");
  });
  requestAnimationFrame(() => {
    const root = document.documentElement;
    root.dataset.layoutMs = layoutMs.toFixed(0);
    root.dataset.renderMs = (performance.now() - started).toFixed(0);
    root.dataset.ready = "true";
  });
}

start();
