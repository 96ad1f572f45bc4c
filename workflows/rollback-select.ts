/**
 * Which rollback steps run, and in what order, for the way a run ended. Pure (no Temporal API), so the
 * rollback table test drives the engine's own choice for every shipped runbook.
 *
 * A rollback step runs when the outcome is one of its `outcomes` and a main step it undoes (`needs`)
 * started: it succeeded, or failed after starting. Steps run in reverse order of the latest completion
 * among what they undo; ties keep declared order.
 */
import { DEFAULT_ROLLBACK_OUTCOMES } from '../compiler/expr/outcomes';
import type { PlanStep, RunOutcome } from '../compiler/plan';
import type { StepStatus } from './types';

/** True when the step started and reached an end that may have changed something. */
export function touched(r: StepStatus | undefined): r is StepStatus {
  return !!r && r.completedSeq !== undefined && (r.state === 'succeeded' || r.state === 'failed');
}

/** True when the rollback step may run on `outcome` (plans compiled before outcomes use the default). */
export function runsOn(step: PlanStep, outcome: RunOutcome): boolean {
  return (step.outcomes ?? DEFAULT_ROLLBACK_OUTCOMES).includes(outcome);
}

/** The rollback steps undoing something that started, in run order; `outcome` filters them when given. */
export function selectRollback(
  rollback: readonly PlanStep[],
  steps: ReadonlyMap<string, StepStatus>,
  outcome?: RunOutcome,
): PlanStep[] {
  const linked: Array<{ step: PlanStep; seq: number }> = [];
  for (const step of rollback) {
    if (outcome && !runsOn(step, outcome)) continue;
    const seqs = step.needs
      .map((n) => steps.get(n))
      .filter(touched)
      .map((r) => r.completedSeq!);
    if (seqs.length) linked.push({ step, seq: Math.max(...seqs) });
  }
  // Array.prototype.sort is stable: equal completions keep the declared order.
  linked.sort((a, b) => b.seq - a.seq);
  return linked.map((l) => l.step);
}
