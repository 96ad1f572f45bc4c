/** Polling helpers for rehearsal tests: wait until a run's status query satisfies a predicate. */
import type { WorkflowHandle } from '@temporalio/client';
import { statusQuery } from '../../workflows/messages';
import type { RunStatus, StepStatus } from '../../workflows/types';

/**
 * Polls the status query until `pred` holds.
 * @throws Error with the last status when `timeoutMs` passes first.
 */
export async function waitForStatus(
  handle: WorkflowHandle,
  pred: (s: RunStatus) => boolean,
  timeoutMs = 30_000,
): Promise<RunStatus> {
  const end = Date.now() + timeoutMs;
  let last: RunStatus | undefined;
  let lastAt = 0;
  let lastError: unknown;
  while (Date.now() < end) {
    try {
      last = await handle.query(statusQuery);
      lastAt = Date.now();
      lastError = undefined;
      if (pred(last)) return last;
    } catch (err) {
      // The first workflow task may not have run yet; later failures are reported below.
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // A status that stopped updating because queries failed is not a step that stayed in its state: say which.
  const stale = last ? ` (queried ${Math.round((Date.now() - lastAt) / 1000)} s ago)` : '';
  const failing = lastError ? `; queries failing since then: ${(lastError as Error).message ?? String(lastError)}` : '';
  throw new Error(
    `status never matched; last${stale}: ${JSON.stringify(last && { phase: last.phase, steps: last.steps.map((s) => [s.id, s.state]) })}${failing}`,
  );
}

/** Waits until step `id` is in `state`. */
export function waitForStep(handle: WorkflowHandle, id: string, state: StepStatus['state'], timeoutMs?: number) {
  return waitForStatus(handle, (s) => s.steps.some((x) => x.id === id && x.state === state), timeoutMs);
}

/** Step id → state. */
export function states(s: RunStatus): Record<string, string> {
  return Object.fromEntries(s.steps.map((x) => [x.id, x.state]));
}
