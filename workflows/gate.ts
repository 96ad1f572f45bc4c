/**
 * Approval gates: open a gate with its evidence, wait for M-of-N approvers (or a rejection, or the
 * timeout policy), and record every verdict so the audit can read who approved what, on what evidence.
 */
import { condition } from '@temporalio/workflow';
import type { ActionOutputs } from '../compiler/actions';
import type { PlanStep } from '../compiler/plan';
import { capText } from './caps';
import { renderEvidence } from './context';
import { EngineErrors } from './errors';
import type { Outcome } from './execute';
import { nowIso } from './state';
import type { RunState } from './state';
import { StepFailed } from './step-failed';
import type { GateState, GateStatus, StepStatus, Verdict } from './types';

/** Applies one accepted verdict to a gate (the Update handler's effect). Returns the gate. */
export function recordVerdict(gate: GateStatus, decision: Verdict, by: string, comment: string, policy = false): void {
  gate.approvals.push({
    by,
    decision,
    comment: capText(comment ?? ''),
    at: nowIso(),
    round: gate.round,
    ...(policy ? { policy } : {}),
  });
  if (decision === 'reject') {
    gate.state = 'rejected';
    return;
  }
  const approvals = gate.approvals.filter((a) => a.round === gate.round && a.decision === 'approve').length;
  if (approvals >= gate.minApprovals) gate.state = 'approved';
}

function policyApprove(gate: GateStatus, who: string, why: string): void {
  gate.approvals.push({ by: who, decision: 'approve', comment: why, at: nowIso(), round: gate.round, policy: true });
  gate.state = 'approved';
}

/**
 * Opens the gate and waits for its outcome.
 * @throws StepFailed APPROVAL_REJECTED (aborts the run) or APPROVAL_TIMEOUT (aborts when the policy says abort).
 */
export async function runGate(step: PlanStep, rec: StepStatus, state: RunState): Promise<Outcome> {
  const gate = state.gates.get(step.id)!;
  const a = step.approval!;
  const drill = state.options.mode === 'drill';
  gate.round++;
  gate.approvals = gate.approvals.filter((x) => x.round < gate.round);
  gate.evidence = capText(renderEvidence(a.summary, state), 8000);
  gate.openedAt = nowIso();
  gate.deadline = new Date(Date.now() + a.timeoutMs).toISOString();
  gate.state = 'waiting';
  state.transition(rec, 'waiting-approval');
  if (drill && state.options.autoApprove) policyApprove(gate, 'policy:drill-auto-approve', 'drill mode: auto-approved');
  const decided = await condition(() => gate.state !== 'waiting', a.timeoutMs);
  if (!decided) {
    if (a.onTimeout === 'approve' && drill) {
      policyApprove(gate, 'policy:timeout', `drill mode: no decision within ${a.timeoutMs} ms, approved by policy`);
    } else {
      gate.state = 'timed-out';
      const votes = gate.approvals.filter((x) => x.round === gate.round).length;
      throw new StepFailed(
        {
          type: EngineErrors.APPROVAL_TIMEOUT,
          message: `gate '${gate.id}' had ${votes} of ${gate.minApprovals} approvals when it timed out after ${a.timeoutMs} ms (onTimeout: ${a.onTimeout})`,
          at: nowIso(),
        },
        { forceAbort: a.onTimeout === 'abort' },
      );
    }
  }
  state.touch();
  const round = gate.approvals.filter((x) => x.round === gate.round);
  if ((gate.state as GateState) === 'rejected') {
    const r = round.find((x) => x.decision === 'reject')!;
    throw new StepFailed(
      {
        type: EngineErrors.APPROVAL_REJECTED,
        message: `gate '${gate.id}' rejected by ${r.by}${r.comment ? `: ${r.comment}` : ''}`,
        at: nowIso(),
      },
      { forceAbort: true },
    );
  }
  const by = round.map((x) => x.by);
  return {
    outputs: {
      approvedBy: by,
      evidence: gate.evidence,
      policy: round.some((x) => x.policy),
    } satisfies ActionOutputs<'approval'>,
    changed: false,
    summary: `approved by ${by.join(', ')}`,
  };
}
