/**
 * Helpers for the SSH, service, host and backup integration tests: the lab inventory, an ActionRequest
 * builder, and a direct (non-activity) context whose cancellation the test controls.
 */
import type { Inventory } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import type { ActionContext } from '../../activities/errors';

export { labInventory, uniqueName } from './lab';

/** An ActionRequest as the engine would send it. */
export function request(
  inventory: Inventory,
  inputs: Record<string, unknown>,
  extra: Partial<Omit<ActionRequest, 'inputs' | 'inventory'>> = {},
): ActionRequest {
  return {
    workflowId: 'test',
    stepId: 'step',
    mode: 'drill',
    dryRun: false,
    ...extra,
    inputs,
    inventory: inventory as unknown as Record<string, unknown>,
  };
}

/** A context recording heartbeats, with an AbortController the test can fire. */
export function testContext(): ActionContext & { heartbeats: unknown[]; abort: AbortController } {
  const abort = new AbortController();
  const heartbeats: unknown[] = [];
  return { heartbeat: (d) => heartbeats.push(d), signal: abort.signal, heartbeats, abort };
}
