/**
 * The status of a closed run, rebuilt from its history alone (no worker has to answer a query):
 * `rekindle status` and `watch` use it for runs that were aborted, cancelled, terminated or timed out.
 * A completed run's own result is its final status and is preferred where there is one.
 */
import type { Plan, PlanStep } from '../compiler/plan';
import { clusterOf } from '../workflows/search-attributes';
import type { GateState, GateStatus, RunPhase, RunStatus, StepState, StepStatus } from '../workflows/types';
import type { AuditReport, AuditStep } from './model';

const PHASES: Record<string, RunPhase> = {
  succeeded: 'succeeded',
  'completed-with-failures': 'completed-with-failures',
  aborted: 'aborted',
  cancelled: 'cancelled',
};

const STATES: ReadonlySet<string> = new Set([
  'pending',
  'running',
  'waiting-approval',
  'failed-awaiting-decision',
  'succeeded',
  'skipped',
  'failed',
  'rolled-back',
]);

function stepStatus(s: AuditStep, closed: boolean): StepStatus {
  const last = s.attempts[s.attempts.length - 1];
  const state = s.state === 'not-run' || !STATES.has(s.state) ? 'pending' : (s.state as StepState);
  return {
    id: s.id,
    ...(s.title ? { title: s.title } : {}),
    action: s.action,
    kind: s.kind,
    // A closed run leaves nothing running: an attempt still open when it closed did not finish.
    state: closed && (state === 'running' || state === 'waiting-approval') ? 'failed' : state,
    attempt: s.attempts.reduce((n, a) => Math.max(n, a.attempt), 0),
    startedAt: s.attempts[0]?.startedAt ?? s.attempts[0]?.scheduledAt ?? null,
    endedAt: last?.endedAt ?? null,
    outputs: last?.result?.outputs ?? null,
    changed: last?.result ? last.result.changed : null,
    summary: last?.result?.summary ?? null,
    error: last?.error ? { type: last.error.type, message: last.error.message, at: last.endedAt ?? '' } : null,
    source: s.source,
  };
}

function gateStatus(step: PlanStep, rec: StepStatus | undefined, report: AuditReport): GateStatus {
  const a = step.approval!;
  const votes = report.approvals.filter((x) => x.gate === step.id);
  const err = rec?.error?.type;
  const state: GateState =
    votes.some((v) => v.decision === 'reject') || err === 'APPROVAL_REJECTED'
      ? 'rejected'
      : err === 'APPROVAL_TIMEOUT'
        ? 'timed-out'
        : rec?.state === 'succeeded'
          ? 'approved'
          : 'pending';
  const mode = report.options.mode;
  return {
    id: step.id,
    state,
    approvers: mode === 'drill' ? [...a.approvers, ...(a.drillApprovers ?? [])] : a.approvers,
    minApprovals: a.minApprovals,
    requireComment: a.requireComment,
    initiatorMayApprove: a.initiatorMayApprove,
    onTimeout: a.onTimeout,
    evidence: votes[votes.length - 1]?.evidence ?? null,
    openedAt: rec?.startedAt ?? null,
    deadline: null,
    round: votes.reduce((n, v) => Math.max(n, v.round ?? 0), 0),
    approvals: votes.map((v) => ({
      by: v.by,
      decision: v.decision,
      comment: v.comment,
      at: v.at,
      round: v.round ?? 0,
      ...(v.policy ? { policy: true } : {}),
    })),
  };
}

/** Why the run ended early: the engine's own abort reason (RUN_ABORTED details), else the closing failure. */
function abortReason(report: AuditReport): RunStatus['abortReason'] {
  const err = report.outcome.error;
  if (!err) return null;
  const engine = (err.details?.[0] as { abortReason?: RunStatus['abortReason'] } | undefined)?.abortReason;
  return engine ?? { type: err.type, message: err.message, at: report.outcome.at ?? '' };
}

/**
 * The status query's shape, from an audit report of the run's history. The phase of a run that was
 * terminated, timed out or failed outside the engine is `aborted`, with the reason in `abortReason`.
 */
export function statusFromReport(report: AuditReport): RunStatus {
  const closed = report.outcome.status !== 'running';
  const plan: Plan = report.plan;
  const steps = report.steps.map((s) => stepStatus(s, closed));
  const byId = new Map(steps.map((s) => [s.id, s]));
  const lastPhase = report.phases[report.phases.length - 1]?.phase;
  const phase: RunPhase =
    PHASES[report.outcome.status] ?? (closed ? 'aborted' : ((lastPhase as RunPhase) ?? 'running'));
  const gates = plan.steps
    .filter((s) => s.kind === 'approval' && s.approval)
    .map((s) => gateStatus(s, byId.get(s.id), report));
  return {
    workflowId: report.workflowId,
    runbook: report.runbook,
    cluster: clusterOf(plan, report.params),
    mode: report.options.mode === 'drill' ? 'drill' : 'recovery',
    dryRun: report.options.dryRun,
    initiator: report.options.initiator,
    phase,
    paused: false,
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    steps,
    rollback: report.rollback.map((s) => stepStatus(s, closed)),
    gates,
    pendingGates: closed
      ? []
      : gates.filter((g) => g.state === 'pending' && byId.get(g.id)?.state === 'waiting-approval'),
    decisions: report.decisions.map((d) => ({
      stepId: d.step,
      decision: d.decision,
      by: d.by,
      comment: d.comment,
      at: d.at,
      attempt: 0,
    })),
    operatorLog: report.operator.map((o) => ({
      action: o.action as 'pause' | 'resume' | 'cancel',
      by: o.by,
      comment: o.comment,
      at: o.at,
    })),
    refusals: [],
    abortReason: abortReason(report),
    continuedAsNew: Math.max(0, (report.history.runs?.length ?? 1) - 1),
  };
}
