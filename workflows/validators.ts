/**
 * Pure checks behind the Update validators. Each throws an ApplicationFailure whose `type` names the
 * refusal (see errors.ts); the caller gets it back and no history event is written.
 */
import { EngineErrors, engineFailure } from './errors';
import type { Decision, GateStatus, StepStatus, Verdict } from './types';

const VERDICTS: readonly string[] = ['approve', 'reject'];
const DECISIONS: readonly string[] = ['retry', 'skip', 'abort'];

function requireName(by: unknown): void {
  if (typeof by !== 'string' || !by.trim()) {
    throw engineFailure(EngineErrors.INVALID_ARGUMENT, 'who decides must be given (--as NAME)');
  }
}

/**
 * Validates `approve(gateId, decision, by, comment)` against the gate and the run's initiator.
 * @throws ApplicationFailure GATE_UNKNOWN, GATE_NOT_OPEN, GATE_ALREADY_DECIDED, APPROVER_NOT_ALLOWED,
 *   INITIATOR_MAY_NOT_APPROVE, COMMENT_REQUIRED, APPROVER_ALREADY_VOTED or INVALID_ARGUMENT.
 */
export function validateApproval(
  gate: GateStatus | undefined,
  gateId: string,
  decision: Verdict,
  by: string,
  comment: string,
  initiator: string,
): void {
  if (!gate) throw engineFailure(EngineErrors.GATE_UNKNOWN, `there is no approval gate '${gateId}' in this run`);
  if (!VERDICTS.includes(decision)) {
    throw engineFailure(EngineErrors.INVALID_ARGUMENT, `decision must be approve or reject, not '${String(decision)}'`);
  }
  requireName(by);
  if (gate.state === 'pending') {
    throw engineFailure(EngineErrors.GATE_NOT_OPEN, `gate '${gateId}' is not open yet; its earlier steps still run`);
  }
  if (gate.state !== 'waiting') {
    throw engineFailure(EngineErrors.GATE_ALREADY_DECIDED, `gate '${gateId}' was already decided (${gate.state})`);
  }
  if (!gate.approvers.includes(by)) {
    throw engineFailure(
      EngineErrors.APPROVER_NOT_ALLOWED,
      `'${by}' is not an approver of gate '${gateId}' (approvers: ${gate.approvers.join(', ')})`,
    );
  }
  if (!gate.initiatorMayApprove && by === initiator) {
    throw engineFailure(
      EngineErrors.INITIATOR_MAY_NOT_APPROVE,
      `'${by}' started this run and gate '${gateId}' does not let the initiator decide it`,
    );
  }
  if (gate.requireComment && (typeof comment !== 'string' || !comment.trim())) {
    throw engineFailure(EngineErrors.COMMENT_REQUIRED, `gate '${gateId}' requires a comment (--comment ...)`);
  }
  if (gate.approvals.some((a) => a.round === gate.round && a.by === by)) {
    throw engineFailure(EngineErrors.APPROVER_ALREADY_VOTED, `'${by}' already decided gate '${gateId}'`);
  }
}

/**
 * Validates `decide(stepId, decision, by, comment)`.
 * @throws ApplicationFailure STEP_UNKNOWN, STEP_NOT_AWAITING_DECISION or INVALID_ARGUMENT.
 */
export function validateDecision(step: StepStatus | undefined, stepId: string, decision: Decision, by: string): void {
  if (!step) throw engineFailure(EngineErrors.STEP_UNKNOWN, `there is no step '${stepId}' in this run`);
  if (!DECISIONS.includes(decision)) {
    throw engineFailure(
      EngineErrors.INVALID_ARGUMENT,
      `decision must be retry, skip or abort, not '${String(decision)}'`,
    );
  }
  requireName(by);
  if (step.state !== 'failed-awaiting-decision') {
    throw engineFailure(
      EngineErrors.STEP_NOT_AWAITING_DECISION,
      `step '${stepId}' is not waiting for a decision (it is ${step.state})`,
    );
  }
}
