import { describe, expect, it } from "vitest";
import { ancestors, findCycles, topologicalOrder, type Edges } from "../../runner/spec/graph.js";

/** Edges from `[node, ...dependencies]` rows. */
const graph = (...rows: string[][]): Edges => new Map(rows.map(([node, ...deps]) => [node!, deps]));
const N = 1000;
const key = (i: number) => `t${String(i).padStart(4, "0")}`;
/** t0001 depends on t0000, t0002 on t0001, ... */
const chain = (n: number): Edges => new Map(Array.from({ length: n }, (_, i) => [key(i), i === 0 ? [] : [key(i - 1)]]));
/** `sink` depends on all of t0000..t(n-1). */
const fanIn = (n: number): Edges => new Map<string, string[]>([...Array.from({ length: n }, (_, i): [string, string[]] => [key(i), []]), ["sink", Array.from({ length: n }, (_, i) => key(i))]]);
/** Every task t0001..t(n-1) depends on t0000. */
const fanOut = (n: number): Edges => new Map(Array.from({ length: n }, (_, i): [string, string[]] => [key(i), i === 0 ? [] : [key(0)]]));

/** Checks that every node comes after all of its dependencies. */
function expectTopological(order: string[] | undefined, edges: Edges) {
  expect(order).toBeDefined();
  const position = new Map(order!.map((n, i) => [n, i]));
  expect(position.size).toBe(edges.size);
  const late = [...edges].flatMap(([node, deps]) => deps.filter((d) => position.get(d)! > position.get(node)!).map((d) => `${d} after ${node}`));
  expect(late).toEqual([]);
}

describe("findCycles", () => {
  it("finds nothing in a DAG", () => {
    expect(findCycles(graph(["a"], ["b", "a"], ["c", "a"], ["d", "b", "c"]))).toEqual([]);
  });

  it("names a cycle from its alphabetically first task, first key repeated at the end", () => {
    expect(findCycles(graph(["c", "a"], ["b", "c"], ["a", "b"]))).toEqual([["a", "b", "c", "a"]]);
  });

  it("returns one cycle per strongly connected component", () => {
    const cycles = findCycles(graph(["a", "b"], ["b", "a"], ["x", "y"], ["y", "z"], ["z", "x"], ["free", "a", "x"]));
    expect(cycles.map((c) => c.join(" → ")).sort()).toEqual(["a → b → a", "x → y → z → x"]);
  });

  it("picks a shortest loop through the first task of a component", () => {
    expect(findCycles(graph(["a", "b", "d"], ["b", "c"], ["c", "a"], ["d", "a"]))).toEqual([["a", "d", "a"]]);
  });

  it("ignores self-loops and edges to unknown nodes", () => {
    expect(findCycles(graph(["a", "a", "ghost"], ["b", "a"]))).toEqual([]);
  });

  it("handles a self-loop inside a larger cycle", () => {
    expect(findCycles(graph(["a", "a", "b"], ["b", "a"]))).toEqual([["a", "b", "a"]]);
  });

  it("finds a 1000-task cycle without overflowing the stack", () => {
    const edges = chain(N);
    edges.set(key(0), [key(N - 1)]);
    const [cycle] = findCycles(edges);
    expect(cycle).toHaveLength(N + 1);
    expect(cycle![0]).toBe(key(0));
    expect(cycle![1]).toBe(key(N - 1));
  });
});

describe("topologicalOrder", () => {
  it("orders dependencies first, keeping input order among independent tasks", () => {
    expect(topologicalOrder(graph(["d", "b", "c"], ["c", "a"], ["b", "a"], ["a"], ["e"]))).toEqual(["a", "e", "c", "b", "d"]);
  });

  it("returns undefined for a cycle", () => {
    expect(topologicalOrder(graph(["a", "b"], ["b", "a"], ["c"]))).toBeUndefined();
  });

  it("handles an empty graph", () => {
    expect(topologicalOrder(new Map())).toEqual([]);
    expect(findCycles(new Map())).toEqual([]);
  });
});

describe("ancestors", () => {
  const edges = graph(["a"], ["b", "a"], ["c", "b"], ["d", "c", "a"], ["side"]);

  it("collects every task upstream, transitively", () => {
    expect([...ancestors("d", edges, new Map())].sort()).toEqual(["a", "b", "c"]);
    expect([...ancestors("a", edges, new Map())]).toEqual([]);
    expect([...ancestors("ghost", edges, new Map())]).toEqual([]);
  });

  it("memoises per key", () => {
    const memo = new Map<string, Set<string>>();
    const first = ancestors("c", edges, memo);
    expect(ancestors("c", edges, memo)).toBe(first);
    expect(memo.has("c")).toBe(true);
  });

  it("terminates on cycles", () => {
    expect([...ancestors("a", graph(["a", "b"], ["b", "a"]), new Map())].sort()).toEqual(["a", "b"]);
  });
});

describe("large graphs (1000 tasks) do not overflow the stack and stay fast", () => {
  it.each([
    ["a chain", chain(N)],
    ["a fan-in", fanIn(N)],
    ["a fan-out", fanOut(N)],
  ])("%s", (_name, edges) => {
    const started = performance.now();
    expect(findCycles(edges)).toEqual([]);
    const order = topologicalOrder(edges);
    expectTopological(order, edges);
    const memo = new Map<string, Set<string>>();
    for (const node of edges.keys()) ancestors(node, edges, memo);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("a chain's last task has every other task upstream", () => {
    expect(ancestors(key(N - 1), chain(N), new Map()).size).toBe(N - 1);
    expect(topologicalOrder(chain(N))![N - 1]).toBe(key(N - 1));
  });

  it("a fan-in's sink comes last", () => {
    expect(topologicalOrder(fanIn(N))!.at(-1)).toBe("sink");
    expect(ancestors("sink", fanIn(N), new Map()).size).toBe(N);
  });
});

describe("upstreamIndex", () => {
  it("answers transitive upstream questions on a DAG", async () => {
    const { upstreamIndex } = await import("../../runner/spec/graph.js");
    const isUpstream = upstreamIndex(new Map([["a", []], ["b", ["a"]], ["c", ["b"]], ["d", []]]))!;
    expect(isUpstream("c", "a")).toBe(true);
    expect(isUpstream("c", "b")).toBe(true);
    expect(isUpstream("a", "c")).toBe(false);
    expect(isUpstream("c", "d")).toBe(false);
    expect(isUpstream("c", "c")).toBe(false);
    expect(isUpstream("c", "nope")).toBe(false);
  });

  it("works across 32-bit word boundaries on a 1000-task chain", async () => {
    const { upstreamIndex } = await import("../../runner/spec/graph.js");
    const edges = new Map(Array.from({ length: 1000 }, (_, i) => [`t${i}`, i === 0 ? [] : [`t${i - 1}`]] as [string, string[]]));
    const isUpstream = upstreamIndex(edges)!;
    expect(isUpstream("t999", "t0")).toBe(true);
    expect(isUpstream("t40", "t33")).toBe(true);
    expect(isUpstream("t33", "t40")).toBe(false);
  });

  it("is undefined for a graph with a cycle", async () => {
    const { upstreamIndex } = await import("../../runner/spec/graph.js");
    expect(upstreamIndex(new Map([["a", ["b"]], ["b", ["a"]]]))).toBeUndefined();
  });
});
