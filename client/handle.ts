/** Finds the run a CLI argument names: a workflow id, or a cluster name (its derived workflow id). */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { RunNotFoundError } from './errors';
import { workflowIdFor } from '../workflows/run-id';

/**
 * Resolves RUN to a handle of its latest execution.
 * @throws RunNotFoundError when neither RUN nor `rekindle-RUN` exists.
 */
export async function runHandle(client: Client, run: string): Promise<WorkflowHandle> {
  for (const id of run.startsWith('rekindle-') ? [run] : [run, workflowIdFor(run)]) {
    const h = client.workflow.getHandle(id);
    try {
      await h.describe();
      return h;
    } catch (err) {
      if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
    }
  }
  throw new RunNotFoundError(run);
}
