/**
 * Runs one forward step to a terminal state: `when`, execution, and the failure policy
 * (pause → operator decision, abort → run rollback, continue → mark failed). Never throws.
 */
import { condition, isCancellation } from '@temporalio/workflow';
import type { PlanStep, RunOutcome } from '../compiler/plan';
import { holds } from './context';
import { EngineErrors } from './errors';
import { execute } from './execute';
import type { Outcome } from './execute';
import { runGate } from './gate';
import type { RunState } from './state';
import { nowIso } from './state';
import { StepFailed, toStepError } from './step-failed';
import type { StepError, StepStatus } from './types';

/** Records a successful outcome on the step. */
export function applyOutcome(state: RunState, rec: StepStatus, r: Outcome): void {
  state.setOutputs(rec, r.outputs);
  rec.changed = r.changed;
  rec.summary = r.summary ?? null;
  if (r.planned) rec.planned = true;
  state.transition(rec, 'succeeded');
}

function isCancelled(err: unknown): boolean {
  return isCancellation(err) || (err instanceof StepFailed && err.error.type === EngineErrors.CANCELLED);
}

/** True when `when:` lets the step run; otherwise marks it skipped. Throws StepFailed on a bad expression. */
function admitted(step: PlanStep, rec: StepStatus, state: RunState): boolean {
  if (!step.when || holds(step.when, state)) return true;
  rec.skipReason = 'when';
  rec.summary = `skipped: '${step.when.text}' is false`;
  state.transition(rec, 'skipped');
  return false;
}

/**
 * How a failure that stops the run ends it: a rejected gate is `rejected`; a gate's `onTimeout: abort` is
 * `aborted` (policy); a step's own `onFailure: abort` is `failed`.
 */
function forcedOutcome(err: unknown, e: StepError): RunOutcome {
  if (e.type === EngineErrors.APPROVAL_REJECTED) return 'rejected';
  return err instanceof StepFailed && err.options.forceAbort ? 'aborted' : 'failed';
}

/**
 * Drives `step` until it is succeeded, skipped or failed. Calls `abort` with how the run ends when it must
 * stop and roll back (onFailure abort, a rejected gate, an operator's abort).
 */
export async function runStep(
  step: PlanStep,
  state: RunState,
  abort: (e: StepError, outcome: RunOutcome) => void,
): Promise<void> {
  const rec = state.step(step.id);
  for (;;) {
    rec.attempt++;
    rec.error = null;
    try {
      if (rec.attempt === 1 && !admitted(step, rec, state)) return;
      let r: Outcome;
      if (step.kind === 'approval') {
        r = await runGate(step, rec, state);
      } else {
        state.transition(rec, 'running');
        r = await execute(step, rec, state);
      }
      applyOutcome(state, rec, r);
      return;
    } catch (err) {
      const e = toStepError(err);
      rec.error = isCancelled(err) ? { ...e, type: EngineErrors.CANCELLED } : e;
      if (err instanceof StepFailed && err.options.outputs) state.setOutputs(rec, err.options.outputs);
      if (isCancelled(err)) return state.transition(rec, 'failed');
      if ((err instanceof StepFailed && err.options.forceAbort) || step.onFailure === 'abort') {
        state.transition(rec, 'failed');
        return abort(rec.error, forcedOutcome(err, rec.error));
      }
      if (step.onFailure === 'continue') return state.transition(rec, 'failed');
      state.transition(rec, 'failed-awaiting-decision');
      try {
        await condition(() => state.pendingDecisions.has(step.id));
      } catch {
        return state.transition(rec, 'failed');
      }
      const d = state.pendingDecisions.get(step.id)!;
      state.pendingDecisions.delete(step.id);
      if (d.decision === 'retry') continue;
      if (d.decision === 'skip') {
        rec.skipReason = 'operator';
        rec.summary = `skipped by ${d.by}${d.comment ? `: ${d.comment}` : ''}`;
        return state.transition(rec, 'skipped');
      }
      state.transition(rec, 'failed');
      const why = `${d.by} aborted the run at step '${step.id}'${d.comment ? `: ${d.comment}` : ''}`;
      return abort({ type: EngineErrors.OPERATOR_ABORT, message: why, at: nowIso() }, 'aborted');
    }
  }
}
