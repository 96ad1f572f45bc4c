/**
 * Finds the run a CLI argument names. RUN may be any of:
 *   - a cluster name (`prod-eu`): the latest run of its workflow id `rekindle-prod-eu`;
 *   - a workflow id (`rekindle-prod-eu`): its latest run;
 *   - `WORKFLOW_ID/RUN_ID` (or `CLUSTER/RUN_ID`): that exact run, open or closed;
 *   - a bare run id (what `run --json` and `list` print): looked up through visibility.
 * Every run on a cluster shares one workflow id, so only the last two name a past run.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { RunNotFoundError } from './errors';
import { workflowIdFor } from '../workflows/run-id';

/** Temporal run ids are UUIDs. */
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How visibility is asked for a bare run id: it may lag a run started a moment ago. */
const VISIBILITY_TRIES = 4;
const VISIBILITY_PAUSE_MS = 400;

export interface RunHandleOptions {
  /**
   * For a run id: when that run continued as new, return the run it continued into (and so on), so a
   * status, audit or Update reaches the live end of the chain. False for `history`, which exports the named run.
   * Default true.
   */
  followContinueAsNew?: boolean;
}

/** A run's handle; `runId` is set when it is bound to one run rather than following the workflow id's latest. */
export type RunHandle = WorkflowHandle & { readonly runId?: string };

/** True when `text` has the shape of a Temporal run id. */
export function isRunId(text: string): boolean {
  return RUN_ID.test(text);
}

/**
 * Resolves RUN (see the file comment) to a handle. A handle from a workflow id or cluster name follows the
 * latest run; one from a run id is bound to that run (`handle.runId`).
 * @throws RunNotFoundError when RUN names no run; whatever the server throws when it cannot be asked.
 */
export async function runHandle(client: Client, run: string, opts: RunHandleOptions = {}): Promise<RunHandle> {
  const follow = opts.followContinueAsNew ?? true;
  const slash = run.lastIndexOf('/');
  if (slash > 0 && slash < run.length - 1) {
    const [workflow, runId] = [run.slice(0, slash), run.slice(slash + 1)];
    for (const id of workflowIds(workflow)) {
      const h = await existing(client, id, runId);
      if (h) return follow ? chainEnd(client, h) : h;
    }
    throw new RunNotFoundError(run);
  }
  if (isRunId(run)) {
    const workflowId = await workflowIdOfRun(client, run);
    if (workflowId) {
      const h = bound(client, workflowId, run);
      return follow ? chainEnd(client, h) : h;
    }
  }
  for (const id of workflowIds(run)) {
    const h = await existing(client, id);
    if (h) return h;
  }
  throw new RunNotFoundError(run);
}

/** The workflow ids a name may mean: itself, and for a cluster name its derived id. */
function workflowIds(name: string): string[] {
  return name.startsWith('rekindle-') ? [name] : [name, workflowIdFor(name)];
}

/** The handle when the execution exists, else undefined. */
async function existing(client: Client, workflowId: string, runId?: string): Promise<RunHandle | undefined> {
  const h = bound(client, workflowId, runId);
  try {
    await h.describe();
    return h;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return undefined;
    // A malformed run id is refused as an invalid argument rather than not found: it names no run either.
    if (runId !== undefined && /invalid|malformed|uuid/i.test((err as Error).message)) return undefined;
    throw err;
  }
}

/** The workflow id of the execution with `runId`, from visibility; undefined when none has it. */
async function workflowIdOfRun(client: Client, runId: string): Promise<string | undefined> {
  for (let i = 1; i <= VISIBILITY_TRIES; i++) {
    const res = await client.workflowService.listWorkflowExecutions({
      namespace: client.options.namespace,
      query: `RunId = '${runId}'`,
      pageSize: 1,
    });
    const found = res.executions?.[0]?.execution?.workflowId;
    if (found) return found;
    if (i < VISIBILITY_TRIES) await new Promise((r) => setTimeout(r, VISIBILITY_PAUSE_MS));
  }
  return undefined;
}

/** Follows continue-as-new from `h` to the last run of its chain (at most 1,000 links). */
async function chainEnd(client: Client, h: RunHandle): Promise<RunHandle> {
  let cur = h;
  for (let i = 0; i < 1000; i++) {
    if ((await cur.describe()).status.name !== 'CONTINUED_AS_NEW') return cur;
    const events = (await cur.fetchHistory()).events ?? [];
    const next = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next) return cur;
    cur = bound(client, cur.workflowId, next);
  }
  return cur;
}

/** A handle on `runId` of `workflowId` (the latest run when undefined) that remembers the run id. */
function bound(client: Client, workflowId: string, runId?: string): RunHandle {
  return Object.assign(client.workflow.getHandle(workflowId, runId), runId ? { runId } : {});
}
