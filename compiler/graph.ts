/**
 * Pure graph algorithms over step ids: cycle detection that reports each cycle at the edge that
 * closes it, and a stable topological order. Edges point from a step to the steps it needs.
 */

/** A cycle found by depth-first search: `from` needs `to`, and `to` (transitively) needs `from`. */
export interface Cycle {
  /** The step whose `needs` entry closes the cycle. */
  from: string;
  /** The needed step (already on the search path). */
  to: string;
  /** The cycle's path, starting and ending at `to`: [to, ..., from, to]. */
  path: string[];
}

/**
 * Finds cycles by iterative depth-first search in node order, following each node's needs in order.
 * Every back edge is reported once; removing the reported edges leaves an acyclic graph.
 */
export function findCycles(nodes: readonly string[], needs: ReadonlyMap<string, readonly string[]>): Cycle[] {
  const state = new Map<string, 'active' | 'done'>();
  const known = new Set(nodes);
  const cycles: Cycle[] = [];
  for (const root of nodes) {
    if (state.has(root)) continue;
    const stack: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    const onPath: string[] = [root];
    state.set(root, 'active');
    while (stack.length) {
      const top = stack[stack.length - 1];
      const deps = needs.get(top.node) ?? [];
      if (top.next >= deps.length) {
        state.set(top.node, 'done');
        stack.pop();
        onPath.pop();
        continue;
      }
      const dep = deps[top.next++];
      if (!known.has(dep)) continue;
      const s = state.get(dep);
      if (s === 'active') {
        const start = onPath.indexOf(dep);
        cycles.push({ from: top.node, to: dep, path: [...onPath.slice(start), dep] });
      } else if (s === undefined) {
        state.set(dep, 'active');
        stack.push({ node: dep, next: 0 });
        onPath.push(dep);
      }
    }
  }
  return cycles;
}

/**
 * A topological order (needs before dependants), stable: among ready steps the one listed first in
 * `nodes` goes first. Edges to unknown nodes are ignored. Steps on a cycle are left out.
 */
export function topologicalOrder(nodes: readonly string[], needs: ReadonlyMap<string, readonly string[]>): string[] {
  const index = new Map(nodes.map((n, i) => [n, i]));
  const pending = new Map<string, number>();
  const dependants = new Map<string, string[]>();
  for (const n of nodes) {
    const deps = [...new Set((needs.get(n) ?? []).filter((d) => index.has(d)))];
    pending.set(n, deps.length);
    for (const d of deps) dependants.set(d, [...(dependants.get(d) ?? []), n]);
  }
  // A binary heap keyed by source index keeps this O(n log n) for large runbooks.
  const heap: number[] = [];
  const push = (i: number) => {
    heap.push(i);
    for (let c = heap.length - 1; c > 0;) {
      const p = (c - 1) >> 1;
      if (heap[p] <= heap[c]) break;
      [heap[p], heap[c]] = [heap[c], heap[p]];
      c = p;
    }
  };
  const pop = (): number => {
    const top = heap[0];
    const last = heap.pop() as number;
    if (heap.length) {
      heap[0] = last;
      for (let p = 0; ;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < heap.length && heap[l] < heap[m]) m = l;
        if (r < heap.length && heap[r] < heap[m]) m = r;
        if (m === p) break;
        [heap[p], heap[m]] = [heap[m], heap[p]];
        p = m;
      }
    }
    return top;
  };
  nodes.forEach((n, i) => pending.get(n) === 0 && push(i));
  const order: string[] = [];
  while (heap.length) {
    const n = nodes[pop()];
    order.push(n);
    for (const d of dependants.get(n) ?? []) {
      const left = (pending.get(d) ?? 0) - 1;
      pending.set(d, left);
      if (left === 0) push(index.get(d) as number);
    }
  }
  return order;
}

/**
 * True when `target` is a transitive need of `from`, searching breadth-first with early exit; cycles tolerated.
 * Cheaper than materialising every ancestor set, which is quadratic for long chains.
 */
export function dependsOn(needs: ReadonlyMap<string, readonly string[]>, from: string, target: string): boolean {
  // Breadth-first: references usually point at near ancestors, which this finds without walking the whole graph.
  const seen = new Set<string>([from]);
  const queue = [...(needs.get(from) ?? [])];
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i];
    if (n === target) return true;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const d of needs.get(n) ?? []) if (!seen.has(d)) queue.push(d);
  }
  return false;
}
