/**
 * The DAG's layout by dagre: a node per task, an edge per dependency (labelled with a condition's
 * outcome). Large graphs use dagre's tight-tree ranker: network simplex, the default, takes
 * seconds on 500 tasks and 1,400 edges, tight-tree well under one with the same layers.
 */
import dagre from "@dagrejs/dagre";
import type { ReportTask } from "../data.js";

export const NODE_W = 200;
export const NODE_H = 46;
/** Above this many tasks, the faster ranker. */
export const FAST_RANKER_ABOVE = 150;

export interface Point {
  x: number;
  y: number;
}

/** Where everything goes: node centres, edge polylines, the size of the drawing. */
export interface Layout {
  width: number;
  height: number;
  nodes: Map<string, Point>;
  edges: Array<{ from: string; to: string; points: Point[]; outcome?: string; label?: Point }>;
}

/**
 * Lays out the tasks left to right with dagre.
 *
 * @example
 * ```ts
 * const { nodes } = layoutTasks([{ key: "a", depends_on: [] }, { key: "b", depends_on: [{ task_key: "a" }] }]);
 * nodes.get("b")!.x > nodes.get("a")!.x; // true
 * ```
 */
export function layoutTasks(tasks: ReadonlyArray<Pick<ReportTask, "key" | "depends_on">>): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: "LR", nodesep: 14, ranksep: 56, edgesep: 8, marginx: 16, marginy: 16, ranker: tasks.length > FAST_RANKER_ABOVE ? "tight-tree" : "network-simplex" });
  g.setDefaultEdgeLabel(() => ({}));
  const keys = new Set(tasks.map((t) => t.key));
  for (const t of tasks) g.setNode(t.key, { width: NODE_W, height: NODE_H });
  for (const t of tasks) {
    for (const d of t.depends_on) {
      if (!keys.has(d.task_key) || d.task_key === t.key) continue;
      g.setEdge(d.task_key, t.key, d.outcome === undefined ? {} : { outcome: d.outcome, width: 34, height: 14, labelpos: "c" });
    }
  }
  dagre.layout(g);
  const nodes = new Map<string, Point>();
  for (const key of keys) {
    const n = g.node(key);
    nodes.set(key, { x: n.x, y: n.y });
  }
  const edges: Layout["edges"] = g.edges().map((e) => {
    const label = g.edge(e) as { points?: Point[]; outcome?: string; x?: number; y?: number };
    return { from: e.v, to: e.w, points: label.points ?? [], ...(label.outcome !== undefined ? { outcome: label.outcome, label: { x: label.x ?? 0, y: label.y ?? 0 } } : {}) };
  });
  const graph = g.graph();
  return { width: graph.width ?? 0, height: graph.height ?? 0, nodes, edges };
}
