/**
 * Step identity and dependencies: unique ids, `needs` resolution, self-dependencies, cycles (named,
 * at the edge that closes them) and the rollback section's separation from the main steps; a rollback
 * step's edges are the main steps it undoes (passes/rollback.ts).
 */
import { hint } from '../diagnostics';
import { findCycles } from '../graph';
import type { PassContext, StepInfo } from './context';
import { needsOf } from './context';
import { resolveUndoes } from './rollback';

/** Fills ctx.byId, each step's valid needs and ctx.needsGraph; reports identity and dependency errors. */
export function checkSteps(ctx: PassContext): void {
  for (const step of [...ctx.steps, ...ctx.rollback]) {
    if (step.id === undefined) continue;
    const first = ctx.byId.get(step.id);
    if (first) {
      const line = ctx.source.position(ctx.source.offsets([...first.path, 'id'], 'value')[0]).line;
      ctx.report(
        'STEP_ID_DUPLICATE',
        [...step.path, 'id'],
        `step id '${step.id}' is already used by ${first.section}[${first.index}] on line ${line}; give each step a unique id`,
      );
    } else {
      ctx.byId.set(step.id, step);
    }
  }
  resolveNeeds(ctx, ctx.steps);
  // A rollback step's edges are the main steps it undoes: they order nothing among rollback steps.
  resolveUndoes(ctx);
  reportCycles(ctx, ctx.steps);
  const all = [...ctx.steps, ...ctx.rollback].filter((s) => s.id !== undefined && ctx.byId.get(s.id) === s);
  ctx.needsGraph = new Map(all.map((s) => [s.id as string, s.needs.map((n) => n.id)]));
}

function resolveNeeds(ctx: PassContext, section: StepInfo[]): void {
  const ids = section.flatMap((s) => (s.id ? [s.id] : []));
  for (const step of section) {
    const seen = new Set<string>();
    for (const { name, path } of needsOf(step)) {
      const target = ctx.byId.get(name);
      if (name === step.id) {
        ctx.report('NEEDS_SELF', path, `step '${name}' needs itself; remove '${name}' from its needs`);
      } else if (!target) {
        ctx.report('NEEDS_UNKNOWN', path, `needs '${name}', but no step has that id${hint(name, ids)}`);
      } else if (target.section !== step.section) {
        const msg = `step '${step.id}' needs rollback step '${name}'; main steps may only need main steps`;
        ctx.report('ROLLBACK_NEEDS_MAIN', path, msg);
      } else if (seen.has(name)) {
        ctx.report('NEEDS_DUPLICATE', path, `'${name}' is listed twice in needs; remove the repeat`);
      } else {
        seen.add(name);
        step.needs.push({ id: name, path });
      }
    }
  }
}

function reportCycles(ctx: PassContext, section: StepInfo[]): void {
  const unique = section.filter((s) => s.id !== undefined && ctx.byId.get(s.id) === s);
  const graph = new Map(unique.map((s) => [s.id as string, s.needs.map((n) => n.id)]));
  for (const cycle of findCycles([...graph.keys()], graph)) {
    const from = ctx.byId.get(cycle.from) as StepInfo;
    const edge = from.needs.find((n) => n.id === cycle.to);
    if (!edge) continue;
    ctx.report(
      'DEPENDENCY_CYCLE',
      edge.path,
      `dependency cycle ${cycle.path.join(' → ')}: '${cycle.from}' needs '${cycle.to}', which itself depends on '${cycle.from}'; remove one of these needs`,
    );
  }
}
