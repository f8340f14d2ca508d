/** A job's DAG as a mermaid flowchart, for the GitHub job summary. */
import type { TaskState } from "../../workspace/records.js";

/** One node of the graph: a task, its state, and what it depends on. */
export interface GraphTask {
  key: string;
  state: TaskState | string;
  depends_on: Array<{ task_key: string; outcome?: string }>;
}

/** The colour classes: state → class name, and each class's style. */
const CLASS_OF: Record<string, string> = {
  SUCCESS: "success",
  FAILED: "failed",
  TIMEDOUT: "failed",
  UPSTREAM_FAILED: "upstream",
  CANCELED: "upstream",
  SKIPPED: "skipped",
  EXCLUDED: "skipped",
  RUNNING: "running",
  PENDING: "running",
};
const STYLES: Record<string, string> = {
  success: "fill:#2da44e,stroke:#1a7f37,color:#ffffff",
  failed: "fill:#cf222e,stroke:#a40e26,color:#ffffff",
  upstream: "fill:#fb8500,stroke:#bc4c00,color:#ffffff",
  skipped: "fill:#afb8c1,stroke:#6e7781,color:#24292f",
  running: "fill:#0969da,stroke:#0550ae,color:#ffffff",
};

const NAMED: Record<string, string> = { '"': "quot", "<": "lt", ">": "gt" };

/**
 * Escapes text for a quoted mermaid label (`id["..."]`): quotes, angle brackets, `#`, `&`, `|`
 * and backticks become mermaid entity codes, line breaks become spaces, so no task key can end the
 * label, inject markup or break the graph.
 *
 * @example
 * ```ts
 * mermaidLabel('a"b<c>'); // "a#quot;b#lt;c#gt;"
 * ```
 */
export function mermaidLabel(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/[#&"<>|`\\{}[\]]/g, (c) => `#${NAMED[c] ?? c.charCodeAt(0)};`);
}

/**
 * The DAG as a mermaid `flowchart TD`: one node per task (`t0`, `t1`, ... in task order, so ids
 * never depend on what a key contains) labelled with the escaped key and its state, an edge per
 * `depends_on` (labelled with the condition outcome when there is one; dependencies on tasks not
 * in the list are dropped), and the nodes coloured by state with `classDef`.
 *
 * @example
 * ```ts
 * mermaidFlowchart([{ key: "a", state: "SUCCESS", depends_on: [] }, { key: "b", state: "FAILED", depends_on: [{ task_key: "a" }] }]);
 * // flowchart TD
 * //   t0["a<br/>SUCCESS"]
 * //   t1["b<br/>FAILED"]
 * //   t0 --> t1
 * //   classDef success ... ; class t0 success
 * ```
 */
export function mermaidFlowchart(tasks: readonly GraphTask[]): string {
  const id = new Map(tasks.map((t, i) => [t.key, `t${i}`]));
  const lines = ["flowchart TD"];
  for (const t of tasks) lines.push(`  ${id.get(t.key)}["${mermaidLabel(t.key)}<br/>${mermaidLabel(String(t.state))}"]`);
  for (const t of tasks) {
    for (const d of t.depends_on) {
      const from = id.get(d.task_key);
      if (from === undefined) continue;
      lines.push(d.outcome === undefined ? `  ${from} --> ${id.get(t.key)}` : `  ${from} -->|"${mermaidLabel(d.outcome)}"| ${id.get(t.key)}`);
    }
  }
  const byClass = new Map<string, string[]>();
  for (const t of tasks) {
    const cls = CLASS_OF[t.state];
    if (cls !== undefined) byClass.set(cls, [...(byClass.get(cls) ?? []), id.get(t.key)!]);
  }
  for (const [cls, ids] of byClass) lines.push(`  classDef ${cls} ${STYLES[cls]}`, `  class ${ids.join(",")} ${cls}`);
  return lines.join("\n") + "\n";
}
