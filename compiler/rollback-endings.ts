/**
 * For each way a run can end at each main step, which rollback steps would run: what `plan` shows.
 * Pure. The prediction assumes the run reached the step the normal way (every earlier step it needs
 * succeeded, or was skipped by its own `when:`); steps on other branches may or may not have run.
 *
 * Endings by step: `cancelled` anywhere; `rejected` at a gate; `aborted` where an operator can decide
 * abort (onFailure pause) or a gate times out with `onTimeout: abort`; `failed` where onFailure is abort.
 */
import { DEFAULT_ROLLBACK_OUTCOMES, possibleValues, verdict } from './expr';
import type { Possible } from './expr';
import type { Plan, PlanStep, RunOutcome } from './plan';

/** One ending: the rollback steps that run for certain, and those that run depending on the run. */
export interface RollbackEnding {
  step: string;
  outcome: RunOutcome;
  runs: string[];
  mayRun: string[];
}

/** The outcomes a run can end with while `step` is the step that stops it. */
export function endingsAt(step: PlanStep): RunOutcome[] {
  const out: RunOutcome[] = ['cancelled'];
  if (step.kind === 'approval') out.push('rejected');
  if (step.onFailure === 'pause' || step.approval?.onTimeout === 'abort') out.push('aborted');
  if (step.onFailure === 'abort') out.push('failed');
  return out;
}

function ancestorsOf(plan: Plan): Map<string, Set<string>> {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const memo = new Map<string, Set<string>>();
  // plan.steps is in topological order, so every need's set exists before its dependants'.
  for (const s of plan.steps) {
    const set = new Set<string>();
    for (const n of s.needs) {
      set.add(n);
      for (const a of memo.get(n) ?? []) set.add(a);
    }
    if (byId.has(s.id)) memo.set(s.id, set);
  }
  return memo;
}

type Relation = 'self' | 'ancestor' | 'descendant' | 'other';

/** What a step's state can be when the run ends at `at`. */
function statesOf(step: PlanStep, rel: Relation, undone: boolean): Possible {
  const rolled = undone ? ['rolled-back'] : [];
  if (rel === 'self') return ['failed', ...rolled];
  if (rel === 'descendant') return ['pending'];
  if (rel === 'ancestor') return [...(step.when ? ['succeeded', 'skipped'] : ['succeeded']), ...rolled];
  return 'any';
}

/** Every (step, ending) pair of the plan with its rollback prediction, in plan order. */
export function rollbackEndings(plan: Plan): RollbackEnding[] {
  const ancestors = ancestorsOf(plan);
  const index = new Map(plan.steps.map((s, i) => [s.id, i]));
  const undoneIds = new Set(plan.rollback.flatMap((r) => r.needs));
  const out: RollbackEnding[] = [];
  for (const at of plan.steps) {
    const rel = (s: PlanStep): Relation =>
      s.id === at.id
        ? 'self'
        : ancestors.get(at.id)?.has(s.id)
          ? 'ancestor'
          : ancestors.get(s.id)?.has(at.id)
            ? 'descendant'
            : 'other';
    const relations = new Map(plan.steps.map((s) => [s.id, rel(s)]));
    const byId = new Map(plan.steps.map((s) => [s.id, s]));
    for (const outcome of endingsAt(at)) {
      const runs: Array<{ id: string; order: number }> = [];
      const mayRun: Array<{ id: string; order: number }> = [];
      for (const r of plan.rollback) {
        if (!(r.outcomes ?? DEFAULT_ROLLBACK_OUTCOMES).includes(outcome)) continue;
        let started: 'yes' | 'maybe' | 'no' = 'no';
        for (const n of r.needs) {
          const relation = relations.get(n);
          const s = byId.get(n);
          if (!s || relation === 'descendant') continue;
          const certain = relation === 'self' || (relation === 'ancestor' && !s.when);
          if (certain) started = 'yes';
          else if (started === 'no') started = 'maybe';
        }
        if (started === 'no') continue;
        const cond = r.when
          ? verdict(
              possibleValues(r.when.$expr, (p) => {
                if (p.root === 'run' && p.segments.length === 1 && p.segments[0] === 'outcome') return [outcome];
                const s = p.root === 'steps' ? byId.get(String(p.segments[0])) : undefined;
                if (s && p.segments.length === 2 && p.segments[1] === 'state')
                  return statesOf(s, relations.get(s.id)!, undoneIds.has(s.id));
                return 'any';
              }),
            )
          : 'always';
        if (cond === 'never') continue;
        const order = Math.max(...r.needs.map((n) => index.get(n) ?? -1));
        (started === 'yes' && cond === 'always' ? runs : mayRun).push({ id: r.id, order });
      }
      const ids = (l: typeof runs) => l.sort((a, b) => b.order - a.order).map((x) => x.id);
      out.push({ step: at.id, outcome, runs: ids(runs), mayRun: ids(mayRun) });
    }
  }
  return out;
}
