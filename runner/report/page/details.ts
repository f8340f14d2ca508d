/**
 * The details panel of the selected task: what it is, what it depends on and what depends on it,
 * every attempt (its typed error: reason, exit code, signal, stderr tail; its log tail), its
 * values and its tables (schema and rows, from each Arrow file's footer).
 */
import type { ReportAttempt, ReportData, ReportTable } from "../data.js";
import { h, type Child } from "./dom.js";
import { duration, localTime, stateClass } from "./format.js";
import type { Selection } from "./selection.js";

/**
 * Fills `root` with the selected task's details whenever the selection changes.
 *
 * @example
 * ```ts
 * renderDetails(document.getElementById("details")!, data, selection);
 * ```
 */
export function renderDetails(root: HTMLElement, data: ReportData, selection: Selection): void {
  const byKey = new Map(data.tasks.map((t) => [t.key, t]));
  const downstream = new Map<string, string[]>();
  for (const t of data.tasks) for (const d of t.depends_on) downstream.set(d.task_key, [...(downstream.get(d.task_key) ?? []), t.key]);
  const empty = () => root.replaceChildren(h("h2", {}, "Task details"), h("p", { class: "muted" }, "Select a task in the graph, the timeline or the table (Tab to a node or a row, Enter)."));
  empty();
  const link = (key: string) => {
    const b = h("button", { type: "button", class: "link" }, key);
    b.addEventListener("click", () => selection.set(key, "details"));
    return b;
  };
  selection.on((key) => {
    const t = key === null ? undefined : byKey.get(key);
    if (!t) return empty();
    const close = h("button", { type: "button", class: "close", "aria-label": "close the details" }, "×");
    close.addEventListener("click", () => selection.set(null, "details"));
    root.replaceChildren(
      h("div", { class: "details-head" }, h("h2", { tabindex: -1, id: "details-title" }, t.key), close),
      h("p", {}, h("span", { class: `badge ${stateClass(t.state)}` }, t.state + (t.outcome ? ` (${t.outcome})` : "")), " ", duration(t.duration_ms || undefined), t.attempts.length ? ` · ${t.attempts.length} attempt${t.attempts.length === 1 ? "" : "s"}` : ""),
      facts([
        ["kind", t.kind],
        ["run_if", t.run_if],
        ["depends on", t.depends_on.length ? list(t.depends_on.map((d) => (byKey.has(d.task_key) ? link(d.task_key) : d.task_key)), t.depends_on.map((d) => (d.outcome ? ` (${d.outcome})` : ""))) : undefined],
        ["needed by", downstream.get(t.key)?.length ? list(downstream.get(t.key)!.map(link)) : undefined],
        ["child run", t.child_run_id],
        ["values from run", t.source_run_id],
      ]),
      section("Attempts", t.attempts.length ? h("ol", { class: "attempts" }, ...t.attempts.map((a) => attempt(a))) : h("p", { class: "muted" }, `not run (${t.state})`)),
      section("Values", t.values ? h("div", {}, h("pre", { class: "values" }, t.values), t.values_note ? h("p", { class: "note" }, t.values_note) : null) : h("p", { class: "muted" }, "none")),
      section("Tables", t.tables.length ? h("div", {}, ...t.tables.map(table)) : h("p", { class: "muted" }, "none")),
    );
  });
  selection.on((key, origin) => {
    if (key !== null && origin !== "graph" && origin !== "table") root.querySelector<HTMLElement>("#details-title")?.focus({ preventScroll: true });
  });
}

function facts(rows: Array<[string, Child | Node | undefined]>): HTMLElement {
  const dl = h("dl", { class: "facts" });
  for (const [k, v] of rows) if (v !== undefined && v !== null && v !== "") dl.append(h("dt", {}, k), h("dd", {}, v));
  return dl;
}

function list(items: Child[], suffixes: string[] = []): HTMLElement {
  return h("span", { class: "list" }, ...items.flatMap((item, i) => [i > 0 ? ", " : "", item, suffixes[i] ?? ""]));
}

function section(title: string, content: Node): HTMLElement {
  return h("section", {}, h("h3", {}, title), content);
}

function attempt(a: ReportAttempt): HTMLElement {
  const e = a.error;
  return h(
    "li",
    { class: "attempt" },
    h("p", {}, h("span", { class: `badge ${stateClass(a.state)}` }, a.state), ` attempt ${a.n} · ${localTime(a.started_at)} · ${duration(a.duration_ms) || "running"}`),
    e
      ? h(
          "div",
          { class: "error" },
          h("p", { class: "error-message" }, `${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message}`),
          facts([
            ["reason", e.reason],
            ["exit code", e.exit_code === null ? undefined : String(e.exit_code)],
            ["signal", e.signal ?? undefined],
          ]),
          e.stderr_tail.trim() ? h("details", { open: true }, h("summary", {}, "stderr (tail)"), h("pre", {}, e.stderr_tail)) : null,
        )
      : null,
    a.log_tail ? h("details", { open: a.error !== undefined }, h("summary", {}, `log (tail) · ${a.log ?? ""}`), h("pre", { class: "log" }, a.log_tail)) : null,
    a.log_note ? h("p", { class: "note" }, a.log_note) : null,
  );
}

function table(t: ReportTable): HTMLElement {
  return h(
    "div",
    { class: "table-info" },
    h("p", {}, h("strong", {}, t.name), ` · ${t.rows.toLocaleString("en-US")} rows · ${(t.bytes / 1024).toFixed(1)} KiB${t.batches !== undefined ? ` · ${t.batches} batch${t.batches === 1 ? "" : "es"}` : ""}`),
    h("table", { class: "schema" }, h("thead", {}, h("tr", {}, h("th", {}, "column"), h("th", {}, "type"), h("th", {}, "nullable"))), h("tbody", {}, ...t.schema.map((f) => h("tr", {}, h("td", {}, f.name), h("td", {}, f.type), h("td", {}, f.nullable === undefined ? "" : f.nullable ? "yes" : "no"))))),
    h("p", { class: "muted small" }, t.path),
    t.note ? h("p", { class: "note" }, t.note) : null,
  );
}
