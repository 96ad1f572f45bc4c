/**
 * The hand-written baseline for bench/engine.ts: a Temporal workflow that calls the same no-op activity
 * `count` times in sequence, with the same activity options the engine derives for the bench plan.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { ActionRequest, ActionResult } from '../compiler/plan';

const acts = proxyActivities<Record<string, (r: ActionRequest) => Promise<ActionResult>>>({
  startToCloseTimeout: 30_000,
  retry: {
    maximumAttempts: 1,
    initialInterval: 100,
    backoffCoefficient: 1,
    maximumInterval: 100,
    nonRetryableErrorTypes: [],
  },
});

/** Calls `bench.noop` `count` times, one after the other. */
export async function handWritten(count: number): Promise<number> {
  let changed = 0;
  for (let i = 0; i < count; i++) {
    const r = await acts['bench.noop']({
      workflowId: 'bench',
      stepId: `s${i}`,
      inputs: {},
      inventory: {},
      mode: 'drill',
      dryRun: false,
    });
    if (r.changed) changed++;
  }
  return changed;
}
