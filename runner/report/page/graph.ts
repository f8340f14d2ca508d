/**
 * The DAG view: an SVG of the dagre layout, nodes coloured by state with their duration and
 * attempts, pan (drag, scroll) and zoom (buttons, Ctrl + wheel, + and -), and keyboard
 * navigation: one node is in the tab order; the arrow keys move to the nearest node in that
 * direction, Enter or Space selects it.
 */
import type { ReportTask } from "../data.js";
import { h, s } from "./dom.js";
import { cut, duration, stateClass } from "./format.js";
import { layoutTasks, NODE_H, NODE_W, type Point } from "./layout.js";
import type { Selection } from "./selection.js";

const MIN_SCALE = 0.15;
const MAX_SCALE = 2;

/**
 * Draws the graph of `tasks` into `root` and wires it to `selection`. Returns the layout time.
 *
 * @example
 * ```ts
 * const { layoutMs } = renderGraph(document.getElementById("graph")!, data.tasks, selection);
 * ```
 */
export function renderGraph(root: HTMLElement, tasks: ReportTask[], selection: Selection): { layoutMs: number } {
  const started = performance.now();
  const layout = layoutTasks(tasks);
  const layoutMs = performance.now() - started;

  const svg = s("svg", { class: "dag", viewBox: `0 0 ${layout.width} ${layout.height}`, role: "group", "aria-label": `task graph, ${tasks.length} tasks` });
  svg.append(s("defs", {}, s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, s("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrowhead" }))));
  const edgeLayer = s("g", { class: "edges" });
  const edgeEls: Array<{ from: string; to: string; el: SVGPathElement }> = [];
  for (const e of layout.edges) {
    const d = e.points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join("");
    const path = s("path", { d, class: "edge", "marker-end": "url(#arrow)" });
    edgeLayer.append(path);
    edgeEls.push({ from: e.from, to: e.to, el: path });
    if (e.outcome !== undefined && e.label) edgeLayer.append(s("text", { x: e.label.x, y: e.label.y + 4, class: "edge-label", "text-anchor": "middle" }, e.outcome));
  }
  const nodeLayer = s("g", { class: "nodes" });
  const nodeEls = new Map<string, SVGGElement>();
  for (const t of tasks) {
    const p = layout.nodes.get(t.key)!;
    const n = t.attempts.length;
    const sub = [t.state + (t.outcome ? ` (${t.outcome})` : ""), duration(t.duration_ms || undefined), n > 1 ? `${n} attempts` : n === 1 ? "1 attempt" : ""].filter(Boolean).join(" · ");
    const g = s(
      "g",
      { class: `node ${stateClass(t.state)}`, transform: `translate(${(p.x - NODE_W / 2).toFixed(1)} ${(p.y - NODE_H / 2).toFixed(1)})`, tabindex: -1, role: "button", "aria-label": `${t.key}: ${sub}`, "data-key": t.key },
      s("title", {}, `${t.key}\n${sub}`),
      s("rect", { width: NODE_W, height: NODE_H, rx: 6 }),
      s("text", { x: 10, y: 19, class: "node-key" }, cut(t.key, n > 1 ? 22 : 25)),
      s("text", { x: 10, y: 36, class: "node-sub" }, cut(sub, 32)),
    );
    if (n > 1) g.append(s("circle", { cx: NODE_W - 12, cy: 12, r: 8, class: "retry-dot" }), s("text", { x: NODE_W - 12, y: 16, class: "retry-count", "text-anchor": "middle" }, n));
    nodeLayer.append(g);
    nodeEls.set(t.key, g);
  }
  svg.append(edgeLayer, nodeLayer);

  const viewport = h("div", { class: "dag-viewport", tabindex: -1 }, svg);
  const zoomLabel = h("span", { class: "zoom-label", "aria-live": "polite" });
  const button = (label: string, title: string, action: () => void) => {
    const b = h("button", { type: "button", title, "aria-label": title }, label);
    b.addEventListener("click", action);
    return b;
  };
  let scale = 1;
  const applyScale = (next: number, anchor?: { x: number; y: number }) => {
    const old = scale;
    scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, next));
    const ax = anchor?.x ?? viewport.clientWidth / 2;
    const ay = anchor?.y ?? viewport.clientHeight / 2;
    const cx = (viewport.scrollLeft + ax) / old;
    const cy = (viewport.scrollTop + ay) / old;
    svg.setAttribute("width", String(Math.ceil(layout.width * scale)));
    svg.setAttribute("height", String(Math.ceil(layout.height * scale)));
    viewport.scrollLeft = cx * scale - ax;
    viewport.scrollTop = cy * scale - ay;
    zoomLabel.textContent = `${Math.round(scale * 100)}%`;
  };
  const fitScale = () => Math.min((viewport.clientWidth - 8) / layout.width, (viewport.clientHeight - 8) / layout.height, 1);
  const toolbar = h(
    "div",
    { class: "toolbar", role: "toolbar", "aria-label": "graph zoom" },
    button("−", "zoom out", () => applyScale(scale / 1.25)),
    button("+", "zoom in", () => applyScale(scale * 1.25)),
    button("fit", "fit the whole graph", () => applyScale(fitScale())),
    button("100%", "actual size", () => applyScale(1)),
    zoomLabel,
    h("span", { class: "hint" }, "drag to pan · Ctrl + wheel to zoom · arrows move between tasks · Enter selects"),
  );
  root.append(toolbar, viewport);
  // Readable first: the whole graph when it fits at 40% or more, else 40% and scroll; a small
  // graph gets a viewport no taller than itself.
  applyScale(Math.max(0.4, fitScale()));
  viewport.style.height = `${Math.round(Math.max(140, Math.min(viewport.clientHeight, layout.height * scale + 24)))}px`;
  viewport.scrollLeft = 0;
  viewport.scrollTop = 0;

  viewport.addEventListener(
    "wheel",
    (ev) => {
      if (!ev.ctrlKey && !ev.metaKey) return;
      ev.preventDefault();
      const r = viewport.getBoundingClientRect();
      applyScale(scale * Math.exp(-ev.deltaY / 400), { x: ev.clientX - r.left, y: ev.clientY - r.top });
    },
    { passive: false },
  );
  let drag: { x: number; y: number; left: number; top: number; moved: boolean } | null = null;
  viewport.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, left: viewport.scrollLeft, top: viewport.scrollTop, moved: false };
  });
  viewport.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x;
    const dy = ev.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) viewport.setPointerCapture(ev.pointerId);
    drag.moved = true;
    viewport.classList.add("dragging");
    viewport.scrollLeft = drag.left - dx;
    viewport.scrollTop = drag.top - dy;
  });
  const endDrag = () => {
    viewport.classList.remove("dragging");
    setTimeout(() => (drag = null));
  };
  viewport.addEventListener("pointerup", endDrag);
  viewport.addEventListener("pointercancel", endDrag);

  const keyOf = (el: EventTarget | null) => (el instanceof Element ? el.closest<SVGGElement>("g.node")?.dataset.key : undefined);
  svg.addEventListener("click", (ev) => {
    if (drag?.moved) return;
    const key = keyOf(ev.target);
    if (key !== undefined) {
      focusNode(key);
      selection.set(key, "graph");
    }
  });
  let focused = tasks[0]?.key;
  if (focused !== undefined) nodeEls.get(focused)!.setAttribute("tabindex", "0");
  const scrollTo = (key: string) => {
    const p = layout.nodes.get(key);
    if (!p) return;
    const x = p.x * scale;
    const y = p.y * scale;
    const margin = 40;
    if (x - (NODE_W * scale) / 2 < viewport.scrollLeft + margin || x + (NODE_W * scale) / 2 > viewport.scrollLeft + viewport.clientWidth - margin) viewport.scrollLeft = x - viewport.clientWidth / 2;
    if (y - (NODE_H * scale) / 2 < viewport.scrollTop + margin || y + (NODE_H * scale) / 2 > viewport.scrollTop + viewport.clientHeight - margin) viewport.scrollTop = y - viewport.clientHeight / 2;
  };
  const focusNode = (key: string, move = false) => {
    if (focused !== undefined) nodeEls.get(focused)?.setAttribute("tabindex", "-1");
    focused = key;
    const el = nodeEls.get(key);
    if (!el) return;
    el.setAttribute("tabindex", "0");
    scrollTo(key);
    if (move) el.focus({ preventScroll: true });
  };
  svg.addEventListener("keydown", (ev) => {
    const key = keyOf(ev.target);
    if (key === undefined) return;
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      selection.set(key, "graph");
      return;
    }
    const dir: Record<string, Point> = { ArrowRight: { x: 1, y: 0 }, ArrowLeft: { x: -1, y: 0 }, ArrowDown: { x: 0, y: 1 }, ArrowUp: { x: 0, y: -1 } };
    const d = dir[ev.key];
    if (d) {
      ev.preventDefault();
      const next = nearest(layout.nodes, key, d);
      if (next !== undefined) focusNode(next, true);
    } else if (ev.key === "+" || ev.key === "=") applyScale(scale * 1.25);
    else if (ev.key === "-") applyScale(scale / 1.25);
  });

  selection.on((key, origin) => {
    svg.querySelectorAll(".selected, .related").forEach((el) => el.classList.remove("selected", "related"));
    if (key === null) return;
    nodeEls.get(key)?.classList.add("selected");
    for (const e of edgeEls) if (e.from === key || e.to === key) e.el.classList.add("related");
    if (origin !== "graph") focusNode(key);
  });
  return { layoutMs };
}

/** The node nearest to `from` in direction `d` (within a 45° cone, distance weighted against drift). */
function nearest(nodes: Map<string, Point>, from: string, d: Point): string | undefined {
  const o = nodes.get(from)!;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const [key, p] of nodes) {
    if (key === from) continue;
    const along = (p.x - o.x) * d.x + (p.y - o.y) * d.y;
    const across = Math.abs((p.x - o.x) * d.y - (p.y - o.y) * d.x);
    if (along <= 0 || across > along * 1.5) continue;
    const score = along + across * 2;
    if (score < bestScore) {
      bestScore = score;
      best = key;
    }
  }
  return best;
}
