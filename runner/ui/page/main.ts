/**
 * The run list of `dagship ui`: the environment's runs (state, job, start, duration, tasks done),
 * each linking to its report. Refreshed from `api/runs` every 2 s while a run is going, every
 * 10 s otherwise.
 */
import type { RunList, RunListItem } from "../list-data.js";
import { h } from "../../report/page/dom.js";
import { duration, localTime, stateClass } from "../../report/page/format.js";

const ACTIVE = new Set(["RUNNING", "PENDING"]);

function row(r: RunListItem): HTMLTableRowElement {
  const elapsed = r.duration_ms ?? (ACTIVE.has(r.state) ? Date.now() - Date.parse(r.started_at) : undefined);
  return h(
    "tr",
    { "data-run": r.run_id },
    h("td", {}, h("a", { href: `runs/${encodeURIComponent(r.run_id)}` }, r.run_id)),
    h("td", {}, r.job),
    h("td", {}, h("span", { class: `badge ${stateClass(r.state)}` }, r.state + (r.interrupted ? " (interrupted)" : ""))),
    h("td", {}, localTime(r.started_at)),
    h("td", { class: "num" }, duration(elapsed)),
    h("td", { class: "num" }, `${r.done}/${r.tasks}${r.failed ? ` · ${r.failed} failed` : ""}`),
    h("td", {}, r.source + (r.namespace ? ` [${r.namespace}]` : "")),
  );
}

function draw(list: RunList, tbody: HTMLElement, status: HTMLElement): void {
  tbody.replaceChildren(...(list.runs.length ? list.runs.map(row) : [h("tr", {}, h("td", { colspan: 7, class: "muted" }, `no runs in ${list.env} yet`))]));
  const active = list.runs.filter((r) => ACTIVE.has(r.state)).length;
  status.textContent = `${list.runs.length} runs${active ? `, ${active} running` : ""} · updated ${localTime(list.generated_at)}`;
  document.documentElement.dataset.ready = "true";
}

function start(): void {
  let list = JSON.parse(document.getElementById("page-data")!.textContent ?? "null") as RunList;
  const tbody = h("tbody", {});
  const status = h("p", { class: "muted", "aria-live": "polite" });
  const header = h("tr", {}, ...["run", "job", "state", "started", "duration", "tasks", "from"].map((x) => h("th", { scope: "col" }, x)));
  document.getElementById("app")!.append(h("h1", {}, `dagship runs · ${list.env}`), status, h("table", { class: "runs" }, h("thead", {}, header), tbody));
  draw(list, tbody, status);
  const poll = async () => {
    try {
      const res = await fetch("api/runs", { cache: "no-store" });
      if (res.ok) {
        list = (await res.json()) as RunList;
        draw(list, tbody, status);
      } else status.textContent = `the server answered ${res.status}; retrying`;
    } catch {
      status.textContent = "the server is gone (dagship ui stopped?); retrying";
    }
    setTimeout(poll, list.runs.some((r) => ACTIVE.has(r.state)) ? 2000 : 10_000);
  };
  setTimeout(poll, list.runs.some((r) => ACTIVE.has(r.state)) ? 2000 : 10_000);
}

start();
