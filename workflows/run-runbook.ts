/**
 * The durable interpreter of a Plan. Schedules the DAG, runs gates and decisions, rolls back on abort
 * or cancellation, publishes phase and status, and continues as new when history grows large.
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Plan } from '../compiler/plan';
import { EngineErrors, engineFailure } from './errors';
import { installHandlers } from './handlers';
import { runRollback } from './rollback';
import { Scheduler } from './scheduler';
import { clusterOf, runMemo, runSearchAttributes } from './search-attributes';
import { nowIso, RunState } from './state';
import type { RunOptions, RunPhase, RunStatus } from './types';

const SUPPORTED_PLAN_VERSION = 1;

function finish(state: RunState, phase: RunPhase): void {
  state.finalPhase = phase;
  state.endedAt = nowIso();
  state.touch();
}

/**
 * Runs `plan` with `params`. Resolves to the final status when every step is terminal.
 * @throws ApplicationFailure RUN_ABORTED (after rollback) when a step or an operator aborts the run;
 *   CancelledFailure (after rollback) when the workflow is cancelled.
 */
export async function runRunbook(plan: Plan, params: Record<string, unknown>, options: RunOptions): Promise<RunStatus> {
  if (plan.planVersion !== SUPPORTED_PLAN_VERSION) {
    throw engineFailure(EngineErrors.PLAN_UNSUPPORTED, `plan version ${String(plan.planVersion)} is not supported`);
  }
  const cluster = clusterOf(plan, params);
  const state = new RunState(plan, params, options, cluster);
  if (!options.resume) {
    upsertSearchAttributes(runSearchAttributes(plan, cluster, options.mode, 'running'));
    upsertMemo(runMemo(plan));
  }
  installHandlers(state);
  const scheduler = new Scheduler(state);
  let outcome;
  try {
    outcome = await scheduler.run();
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // A run already stopping (say, a rejected gate) keeps that outcome: cancelling must not widen its rollback.
    state.outcome ??= 'cancelled';
    await CancellationScope.nonCancellable(async () => {
      await scheduler.drain();
      await runRollback(state);
      finish(state, 'cancelled');
    });
    throw err;
  }
  if (outcome === 'continue-as-new') {
    await condition(allHandlersFinished);
    return continueAsNew<typeof runRunbook>(plan, params, { ...options, resume: state.snapshot() });
  }
  if (outcome === 'abort') {
    // Rollback must complete even if someone cancels the run while it rolls back.
    await CancellationScope.nonCancellable(() => runRollback(state));
    finish(state, 'aborted');
    await condition(allHandlersFinished);
    const why = state.abortReason!;
    throw ApplicationFailure.create({
      type: EngineErrors.RUN_ABORTED,
      message: `run aborted: ${why.type}: ${why.message}`,
      nonRetryable: true,
      details: [{ abortReason: why }],
    });
  }
  const failed = [...state.steps.values()].some((r) => r.state === 'failed');
  finish(state, failed ? 'completed-with-failures' : 'succeeded');
  await condition(allHandlersFinished);
  return state.status();
}
