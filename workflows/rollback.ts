/**
 * Rollback: runs the plan's `rollback:` steps for what the run changed, in reverse order of
 * completion, best effort (a failing rollback step is recorded and the next one still runs).
 *
 * Runs with the ROLLBACK_OUTCOMES_PATCH choose with selectRollback: a step runs only on the outcomes it
 * declares (never `rejected` unless its `when:` names it) and only when a main step it undoes started;
 * steps left out because of the outcome are marked skipped with reason `outcome`. Older histories keep
 * the old choice (rollbackOrder): a step without forward needs ran last whenever anything completed.
 */
import { isCancellation, patched } from '@temporalio/workflow';
import { DEFAULT_ROLLBACK_OUTCOMES } from '../compiler/expr/outcomes';
import type { PlanStep } from '../compiler/plan';
import { holds } from './context';
import { execute } from './execute';
import { selectRollback, touched } from './rollback-select';
import { applyOutcome } from './runner';
import type { RunState } from './state';
import { toStepError } from './step-failed';

/** Patch: rollback steps run only on their outcomes and only for main steps that started. */
export const ROLLBACK_OUTCOMES_PATCH = 'rollback-outcomes';

/** The rollback steps to run before the patch, in order. Pure: reads state only. */
export function rollbackOrder(state: RunState): PlanStep[] {
  const linked = selectRollback(state.plan.rollback, state.steps);
  const anyCompleted = [...state.steps.values()].some((r) => touched(r) && r.kind !== 'approval');
  const unlinked = state.plan.rollback.filter((s) => !s.needs.some((n) => state.steps.has(n)));
  return [...linked, ...(anyCompleted ? unlinked : [])];
}

/** Marks the rollback steps the outcome leaves out (though they undo something that started) as skipped. */
function skipForOutcome(state: RunState, chosen: PlanStep[]): void {
  const all = selectRollback(state.plan.rollback, state.steps);
  for (const step of all) {
    if (chosen.includes(step)) continue;
    const rec = state.rollback.get(step.id)!;
    rec.skipReason = 'outcome';
    const on = (step.outcomes ?? DEFAULT_ROLLBACK_OUTCOMES).join(', ') || 'no outcome';
    rec.summary = `not run: the run ended ${state.outcome}; this step runs on ${on}`;
    state.transition(rec, 'skipped');
  }
}

/** Runs the rollback. Call inside a non-cancellable scope when the workflow is being cancelled. Never throws. */
export async function runRollback(state: RunState): Promise<void> {
  let order: PlanStep[];
  if (patched(ROLLBACK_OUTCOMES_PATCH)) {
    order = selectRollback(state.plan.rollback, state.steps, state.outcome ?? 'aborted');
    skipForOutcome(state, order);
  } else {
    order = rollbackOrder(state);
  }
  if (order.length === 0) return;
  state.finalPhase = 'rolling-back';
  state.touch();
  for (const step of order) {
    const rec = state.rollback.get(step.id)!;
    rec.attempt++;
    try {
      if (step.when && !holds(step.when, state)) {
        rec.skipReason = 'when';
        rec.summary = `skipped: '${step.when.text}' is false`;
        state.transition(rec, 'skipped');
        continue;
      }
      state.transition(rec, 'running');
      applyOutcome(state, rec, await execute(step, rec, state));
      for (const n of step.needs) {
        const fwd = state.steps.get(n);
        if (touched(fwd)) state.transition(fwd, 'rolled-back');
      }
    } catch (err) {
      rec.error = toStepError(err);
      if (isCancellation(err)) rec.error.type = 'CANCELLED';
      state.transition(rec, 'failed');
    }
  }
}
