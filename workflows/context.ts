/**
 * Expression evaluation inside the workflow: builds the ExprContext from run state and turns
 * evaluation problems into step failures with a stable type.
 */
import { workflowInfo } from '@temporalio/workflow';
import { evaluateExpr, ExprOutputError, isTruthy, resolveValue } from '../compiler/expr';
import type { ExprContext } from '../compiler/expr';
import type { PlanExpr, PlanValue } from '../compiler/plan';
import { EngineErrors } from './errors';
import { StepFailed } from './step-failed';
import type { RunState } from './state';

/** What expressions see now, with `item` bound inside a forEach. */
export function exprContext(state: RunState, item?: unknown): ExprContext {
  return {
    params: state.params,
    inventory: state.plan.inventory as Record<string, unknown>,
    steps: state.exprSteps,
    ...(item !== undefined ? { item } : {}),
    run: {
      mode: state.options.mode,
      dryRun: state.options.dryRun,
      workflowId: workflowInfo().workflowId,
      ...(state.outcome ? { outcome: state.outcome } : {}),
    },
    ...(state.outputsByField ? { strictOutputs: true } : {}),
  };
}

function fail(what: string, err: unknown): never {
  throw new StepFailed({
    // An unreadable step output keeps its own type (OUTPUT_STORED, OUTPUT_DROPPED, OUTPUT_MISSING).
    type: err instanceof ExprOutputError ? err.code : EngineErrors.EXPRESSION_FAILED,
    message: `${what}: ${err instanceof Error ? err.message : String(err)}`,
    at: new Date().toISOString(),
  });
}

/** Resolves a PlanValue. @throws StepFailed EXPRESSION_FAILED when evaluation fails. */
export function resolve(value: PlanValue, state: RunState, item?: unknown, what = 'inputs'): unknown {
  try {
    return resolveValue(value, exprContext(state, item));
  } catch (err) {
    fail(`cannot evaluate ${what}`, err);
  }
}

/** Evaluates a `when:` (or `until:`) condition to a boolean. @throws StepFailed EXPRESSION_FAILED. */
export function holds(expr: PlanExpr, state: RunState, item?: unknown): boolean {
  try {
    return isTruthy(evaluateExpr(expr.$expr, exprContext(state, item)));
  } catch (err) {
    fail(`cannot evaluate '${expr.text}'`, err);
  }
}

/** Renders a gate's summary as text for the approver. Never throws: an evaluation problem is shown instead. */
export function renderEvidence(value: PlanValue, state: RunState): string {
  try {
    const v = resolveValue(value, exprContext(state));
    return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
  } catch (err) {
    return `(evidence could not be rendered: ${err instanceof Error ? err.message : String(err)})`;
  }
}
