/**
 * Helpers for the SSH, service, host and backup integration tests: the lab inventory, an ActionRequest
 * builder, and a direct (non-activity) context whose cancellation the test controls.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Inventory } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import type { ActionContext } from '../../activities/errors';

/** The lab's inventory (lab/state/inventory.yaml, or REKINDLE_LAB_STATE). */
export function labInventory(): Inventory {
  const state = process.env.REKINDLE_LAB_STATE ?? join(__dirname, '..', '..', 'lab', 'state');
  return parse(readFileSync(join(state, 'inventory.yaml'), 'utf8')) as Inventory;
}

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

/** A unique name for files and topics in one test. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
