/**
 * One execution of an `action` or `wait` step: resolve inputs, call the activity (once, or once per
 * forEach item with the step's rate control), or plan it under `--dry-run`.
 */
import { CancellationScope, condition, isCancellation, sleep, workflowInfo } from '@temporalio/workflow';
import type { ActionOutputs } from '../compiler/actions';
import type { ActionRequest, ActionResult, PlanExpr, PlanStep } from '../compiler/plan';
import { durationOrUndefined } from '../compiler/duration';
import { activityFor, stepTimeouts } from './activity-options';
import { capText } from './caps';
import { holds, resolve } from './context';
import { EngineErrors } from './errors';
import type { RunState } from './state';
import { StepFailed, toStepError } from './step-failed';
import type { StepError, StepStatus } from './types';

/** What an execution produced. */
export interface Outcome {
  outputs: Record<string, unknown>;
  changed: boolean;
  summary?: string;
  planned?: boolean;
}

interface ItemResult {
  outputs?: Record<string, unknown>;
  changed?: boolean;
  summary?: string;
  error?: StepError;
  cancelled?: boolean;
}

async function callOnce(step: PlanStep, state: RunState, item?: unknown): Promise<Outcome> {
  const inputs = resolve(step.with, state, item) as Record<string, unknown>;
  if (state.options.dryRun && !step.readOnly) {
    return { outputs: {}, changed: false, planned: true, summary: `dry-run: would run ${step.action}` };
  }
  const request: ActionRequest = {
    workflowId: workflowInfo().workflowId,
    runId: workflowInfo().firstExecutionRunId,
    stepId: step.id,
    inputs,
    ...(item !== undefined ? { item } : {}),
    inventory: state.plan.inventory as Record<string, unknown>,
    mode: state.options.mode,
    dryRun: state.options.dryRun,
  };
  const r: ActionResult = await activityFor(step)(request);
  return { outputs: r.outputs ?? {}, changed: !!r.changed, ...(r.summary ? { summary: capText(r.summary, 500) } : {}) };
}

async function fanOut(step: PlanStep, rec: StepStatus, state: RunState): Promise<Outcome> {
  const fe = step.forEach!;
  const items = resolve(fe.items, state, undefined, 'forEach items');
  if (!Array.isArray(items)) {
    throw new StepFailed({
      type: EngineErrors.FOREACH_NOT_A_LIST,
      message: `forEach items evaluated to ${items === null ? 'null' : typeof items}, not a list`,
      at: new Date().toISOString(),
    });
  }
  const n = items.length;
  const results: ItemResult[] = new Array(n);
  const progress = { total: n, succeeded: 0, failed: 0, running: 0 };
  rec.items = progress;
  const errors: StepError[] = [];
  let next = 0;
  const exceeded = () => progress.failed > fe.maxFailures;
  const scope = new CancellationScope();
  const lane = async (): Promise<void> => {
    while (next < n && !exceeded()) {
      const i = next++;
      progress.running++;
      state.touch();
      try {
        const r = await callOnce(step, state, items[i]);
        results[i] = r;
        progress.succeeded++;
      } catch (err) {
        if (isCancellation(err)) {
          results[i] = { cancelled: true, error: { ...toStepError(err, i), type: EngineErrors.CANCELLED } };
        } else {
          const e = toStepError(err, i);
          errors.push(e);
          results[i] = { error: e };
          progress.failed++;
          // Hazard: only cancel in-flight items when the plan asks for fail-fast; otherwise let them finish.
          if (exceeded() && state.plan.failFast) scope.cancel();
        }
      } finally {
        progress.running--;
        state.touch();
      }
    }
  };
  const lanes = Math.max(1, Math.min(fe.maxParallel > 0 ? fe.maxParallel : n, n));
  await scope.run(() => Promise.all(Array.from({ length: lanes }, lane)));
  const outputs = {
    items: results.map((r) => (r ? { ...r, cancelled: undefined } : { skipped: true })),
    succeeded: progress.succeeded,
    failed: progress.failed,
  };
  const changed = results.some((r) => r?.changed);
  if (CancellationScope.current().consideredCancelled) {
    const message = `cancelled with ${progress.succeeded} of ${n} items done`;
    throw new StepFailed({ type: EngineErrors.CANCELLED, message, at: new Date().toISOString() }, { outputs });
  }
  if (exceeded()) {
    const first = errors[0];
    throw new StepFailed(
      {
        type: EngineErrors.FOREACH_FAILED,
        message: `${progress.failed} of ${n} items failed (maxFailures ${fe.maxFailures}); first, item ${first.item}: ${first.type}: ${first.message}`,
        at: new Date().toISOString(),
      },
      { outputs },
    );
  }
  const planned = n > 0 && results.every((r) => (r as Outcome).planned);
  return {
    outputs,
    changed,
    summary: `${progress.succeeded}/${n} items succeeded${progress.failed ? `, ${progress.failed} failed` : ''}`,
    ...(planned ? { planned } : {}),
  };
}

async function runWait(step: PlanStep, state: RunState): Promise<Outcome> {
  const until = step.with.until;
  if (until && typeof until === 'object' && '$expr' in until) {
    const expr = until as unknown as PlanExpr;
    const limitMs = stepTimeouts(step).startToCloseMs;
    // condition() re-evaluates on every state change of the run: there is no polling interval.
    const ok = await condition(() => holds(expr, state), limitMs);
    if (!ok) {
      throw new StepFailed({
        type: EngineErrors.WAIT_TIMEOUT,
        message: `'${expr.text}' did not hold within ${limitMs} ms`,
        at: new Date().toISOString(),
      });
    }
    return { outputs: {}, changed: false, summary: `'${expr.text}' holds` };
  }
  const raw = resolve(step.with.duration ?? step.with.durationMs ?? 0, state, undefined, 'duration');
  const ms = durationOrUndefined(raw);
  if (ms === undefined) {
    throw new StepFailed({
      type: EngineErrors.EXPRESSION_FAILED,
      message: `wait duration '${String(raw)}' is not a duration`,
      at: new Date().toISOString(),
    });
  }
  await sleep(ms);
  return { outputs: { waitedMs: ms } satisfies ActionOutputs<'wait'>, changed: false, summary: `waited ${ms} ms` };
}

/**
 * Runs an action or wait step once.
 * @throws StepFailed, an activity failure, or CancelledFailure when its scope is cancelled.
 */
export async function execute(step: PlanStep, rec: StepStatus, state: RunState): Promise<Outcome> {
  if (step.kind === 'wait') return runWait(step, state);
  if (step.forEach) return fanOut(step, rec, state);
  return callOnce(step, state);
}
