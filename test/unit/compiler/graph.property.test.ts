/**
 * Properties of the dependency graph: for random DAGs the plan's order respects every edge; for
 * random graphs every cycle is found (each cycle contains a reported closing edge, so removing those
 * edges leaves a DAG), every reported path is a real cycle, and a plan exists exactly when there is none.
 */
import fc from 'fast-check';
import { compileRunbook } from '../../../compiler';
import { findCycles, topologicalOrder } from '../../../compiler/graph';

type Graph = Map<string, string[]>;

const graphArb = (allowCycles: boolean) =>
  fc.integer({ min: 1, max: 30 }).chain((n) =>
    fc
      .array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 })
      .map((pairs) => {
        const ids = Array.from({ length: n }, (_, i) => `s${i}`);
        const g: Graph = new Map(ids.map((id) => [id, []]));
        for (const [a, b] of pairs) {
          if (!allowCycles && a <= b) continue; // a DAG: needs point to lower indexes only
          const deps = g.get(ids[a]) as string[];
          if (!deps.includes(ids[b])) deps.push(ids[b]);
        }
        return g;
      })
      .chain((g) =>
        fc.shuffledSubarray([...g.keys()], { minLength: g.size, maxLength: g.size }).map((order) => ({ g, order })),
      ),
  );

function isAcyclic(nodes: string[], g: Graph): boolean {
  return topologicalOrder(nodes, g).length === nodes.length;
}

function toRunbook(order: string[], g: Graph): string {
  const steps = order.map((id) => {
    const needs = g.get(id) ?? [];
    return `  - id: ${id}\n    uses: kafka.health\n${needs.length ? `    needs: [${needs.join(', ')}]\n` : ''}`;
  });
  return `apiVersion: rekindle/v1\nkind: Runbook\nmetadata:\n  name: prop\nsteps:\n${steps.join('')}`;
}

describe('graph properties', () => {
  it('for random DAGs, the compiled plan orders every step after all of its needs', () => {
    fc.assert(
      fc.property(graphArb(false), ({ g, order }) => {
        const { plan, diagnostics } = compileRunbook({ file: 'p.yaml', text: toRunbook(order, g) });
        expect(diagnostics).toEqual([]);
        const pos = new Map(plan?.steps.map((s, i) => [s.id, i]));
        expect(pos.size).toBe(g.size);
        for (const [id, needs] of g)
          for (const n of needs) expect(pos.get(n) as number).toBeLessThan(pos.get(id) as number);
      }),
      { numRuns: 150 },
    );
  });

  it('finds every cycle of random graphs, each reported as a real cycle', () => {
    fc.assert(
      fc.property(graphArb(true), ({ g, order }) => {
        const cycles = findCycles(order, g);
        expect(cycles.length > 0).toBe(!isAcyclic(order, g));
        for (const c of cycles) {
          expect(c.path[0]).toBe(c.to);
          expect(c.path[c.path.length - 1]).toBe(c.to);
          expect(c.path[c.path.length - 2]).toBe(c.from);
          for (let i = 0; i + 1 < c.path.length; i++) expect(g.get(c.path[i])).toContain(c.path[i + 1]);
        }
        // Every cycle contains a reported closing edge: without them the graph is acyclic.
        const cut: Graph = new Map(
          [...g].map(([k, v]) => [k, v.filter((d) => !cycles.some((c) => c.from === k && c.to === d))]),
        );
        expect(isAcyclic(order, cut)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('compiles to a plan exactly when the needs graph has no cycle', () => {
    fc.assert(
      fc.property(graphArb(true), ({ g, order }) => {
        const { plan, diagnostics } = compileRunbook({ file: 'p.yaml', text: toRunbook(order, g) });
        const selfLoops = [...g].filter(([k, v]) => v.includes(k)).length;
        const withoutSelf: Graph = new Map([...g].map(([k, v]) => [k, v.filter((d) => d !== k)]));
        const acyclic = isAcyclic(order, withoutSelf);
        expect(diagnostics.filter((d) => d.code === 'NEEDS_SELF')).toHaveLength(selfLoops);
        expect(diagnostics.filter((d) => d.code === 'DEPENDENCY_CYCLE')).toHaveLength(
          findCycles(order, withoutSelf).length,
        );
        expect(plan !== undefined).toBe(acyclic && selfLoops === 0);
      }),
      { numRuns: 100 },
    );
  });
});
