/**
 * Graph helpers over task keys. `edges.get(k)` lists the tasks `k` depends on. All functions
 * are iterative so that long chains (1000 tasks) cannot overflow the stack.
 */
export type Edges = Map<string, readonly string[]>;

/**
 * Every dependency cycle, one per strongly connected component of two or more tasks, as the
 * list of keys along the cycle (the first key repeated at the end). Self-loops are not cycles here.
 *
 * @example
 * ```ts
 * findCycles(new Map([["a", ["b"]], ["b", ["a"]]])); // → [["a", "b", "a"]]
 * ```
 */
export function findCycles(edges: Edges): string[][] {
  const cycles: string[][] = [];
  for (const component of stronglyConnected(edges)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    cycles.push(pathBack(start, edges, members));
  }
  return cycles;
}

/** A shortest path from `start` back to itself through `members` (breadth-first). */
function pathBack(start: string, edges: Edges, members: Set<string>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const next of edges.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === node) continue;
      if (next === start) {
        const path = [node];
        for (let n = node; n !== start; ) path.push((n = parent.get(n)!));
        return [...path.reverse(), start];
      }
      if (!parent.has(next)) {
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** Tarjan's algorithm, iterative. */
function stronglyConnected(edges: Edges): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  const next = new Map([...edges].map(([node, deps]) => [node, deps.filter((n) => edges.has(n))]));
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const to = next.get(frame.node)![frame.i++];
      if (to !== undefined) {
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
        } while (n !== frame.node);
        out.push(component);
      }
    }
  }
  return out;
}

/**
 * A topological order (dependencies first), stable with respect to the input order, or
 * undefined when the graph has a cycle.
 */
export function topologicalOrder(edges: Edges): string[] | undefined {
  const pending = new Map<string, number>();
  const dependants = new Map<string, string[]>();
  for (const [node, deps] of edges) {
    pending.set(node, deps.length);
    for (const d of deps) (dependants.get(d) ?? dependants.set(d, []).get(d)!).push(node);
  }
  const order = [...edges.keys()].filter((n) => pending.get(n) === 0);
  for (let i = 0; i < order.length; i++) {
    for (const next of dependants.get(order[i]!) ?? []) {
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) order.push(next);
    }
  }
  return order.length === edges.size ? order : undefined;
}

/** Every task upstream of `key`, transitively (memoised by the caller's map). */
export function ancestors(key: string, edges: Edges, memo: Map<string, Set<string>>): Set<string> {
  const cached = memo.get(key);
  if (cached) return cached;
  const seen = new Set<string>();
  const queue = [...(edges.get(key) ?? [])];
  while (queue.length > 0) {
    const n = queue.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const up of edges.get(n) ?? []) queue.push(up);
  }
  memo.set(key, seen);
  return seen;
}

/**
 * "Is `up` upstream of `task`?" for every pair, from per-task bitsets built once in topological
 * order (a task's bits are its dependencies' bits and the dependencies themselves), so checking
 * thousands of references allocates nothing. Undefined when the graph has a cycle.
 *
 * @example
 * ```ts
 * const isUpstream = upstreamIndex(new Map([["a", []], ["b", ["a"]], ["c", ["b"]]]))!;
 * isUpstream("c", "a"); // → true
 * ```
 */
export function upstreamIndex(edges: Edges): ((task: string, up: string) => boolean) | undefined {
  const order = topologicalOrder(edges);
  if (!order) return undefined;
  const position = new Map(order.map((k, i) => [k, i]));
  const words = Math.ceil(order.length / 32);
  const bits = new Uint32Array(order.length * words);
  for (const [i, key] of order.entries()) {
    for (const dep of edges.get(key) ?? []) {
      const j = position.get(dep);
      if (j === undefined) continue;
      bits[i * words + (j >>> 5)]! |= 1 << (j & 31);
      for (let w = 0; w < words; w++) bits[i * words + w]! |= bits[j * words + w]!;
    }
  }
  return (task, up) => {
    const i = position.get(task);
    const j = position.get(up);
    return i !== undefined && j !== undefined && (bits[i * words + (j >>> 5)]! & (1 << (j & 31))) !== 0;
  };
}
