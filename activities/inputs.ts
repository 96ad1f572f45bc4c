/**
 * Door checks every family shares: optional typed inputs, durations, the backup store, and parsing
 * with the registry's own schema. Every failure is INVALID_INPUT (non-retryable) and names the field.
 */
import { getAction } from '../compiler/actions';
import type { Inventory } from '../compiler/inventory';
import type { ActionRequest } from '../compiler/plan';
import { InvalidInputError, parseInputs } from './errors';

/** An optional non-empty string input. */
export function optString(request: ActionRequest, name: string): string | undefined {
  const v = request.inputs[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '')
    throw new InvalidInputError(`input '${name}' must be a non-empty string`, { field: name });
  return v;
}

/** An optional boolean input. */
export function optBool(request: ActionRequest, name: string): boolean | undefined {
  const v = request.inputs[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new InvalidInputError(`input '${name}' must be a boolean`, { field: name });
  return v;
}

/** A duration input: milliseconds, or `500ms`/`10s`/`5m`/`1h`. */
export function optDurationMs(request: ActionRequest, name: string): number | undefined {
  const v = request.inputs[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  const m = typeof v === 'string' ? /^(\d+)(ms|s|m|h)$/.exec(v) : null;
  if (!m) throw new InvalidInputError(`input '${name}' must be a duration`, { field: name });
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** The backup store directory: the inventory's, else the worker's default. Throws INVALID_INPUT when neither is set. */
export function storeDir(request: ActionRequest, fallback: string | undefined): string {
  const dir = (request.inventory as Partial<Inventory>).backupStore ?? fallback;
  if (!dir) throw new InvalidInputError('no backup store configured (inventory.backupStore)', { field: 'backupStore' });
  return dir;
}

/**
 * A stable file-name-safe name for what one step of one run makes (`<workflow>-<run>-<step>`): a retry
 * of the step finds it again, a later run on the same cluster does not.
 */
export function stepArtifactName(request: ActionRequest): string {
  return [request.workflowId, request.runId, request.stepId].filter(Boolean).join('-').replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Parses `inputs` with the registry schema of `action`. Throws InvalidInputError naming each bad field. */
export function registryInputs<T>(action: string, inputs: unknown): T {
  const spec = getAction(action);
  if (!spec) throw new Error(`no registry entry for ${action}`);
  return parseInputs(action, spec.inputs, inputs) as T;
}
