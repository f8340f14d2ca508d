/**
 * The timeline (Gantt): a row per task, a bar per attempt from its start to its end, coloured
 * by the attempt's state, with the wait before a retry drawn between two bars; a time axis on
 * top. Clicking a row selects its task.
 */
import type { ReportData, ReportTask } from "../data.js";
import { h, scrollWithin } from "./dom.js";
import { duration, stateClass, time } from "./format.js";
import type { Selection } from "./selection.js";

/** The tick step (1, 2 or 5 × 10^k ms) that gives about `count` ticks over `span` ms. */
export function tickStep(span: number, count = 8): number {
  const raw = Math.max(span, 1) / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
}

/**
 * Draws the timeline of the run into `root`.
 *
 * @example
 * ```ts
 * renderTimeline(document.getElementById("timeline")!, data, selection);
 * ```
 */
export function renderTimeline(root: HTMLElement, data: ReportData, selection: Selection): void {
  const starts = data.tasks.flatMap((t) => t.attempts.map((a) => time(a.started_at))).filter(Number.isFinite);
  const ends = data.tasks.flatMap((t) => t.attempts.map((a) => time(a.ended_at) || time(a.started_at) + (a.duration_ms ?? 0))).filter(Number.isFinite);
  const t0 = Math.min(time(data.started_at), ...starts);
  const t1 = Math.max(time(data.ended_at) || 0, ...ends, t0 + 1);
  const span = t1 - t0;
  const pct = (t: number) => `${(((t - t0) / span) * 100).toFixed(3)}%`;

  const axis = h("div", { class: "tl-axis", "aria-hidden": "true" });
  const step = tickStep(span);
  for (let t = 0; t <= span; t += step) {
    const tick = h("span", { class: "tl-tick" }, duration(t) || "0");
    tick.style.left = pct(t0 + t);
    axis.append(tick);
  }
  const head = h("div", { class: "tl-row tl-head" }, h("div", { class: "tl-label" }, `${data.tasks.length} tasks · ${duration(span)}`), axis);
  const rows = new Map<string, HTMLElement>();
  const body = h("div", { class: "tl-body" });
  for (const t of data.tasks) {
    const row = h("div", { class: "tl-row", "data-key": t.key }, h("div", { class: "tl-label", title: t.key }, t.key), track(t, t0, pct));
    rows.set(t.key, row);
    body.append(row);
  }
  body.addEventListener("click", (ev) => {
    const row = (ev.target as Element).closest<HTMLElement>(".tl-row");
    const key = row?.dataset.key;
    if (key !== undefined) selection.set(key, "timeline");
  });
  root.append(h("div", { class: "timeline", role: "img", "aria-label": `timeline of ${data.tasks.length} tasks over ${duration(span)}; the task table below lists the same attempts` }, head, body));
  selection.on((key, origin) => {
    body.querySelector(".tl-row.selected")?.classList.remove("selected");
    const row = key === null ? undefined : rows.get(key);
    if (!row) return;
    row.classList.add("selected");
    if (origin !== "timeline") scrollWithin(body, row);
  });
}

function track(t: ReportTask, t0: number, pct: (t: number) => string): HTMLElement {
  const el = h("div", { class: "tl-track" });
  let previousEnd: number | undefined;
  for (const a of t.attempts) {
    const start = time(a.started_at);
    if (!Number.isFinite(start)) continue;
    const end = time(a.ended_at) || start + (a.duration_ms ?? 0);
    if (previousEnd !== undefined && start > previousEnd) {
      const wait = h("span", { class: "tl-wait", title: `retry after ${duration(start - previousEnd)}` });
      wait.style.left = pct(previousEnd);
      wait.style.width = `calc(${pct(start)} - ${pct(previousEnd)})`;
      el.append(wait);
    }
    const bar = h("span", { class: `tl-bar ${stateClass(a.state)}`, title: `${t.key} · attempt ${a.n}: ${a.state}, ${duration(end - start)}, from +${duration(start - t0) || "0 ms"}` }, t.attempts.length > 1 ? String(a.n) : "");
    bar.style.left = pct(start);
    bar.style.width = `calc(${pct(end)} - ${pct(start)})`;
    el.append(bar);
    previousEnd = end;
  }
  if (t.attempts.length === 0) el.append(h("span", { class: "tl-none" }, t.state));
  return el;
}
