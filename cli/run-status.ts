/**
 * Reads a run's status wherever it is: a running run answers its `status` query (a worker must poll
 * its task queue); a completed run's result is its final status; any other closed run (aborted,
 * cancelled, terminated, timed out) is rebuilt from its history, so no worker is needed.
 */
import type { Client } from '@temporalio/client';
import type { RunHandle } from '../client/handle';
import type { DataConverter } from '@temporalio/common';
import type { RunStatus } from '../workflows/types';

/** Where a status came from. */
export type StatusSource = 'query' | 'result' | 'history';

/**
 * The run's status and its source.
 * @throws whatever the query throws for a running run (no worker polling), or the history fetch throws.
 */
export async function readRunStatus(
  client: Client,
  handle: RunHandle,
  dataConverter?: DataConverter,
): Promise<{ status: RunStatus; source: StatusSource }> {
  const { statusQuery } = await import('../workflows/messages');
  const state = (await handle.describe()).status.name;
  if (state === 'RUNNING') return { status: await handle.query(statusQuery), source: 'query' };
  if (state === 'COMPLETED') {
    const result = (await handle.result()) as RunStatus | undefined;
    if (result?.steps) return { status: result, source: 'result' };
  }
  const { auditRun } = await import('../audit');
  const { statusFromReport } = await import('../audit/status');
  const report = await auditRun(client, handle.workflowId, dataConverter ? { dataConverter } : {}, handle.runId);
  return { status: statusFromReport(report), source: 'history' };
}
