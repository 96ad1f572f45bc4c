/**
 * Reads what an earlier run recorded: the outputs of its completed activities, decoded from its
 * workflow history through the worker's own Temporal client (the activity context's, so the payload
 * codec applies). This is how a restore learns the manifest hash a backup run recorded when it made the
 * set: the history is written by Temporal, not by whoever can write the backup store.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { ActionError } from './errors';

/** The run's history could not be read for a reason other than its absence (Temporal unreachable). */
export class HistoryUnavailableError extends ActionError {
  constructor(workflowId: string, message: string) {
    super('HISTORY_UNAVAILABLE', `cannot read the history of ${workflowId}: ${message}`, true, { workflowId });
  }
}

/** The worker's client inside an activity; undefined outside one (direct calls in tools and tests). */
export function activityClient(): Client | undefined {
  try {
    return Context.current().client;
  } catch {
    return undefined;
  }
}

/** True for "this execution does not exist (any more)": retention removed it, or it never ran. */
function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; code?: number };
  return e?.name === 'WorkflowNotFoundError' || e?.code === 5;
}

/**
 * The outputs of every completed `activityType` activity of the run (and the runs it continued as),
 * oldest first. Undefined when there is no client or the run does not exist.
 * @throws HistoryUnavailableError (retryable) when Temporal does not answer.
 */
export async function recordedOutputs(
  client: Client | undefined,
  workflowId: string,
  runId: string | undefined,
  activityType: string,
): Promise<Array<Record<string, unknown>> | undefined> {
  if (!client) return undefined;
  const dc = client.workflow.options.loadedDataConverter;
  const out: Array<Record<string, unknown>> = [];
  let run = runId;
  for (let hops = 0; hops < 100; hops++) {
    let events;
    try {
      events = (await client.workflow.getHandle(workflowId, run).fetchHistory()).events ?? [];
    } catch (err) {
      if (isNotFound(err)) return hops === 0 ? undefined : out;
      throw new HistoryUnavailableError(workflowId, (err as Error).message);
    }
    const types = new Map<string, string>();
    let next: string | undefined;
    for (const ev of events) {
      if (ev.activityTaskScheduledEventAttributes)
        types.set(String(ev.eventId), ev.activityTaskScheduledEventAttributes.activityType?.name ?? '');
      const done = ev.activityTaskCompletedEventAttributes;
      if (done && types.get(String(done.scheduledEventId)) === activityType) {
        const [result] = await decodeArrayFromPayloads(dc, (done.result?.payloads ?? []) as never);
        const outputs = (result as { outputs?: Record<string, unknown> } | undefined)?.outputs;
        if (outputs) out.push(outputs);
      }
      next = ev.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? next;
    }
    if (!next) return out;
    run = next;
  }
  return out;
}
