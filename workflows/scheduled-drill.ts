/**
 * A scheduled drill. Temporal Schedules append a timestamp to the workflow id they start, so the
 * schedule starts this launcher, which runs the drill as a child under the cluster's own workflow id:
 * if a recovery (or another drill) holds the cluster, the child cannot start and the drill is skipped
 * with the reason recorded. The drill's report is this workflow's result, so it is kept in history.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import type { Plan } from '../compiler/plan';
import { runRunbook } from './run-runbook';
import { workflowIdFor } from './run-id';
import { clusterOf } from './search-attributes';
import type { RunOptions, RunPhase } from './types';

export interface ScheduledDrillReport {
  scheduledWorkflowId: string;
  cluster: string;
  runbook: string;
  skipped: boolean;
  reason?: string;
  childWorkflowId?: string;
  phase?: RunPhase;
  startedAt?: string;
  endedAt?: string | null;
  rtoMs?: number;
  rtoObjectiveMs?: number | null;
  steps?: Array<{ id: string; state: string; attempt: number; ms: number }>;
  approvals?: Array<{ gate: string; by: string; at: string; policy: boolean }>;
}

const ms = (a: string | null, b: string | null) => (a && b ? Date.parse(b) - Date.parse(a) : 0);

export async function scheduledDrill(
  plan: Plan,
  params: Record<string, unknown>,
  options: RunOptions,
): Promise<ScheduledDrillReport> {
  const cluster = clusterOf(plan, params);
  const base = { scheduledWorkflowId: workflowInfo().workflowId, cluster, runbook: plan.runbook.name };
  const childId = workflowIdFor(cluster);
  let child;
  try {
    child = await startChild(runRunbook, {
      workflowId: childId,
      args: [plan, params, { ...options, mode: 'drill' }],
      // Cancelling the scheduled drill cancels the run, which rolls back what it completed.
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return {
        ...base,
        skipped: true,
        reason: `cluster '${cluster}' is held by ${childId}; drills never run beside another run`,
      };
    }
    throw err;
  }
  const status = await child.result();
  return {
    ...base,
    skipped: false,
    childWorkflowId: childId,
    phase: status.phase,
    startedAt: status.startedAt,
    endedAt: status.endedAt,
    rtoMs: ms(status.startedAt, status.endedAt),
    rtoObjectiveMs: plan.runbook.rtoMs ?? null,
    steps: status.steps.map((s) => ({ id: s.id, state: s.state, attempt: s.attempt, ms: ms(s.startedAt, s.endedAt) })),
    approvals: status.gates.flatMap((g) =>
      g.approvals.map((a) => ({ gate: g.id, by: a.by, at: a.at, policy: a.policy === true })),
    ),
  };
}
