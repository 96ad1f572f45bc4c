/**
 * Failure types the engine itself raises (ApplicationFailure `type`). Clients and the audit branch on
 * these codes, never on message text.
 */
import { ApplicationFailure } from '@temporalio/workflow';

export const EngineErrors = {
  /** Update refusals. */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  GATE_UNKNOWN: 'GATE_UNKNOWN',
  GATE_NOT_OPEN: 'GATE_NOT_OPEN',
  GATE_ALREADY_DECIDED: 'GATE_ALREADY_DECIDED',
  APPROVER_NOT_ALLOWED: 'APPROVER_NOT_ALLOWED',
  APPROVER_ALREADY_VOTED: 'APPROVER_ALREADY_VOTED',
  INITIATOR_MAY_NOT_APPROVE: 'INITIATOR_MAY_NOT_APPROVE',
  COMMENT_REQUIRED: 'COMMENT_REQUIRED',
  STEP_UNKNOWN: 'STEP_UNKNOWN',
  STEP_NOT_AWAITING_DECISION: 'STEP_NOT_AWAITING_DECISION',
  ALREADY_PAUSED: 'ALREADY_PAUSED',
  NOT_PAUSED: 'NOT_PAUSED',
  RUN_FINISHED: 'RUN_FINISHED',
  /** Step and run outcomes. */
  APPROVAL_REJECTED: 'APPROVAL_REJECTED',
  APPROVAL_TIMEOUT: 'APPROVAL_TIMEOUT',
  FOREACH_FAILED: 'FOREACH_FAILED',
  FOREACH_NOT_A_LIST: 'FOREACH_NOT_A_LIST',
  EXPRESSION_FAILED: 'EXPRESSION_FAILED',
  /** An expression read a step output the activity stored as evidence (too large to pass between steps). */
  OUTPUT_STORED: 'OUTPUT_STORED',
  /** An expression read a step output the engine's size cap dropped. */
  OUTPUT_DROPPED: 'OUTPUT_DROPPED',
  /** An expression read an output a succeeded step did not return. */
  OUTPUT_MISSING: 'OUTPUT_MISSING',
  WAIT_TIMEOUT: 'WAIT_TIMEOUT',
  CANCELLED: 'CANCELLED',
  OPERATOR_ABORT: 'OPERATOR_ABORT',
  RUN_ABORTED: 'RUN_ABORTED',
  PLAN_UNSUPPORTED: 'PLAN_UNSUPPORTED',
} as const;

export type EngineErrorType = (typeof EngineErrors)[keyof typeof EngineErrors];

/** A non-retryable ApplicationFailure with an engine `type`. */
export function engineFailure(type: EngineErrorType, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : undefined });
}
