/**
 * The task table: state, attempts, duration, start and values of every task, filtered by a
 * search box and sorted by a column. One row is in the tab order; the arrow keys move between
 * rows, Enter or Space selects the task.
 */
import type { ReportData, ReportTask } from "../data.js";
import { h, scrollWithin } from "./dom.js";
import { cut, duration, stateClass, time } from "./format.js";
import type { Selection } from "./selection.js";

type Column = { id: string; label: string; value: (t: ReportTask) => string | number };

/**
 * Draws the task table into `root`.
 *
 * @example
 * ```ts
 * renderTable(document.getElementById("tasks")!, data, selection);
 * ```
 */
export function renderTable(root: HTMLElement, data: ReportData, selection: Selection): void {
  const t0 = time(data.started_at);
  const startOf = (t: ReportTask) => (t.attempts[0] ? time(t.attempts[0].started_at) - t0 : Number.POSITIVE_INFINITY);
  const columns: Column[] = [
    { id: "task", label: "task", value: (t) => t.key },
    { id: "state", label: "state", value: (t) => t.state },
    { id: "attempts", label: "attempts", value: (t) => t.attempts.length },
    { id: "duration", label: "duration", value: (t) => t.duration_ms },
    { id: "start", label: "start", value: startOf },
  ];
  const order = new Map(data.tasks.map((t, i) => [t.key, i]));
  const rows = new Map<string, HTMLTableRowElement>();
  for (const t of data.tasks) {
    const start = startOf(t);
    const values = t.values.replace(/\s+/g, " ");
    const row = h(
      "tr",
      { tabindex: -1, "data-key": t.key, "aria-label": `${t.key}, ${t.state}` },
      h("td", { class: "key" }, t.key),
      h("td", {}, h("span", { class: `badge ${stateClass(t.state)}` }, t.state + (t.outcome ? ` (${t.outcome})` : ""))),
      h("td", { class: "num" }, t.attempts.length),
      h("td", { class: "num" }, duration(t.duration_ms || undefined)),
      h("td", { class: "num" }, Number.isFinite(start) ? `+${duration(start) || "0 ms"}` : ""),
      h("td", { class: "values", title: cut(values, 500) }, cut(values, 90)),
    );
    rows.set(t.key, row);
  }
  const tbody = h("tbody", {});
  const count = h("span", { class: "count", "aria-live": "polite" });
  let sort: { id: string; dir: 1 | -1 } | null = null;
  let visible: string[] = [];
  const filter = h("input", { type: "search", placeholder: "filter tasks by name or state", "aria-label": "filter tasks by name or state" });
  let focused = data.tasks[0]?.key;
  const draw = () => {
    const q = filter.value.trim().toLowerCase();
    let tasks = data.tasks.filter((t) => !q || t.key.toLowerCase().includes(q) || t.state.toLowerCase().includes(q));
    if (sort) {
      const col = columns.find((c) => c.id === sort!.id)!;
      const dir = sort.dir;
      tasks = [...tasks].sort((a, b) => {
        const x = col.value(a);
        const y = col.value(b);
        return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * dir || order.get(a.key)! - order.get(b.key)!;
      });
    }
    visible = tasks.map((t) => t.key);
    tbody.replaceChildren(...visible.map((k) => rows.get(k)!));
    count.textContent = `${visible.length} of ${data.tasks.length} tasks`;
    if (focused === undefined || !visible.includes(focused)) setFocus(visible[0]);
  };
  const setFocus = (key: string | undefined, move = false) => {
    if (focused !== undefined) rows.get(focused)?.setAttribute("tabindex", "-1");
    focused = key;
    if (key === undefined) return;
    const row = rows.get(key)!;
    row.setAttribute("tabindex", "0");
    if (move) row.focus();
  };
  filter.addEventListener("input", draw);
  const headers = columns.map((c) => {
    const b = h("button", { type: "button" }, c.label);
    const th = h("th", { scope: "col", "aria-sort": "none" }, b);
    b.addEventListener("click", () => {
      sort = sort?.id === c.id ? { id: c.id, dir: sort.dir === 1 ? -1 : 1 } : { id: c.id, dir: 1 };
      for (const other of thead.querySelectorAll("th")) other.setAttribute("aria-sort", "none");
      th.setAttribute("aria-sort", sort.dir === 1 ? "ascending" : "descending");
      draw();
    });
    return th;
  });
  const thead = h("thead", {}, h("tr", {}, ...headers, h("th", { scope: "col" }, "values")));
  tbody.addEventListener("click", (ev) => {
    const key = (ev.target as Element).closest<HTMLTableRowElement>("tr")?.dataset.key;
    if (key === undefined) return;
    setFocus(key);
    selection.set(key, "table");
  });
  tbody.addEventListener("keydown", (ev) => {
    const key = (ev.target as Element).closest<HTMLTableRowElement>("tr")?.dataset.key;
    if (key === undefined) return;
    const i = visible.indexOf(key);
    const moveTo: Record<string, number> = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: visible.length - 1, PageDown: i + 10, PageUp: i - 10 };
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      selection.set(key, "table");
    } else if (moveTo[ev.key] !== undefined) {
      ev.preventDefault();
      const next = visible[Math.min(visible.length - 1, Math.max(0, moveTo[ev.key]!))];
      if (next !== undefined) setFocus(next, true);
    }
  });
  const scroller = h("div", { class: "table-scroll" }, h("table", { class: "tasks" }, thead, tbody));
  root.append(h("div", { class: "table-tools" }, filter, count), scroller);
  draw();
  selection.on((key, origin) => {
    tbody.querySelector("tr.selected")?.classList.remove("selected");
    const row = key === null ? undefined : rows.get(key);
    if (!row) return;
    row.classList.add("selected");
    if (origin !== "table" && row.isConnected) {
      setFocus(key!);
      scrollWithin(scroller, row);
    }
  });
}
