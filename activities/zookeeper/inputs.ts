/**
 * Input validation at the door for the ZooKeeper actions. Every failure is INVALID_INPUT
 * (non-retryable) and names the field.
 */
import { isAbsolute, join } from 'node:path';
import type { Inventory } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { InvalidInputError } from '../errors';
import { normaliseRoot } from './paths';

/** The inventory's ZooKeeper section; throws INVALID_INPUT when it is missing. */
export function zkInventory(request: ActionRequest): Inventory['zookeeper'] {
  const zk = (request.inventory as Partial<Inventory>).zookeeper;
  if (!zk || typeof zk.connect !== 'string' || zk.connect === '') {
    throw new InvalidInputError('inventory.zookeeper.connect is required', { field: 'inventory.zookeeper.connect' });
  }
  return zk;
}

/** An optional string input. */
export function optString(request: ActionRequest, name: string): string | undefined {
  const v = request.inputs[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') throw new InvalidInputError(`input '${name}' must be a non-empty string`, { field: name });
  return v;
}

/** An optional non-negative number input. */
export function optNumber(request: ActionRequest, name: string): number | undefined {
  const v = request.inputs[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new InvalidInputError(`input '${name}' must be a non-negative number`, { field: name });
  }
  return v;
}

/** An optional boolean input. */
export function optBool(request: ActionRequest, name: string): boolean | undefined {
  const v = request.inputs[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new InvalidInputError(`input '${name}' must be a boolean`, { field: name });
  return v;
}

/** A ZooKeeper path input, normalised; defaults to the inventory's Kafka chroot. */
export function rootInput(request: ActionRequest, name: string): string {
  const raw = optString(request, name) ?? zkInventory(request).chroot ?? '/';
  try {
    return normaliseRoot(raw);
  } catch (err) {
    throw new InvalidInputError(`input '${name}': ${(err as Error).message}`, { field: name });
  }
}

/** Resolves a backup file reference: absolute, or relative to the store. */
export function backupFile(request: ActionRequest, name: string, store: string | undefined): string {
  const ref = optString(request, name);
  if (!ref) throw new InvalidInputError(`input '${name}' is required`, { field: name });
  if (isAbsolute(ref)) return ref;
  const base = (request.inventory as Partial<Inventory>).backupStore ?? store;
  if (!base) throw new InvalidInputError(`input '${name}' is relative and no backup store is configured`, { field: name });
  return join(base, ref);
}

/** The backup store directory: the inventory's, else the worker's default. Throws INVALID_INPUT when neither is set. */
export function storeDir(request: ActionRequest, store: string | undefined): string {
  const dir = (request.inventory as Partial<Inventory>).backupStore ?? store;
  if (!dir) throw new InvalidInputError('no backup store configured (inventory.backupStore)', { field: 'backupStore' });
  return dir;
}
