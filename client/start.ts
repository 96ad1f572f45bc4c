/**
 * Starting a run: one run per cluster, enforced by a workflow id derived from the cluster and the
 * conflict policy FAIL; search attributes and memo set at start.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { resolveParams } from '../compiler/params';
import type { Plan } from '../compiler/plan';
import type { runRunbook } from '../workflows';
import { RUN_WORKFLOW_TYPE, statusQuery } from '../workflows/messages';
import { clusterOf, runMemo, runSearchAttributes } from '../workflows/search-attributes';
import type { RunOptions } from '../workflows/types';
import { workflowIdFor } from '../workflows/run-id';
import { RunAlreadyRunningError } from './errors';

export interface StartRunInput {
  plan: Plan;
  params: Record<string, unknown>;
  options: RunOptions;
  taskQueue: string;
  /** Override the derived workflow id (tests); the one-run-per-cluster rule then no longer holds. */
  workflowId?: string;
}

/**
 * Starts a run and returns its handle and ids.
 * @throws RunAlreadyRunningError naming the running run when the cluster already has one.
 */
export async function startRun(
  client: Client,
  input: StartRunInput,
): Promise<{ handle: WorkflowHandle<typeof runRunbook>; workflowId: string; runId: string }> {
  const cluster = clusterOf(input.plan, input.params);
  const workflowId = input.workflowId ?? workflowIdFor(cluster);
  try {
    const handle = await client.workflow.start<typeof runRunbook>(RUN_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: input.taskQueue,
      args: [input.plan, resolveParams(input.plan, input.params), input.options],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: new TypedSearchAttributes(
        runSearchAttributes(input.plan, cluster, input.options.mode, 'running'),
      ),
      memo: runMemo(input.plan),
    });
    return { handle, workflowId, runId: handle.firstExecutionRunId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw await conflict(client, cluster, workflowId);
    throw err;
  }
}

async function conflict(client: Client, cluster: string, workflowId: string): Promise<RunAlreadyRunningError> {
  let detail = '';
  let runId: string | undefined;
  try {
    const handle = client.workflow.getHandle(workflowId);
    const d = await handle.describe();
    runId = d.runId;
    detail = ` (run ${d.runId}, started ${d.startTime.toISOString()}`;
    try {
      const s = await handle.query(statusQuery);
      detail += `, runbook ${s.runbook.name}, phase ${s.phase}`;
    } catch {
      // A run whose worker is down cannot answer queries; the ids are enough to name it.
    }
    detail += ')';
  } catch {
    // Describe failed (e.g. permissions); still refuse with the workflow id.
  }
  return new RunAlreadyRunningError(
    `cluster '${cluster}' already has a run in progress: ${workflowId}${detail}; wait for it to finish or cancel it with 'rekindle cancel ${workflowId}'`,
    workflowId,
    runId,
  );
}
