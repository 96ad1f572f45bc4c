/**
 * Builds the audit report from decoded history events alone: the started event's input (Plan,
 * params, options), activity events (inputs as rendered, results, failures with types), accepted
 * Updates (approvals, decisions, pause/resume with who and comment), phase search attributes, the end.
 */
import type { Plan, PlanStep } from '../compiler/plan';
import type { GateStatus, RunOptions, RunStatus } from '../workflows/types';
import type { DecodedEvent, FailureInfo } from './decode';
import { dagLevels } from './levels';
import { REPORT_VERSION } from './model';
import type { AuditApproval, AuditAttempt, AuditOutcome, AuditReport, AuditStep, TimelineEntry } from './model';
import { outputTail, redact } from './redact';
import { deriveState } from './states';
import { CodedError } from '../compiler/expr/errors';

/** Where the history came from, for the report header. */
export interface HistoryOrigin {
  workflowId: string;
  runId: string;
  historySha256: string | null;
}

/** Thrown when the history is not a Rekindle run (no started event, or not a Plan as its input). */
export class NotARunError extends CodedError<'AUDIT_NOT_A_RUN'> {
  constructor(message: string) {
    super('AUDIT_NOT_A_RUN', message);
  }
}

interface Pending {
  name: string;
  args: unknown[];
  identity: string;
  at: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

function newStep(s: PlanStep, level: number): AuditStep {
  return {
    id: s.id,
    title: s.title ?? null,
    action: s.action,
    kind: s.kind,
    needs: s.needs,
    level,
    state: 'not-run',
    source: s.source,
    attempts: [],
  };
}

/**
 * Builds the report.
 * @throws NotARunError when the events are not those of a `runRunbook` workflow.
 */
export function buildReport(events: DecodedEvent[], origin: HistoryOrigin): AuditReport {
  const start = events[0];
  if (!start || start.kind !== 'started') throw new NotARunError('the history has no WorkflowExecutionStarted event');
  const [plan, params, options] = start.input as [Plan, Record<string, unknown>, RunOptions];
  if (!plan || !Array.isArray(plan.steps) || !plan.runbook)
    throw new NotARunError(`workflow type ${start.workflowType} did not start with a Plan`);
  const levels = dagLevels(plan.steps);
  const steps = new Map(plan.steps.map((s) => [s.id, newStep(s, levels.get(s.id) ?? 0)]));
  const rollback = new Map(plan.rollback.map((s) => [s.id, newStep(s, 0)]));
  const stepOf = (id: string) => steps.get(id) ?? rollback.get(id);
  const calls = new Map<number, AuditAttempt>();
  const callStep = new Map<number, string>();
  const counts = new Map<string, number>();
  const updates = new Map<string, Pending>();
  const gateResults = new Map<string, GateStatus>();
  const report: AuditReport = {
    reportVersion: REPORT_VERSION,
    workflowId: origin.workflowId,
    runId: origin.runId,
    workflowType: start.workflowType,
    taskQueue: start.taskQueue,
    runbook: {
      name: plan.runbook.name,
      title: plan.runbook.title ?? null,
      sha256: plan.runbook.sha256,
      source: plan.runbook.source,
    },
    params: redact(params ?? {}) as Record<string, unknown>,
    options: {
      mode: options?.mode ?? 'recovery',
      dryRun: !!options?.dryRun,
      initiator: options?.initiator ?? '',
      autoApprove: !!options?.autoApprove,
    },
    startedBy: start.identity,
    startedAt: start.at,
    endedAt: null,
    outcome: { status: 'running', at: null, error: null },
    plan,
    steps: [],
    approvals: [],
    decisions: [],
    operator: [],
    refused: [],
    rollback: [],
    phases: [],
    timeline: [
      {
        at: start.at,
        kind: 'run',
        text: `run started by ${start.identity} (initiator ${options?.initiator ?? '?'}, ${options?.mode ?? 'recovery'}${options?.dryRun ? ', dry run' : ''})`,
      },
    ],
    history: { events: events.length, sha256: origin.historySha256 },
  };
  const tl = (e: TimelineEntry) => report.timeline.push(e);
  let finalStatus: RunStatus | undefined;

  for (const ev of events.slice(1)) {
    switch (ev.kind) {
      case 'activity-scheduled': {
        const req = (ev.input[0] ?? {}) as { stepId?: string; item?: unknown; inputs?: Record<string, unknown> };
        const stepId = str(req.stepId);
        const key = `${stepId}\u0000${JSON.stringify(req.item ?? null)}`;
        const n = (counts.get(key) ?? 0) + 1;
        counts.set(key, n);
        const a: AuditAttempt = {
          attempt: n,
          ...(req.item !== undefined ? { item: req.item } : {}),
          activityId: ev.activityId,
          scheduledAt: ev.at,
          startedAt: null,
          endedAt: null,
          activityAttempts: 0,
          inputs: redact(req.inputs ?? {}) as Record<string, unknown>,
          result: null,
          error: null,
        };
        calls.set(ev.id, a);
        callStep.set(ev.id, stepId);
        stepOf(stepId)?.attempts.push(a);
        const where = rollback.has(stepId) ? 'rollback' : 'step';
        tl({
          at: ev.at,
          kind: where,
          step: stepId,
          text: `${stepId}${req.item !== undefined ? ` [${JSON.stringify(req.item)}]` : ''}: ${ev.activityType} scheduled (attempt ${n})`,
        });
        break;
      }
      case 'activity-started': {
        const a = calls.get(ev.scheduledId);
        if (!a) break;
        a.startedAt = ev.at;
        a.activityAttempts = ev.attempt;
        a.worker = ev.identity;
        if (ev.lastFailure) a.retriedAfter = ev.lastFailure;
        break;
      }
      case 'activity-completed': {
        const a = calls.get(ev.scheduledId);
        if (!a) break;
        const r = (ev.result ?? {}) as { changed?: boolean; summary?: string; outputs?: Record<string, unknown> };
        a.endedAt = ev.at;
        a.result = {
          changed: !!r.changed,
          summary: r.summary ?? null,
          outputs: redact(r.outputs ?? {}) as Record<string, unknown>,
        };
        const tail = outputTail(a.result.outputs);
        if (tail) a.outputTail = tail;
        tl({
          at: ev.at,
          kind: 'step',
          step: callStep.get(ev.scheduledId),
          text: `${callStep.get(ev.scheduledId)}: succeeded${r.summary ? ` (${r.summary})` : ''}`,
        });
        break;
      }
      case 'activity-failed':
      case 'activity-timed-out':
      case 'activity-canceled': {
        const a = calls.get(ev.scheduledId);
        if (!a) break;
        a.endedAt = ev.at;
        a.error = ev.kind === 'activity-canceled' ? { type: 'CANCELLED', message: 'activity cancelled' } : ev.failure;
        tl({
          at: ev.at,
          kind: 'step',
          step: callStep.get(ev.scheduledId),
          text: `${callStep.get(ev.scheduledId)}: failed ${a.error.type}: ${a.error.message}`,
        });
        break;
      }
      case 'update-accepted':
        updates.set(ev.updateId, { name: ev.name, args: ev.args, identity: ev.identity, at: ev.at });
        break;
      case 'update-completed': {
        const u = updates.get(ev.updateId);
        if (!u) break;
        if (ev.failure) {
          report.refused.push({ update: u.name, args: u.args, at: u.at, error: ev.failure });
          break;
        }
        applyUpdate(report, u, ev.result, gateResults, tl);
        break;
      }
      case 'search-attributes': {
        const phase = ev.fields.RekindlePhase;
        const p = Array.isArray(phase) ? phase[0] : phase;
        if (typeof p === 'string') {
          report.phases.push({ phase: p, at: ev.at });
          tl({ at: ev.at, kind: 'phase', text: `phase ${p}` });
        }
        break;
      }
      case 'timer-started':
        tl({ at: ev.at, kind: 'timer', text: `timer ${ev.timerId} started (${ev.timeoutMs} ms)` });
        break;
      case 'timer-fired':
        tl({ at: ev.at, kind: 'timer', text: `timer ${ev.timerId} fired` });
        break;
      case 'cancel-requested':
        report.operator.push({
          action: 'cancel',
          by: ev.identity,
          comment: ev.cause,
          at: ev.at,
          identity: ev.identity,
        });
        tl({ at: ev.at, kind: 'operator', text: `cancellation requested by ${ev.identity}` });
        break;
      case 'completed':
        finalStatus = ev.result as RunStatus;
        report.outcome = outcomeOf(finalStatus?.phase ?? 'succeeded', ev.at, null);
        break;
      case 'failed':
        report.outcome = outcomeOf(ev.failure.type === 'RUN_ABORTED' ? 'aborted' : 'failed', ev.at, ev.failure);
        break;
      case 'canceled':
        report.outcome = outcomeOf('cancelled', ev.at, null);
        break;
      case 'terminated':
        report.outcome = outcomeOf('terminated', ev.at, {
          type: 'TERMINATED',
          message: `${ev.reason} (by ${ev.identity})`,
        });
        break;
      case 'timed-out':
        report.outcome = outcomeOf('timed-out', ev.at, { type: 'WORKFLOW_TIMED_OUT', message: 'the run timed out' });
        break;
      case 'continued-as-new':
        report.outcome = outcomeOf('continued-as-new', ev.at, null);
        break;
      default:
        break;
    }
  }
  if (report.outcome.at) {
    report.endedAt = report.outcome.at;
    tl({
      at: report.outcome.at,
      kind: 'run',
      text: `run ended: ${report.outcome.status}${report.outcome.error ? ` (${report.outcome.error.type}: ${report.outcome.error.message})` : ''}`,
    });
  }
  addPolicyApprovals(report, finalStatus);
  addGateAttempts(plan, steps, gateResults, report.approvals);
  deriveState(plan, steps, rollback, report.decisions, finalStatus);
  report.steps = [...steps.values()];
  report.rollback = [...rollback.values()].filter((r) => r.attempts.length > 0 || r.state !== 'not-run');
  report.timeline.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return report;
}

function outcomeOf(status: string, at: string, error: FailureInfo | null): AuditOutcome {
  return { status, at, error };
}

function applyUpdate(
  report: AuditReport,
  u: Pending,
  result: unknown,
  gateResults: Map<string, GateStatus>,
  tl: (e: TimelineEntry) => void,
): void {
  const [a0, a1, a2, a3] = u.args;
  if (u.name === 'approve') {
    const gate = result as GateStatus | undefined;
    if (gate?.id) gateResults.set(gate.id, gate);
    const rec = gate?.approvals?.filter((x) => x.by === str(a2)).pop();
    const approval: AuditApproval = {
      gate: str(a0),
      by: str(a2),
      decision: str(a1) === 'reject' ? 'reject' : 'approve',
      comment: str(a3),
      at: rec?.at ?? u.at,
      round: rec?.round ?? gate?.round ?? null,
      evidence: gate?.evidence ?? null,
      identity: u.identity,
      policy: !!rec?.policy,
    };
    report.approvals.push(approval);
    tl({
      at: u.at,
      kind: 'approval',
      step: approval.gate,
      text: `${approval.gate}: ${approval.decision} by ${approval.by}${approval.comment ? ` — "${approval.comment}"` : ''}`,
    });
  } else if (u.name === 'decide') {
    const d = str(a1) as 'retry' | 'skip' | 'abort';
    report.decisions.push({
      step: str(a0),
      decision: d,
      by: str(a2),
      comment: str(a3),
      at: u.at,
      identity: u.identity,
    });
    tl({
      at: u.at,
      kind: 'decision',
      step: str(a0),
      text: `${str(a0)}: ${d} decided by ${str(a2)}${a3 ? ` — "${str(a3)}"` : ''}`,
    });
  } else {
    report.operator.push({ action: u.name, by: str(a0), comment: str(a1), at: u.at, identity: u.identity });
    tl({ at: u.at, kind: 'operator', text: `${u.name} by ${str(a0)}${a1 ? ` — "${str(a1)}"` : ''}` });
  }
}

/** Verdicts a policy gave (drill auto-approval, timeout policy) come with no Update: read them from the final status. */
function addPolicyApprovals(report: AuditReport, final: RunStatus | undefined): void {
  for (const g of final?.gates ?? []) {
    for (const a of g.approvals.filter((x) => x.policy)) {
      const evidence = g.evidence ?? null;
      report.approvals.push({
        gate: g.id,
        by: a.by,
        decision: a.decision,
        comment: a.comment,
        at: a.at,
        round: a.round,
        evidence,
        identity: '',
        policy: true,
      });
      report.timeline.push({
        at: a.at,
        kind: 'approval',
        step: g.id,
        text: `${g.id}: ${a.decision} by ${a.by} (policy) — "${a.comment}"`,
      });
    }
  }
  report.approvals.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
}

function addGateAttempts(
  plan: Plan,
  steps: Map<string, AuditStep>,
  gates: Map<string, GateStatus>,
  approvals: AuditApproval[],
): void {
  for (const s of plan.steps.filter((x) => x.kind === 'approval')) {
    const rec = steps.get(s.id)!;
    const g = gates.get(s.id);
    const rounds = [...new Set(approvals.filter((a) => a.gate === s.id).map((a) => a.round ?? 1))];
    for (const round of rounds) {
      const votes = approvals.filter((a) => a.gate === s.id && (a.round ?? 1) === round);
      const last = votes[votes.length - 1];
      const rejected = votes.find((v) => v.decision === 'reject');
      const approvedBy = votes.filter((v) => v.decision === 'approve').map((v) => v.by);
      const done = rejected || approvedBy.length >= (g?.minApprovals ?? 1);
      rec.attempts.push({
        attempt: round,
        activityId: '',
        scheduledAt: g?.openedAt ?? votes[0].at,
        startedAt: g?.openedAt ?? votes[0].at,
        endedAt: done ? last.at : null,
        activityAttempts: 0,
        inputs: {},
        result: rejected
          ? null
          : { changed: false, summary: `approved by ${approvedBy.join(', ')}`, outputs: { approvedBy } },
        error: rejected
          ? {
              type: 'APPROVAL_REJECTED',
              message: `rejected by ${rejected.by}${rejected.comment ? `: ${rejected.comment}` : ''}`,
            }
          : null,
        ...(last.evidence ? { evidence: last.evidence } : {}),
      });
    }
  }
}
