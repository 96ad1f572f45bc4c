/**
 * Rollback: runs the plan's `rollback:` steps for what the run changed, in reverse order of
 * completion, best effort (a failing rollback step is recorded and the next one still runs).
 *
 * A rollback step's `needs` name the forward steps it undoes: it runs when one of them succeeded or
 * failed after starting, ordered by the latest completion among them; those forward steps become
 * `rolled-back` when it succeeds. A rollback step without such needs runs last, in declared order,
 * whenever any forward step completed.
 */
import { isCancellation } from '@temporalio/workflow';
import type { PlanStep } from '../compiler/plan';
import { holds } from './context';
import { execute } from './execute';
import { applyOutcome } from './runner';
import type { RunState } from './state';
import { toStepError } from './step-failed';
import type { StepStatus } from './types';

function touched(r: StepStatus | undefined): r is StepStatus {
  return !!r && r.completedSeq !== undefined && (r.state === 'succeeded' || r.state === 'failed');
}

/** The rollback steps to run, in order. Pure: reads state only. */
export function rollbackOrder(state: RunState): PlanStep[] {
  const linked: Array<{ step: PlanStep; seq: number }> = [];
  const unlinked: PlanStep[] = [];
  const anyCompleted = [...state.steps.values()].some((r) => touched(r) && r.kind !== 'approval');
  for (const step of state.plan.rollback) {
    const forward = step.needs.filter((n) => state.steps.has(n));
    if (forward.length === 0) {
      if (anyCompleted) unlinked.push(step);
      continue;
    }
    const seqs = forward
      .map((n) => state.steps.get(n))
      .filter(touched)
      .map((r) => r.completedSeq!);
    if (seqs.length) linked.push({ step, seq: Math.max(...seqs) });
  }
  linked.sort((a, b) => b.seq - a.seq);
  return [...linked.map((l) => l.step), ...unlinked];
}

/** Runs the rollback. Call inside a non-cancellable scope when the workflow is being cancelled. Never throws. */
export async function runRollback(state: RunState): Promise<void> {
  const order = rollbackOrder(state);
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
