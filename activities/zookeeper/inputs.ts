/**
 * Input validation at the door for the ZooKeeper actions. Every failure is INVALID_INPUT
 * (non-retryable) and names the field.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Inventory } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { InvalidInputError } from '../errors';
import { optBool, optDurationMs, optString, storeDir } from '../inputs';

export { optBool, optDurationMs, optString, storeDir };
import { normaliseRoot } from './paths';

/** The inventory's ZooKeeper section; throws INVALID_INPUT when it is missing. */
export function zkInventory(request: ActionRequest): Inventory['zookeeper'] {
  const zk = (request.inventory as Partial<Inventory>).zookeeper;
  if (!zk || typeof zk.connect !== 'string' || zk.connect === '') {
    throw new InvalidInputError('inventory.zookeeper.connect is required', { field: 'inventory.zookeeper.connect' });
  }
  return zk;
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

/** A ZooKeeper path input (`chroot`), normalised; defaults to the inventory's Kafka chroot. */
export function rootInput(request: ActionRequest, name = 'chroot'): string {
  const raw = optString(request, name) ?? zkInventory(request).chroot ?? '/';
  try {
    return normaliseRoot(raw);
  } catch (err) {
    throw new InvalidInputError(`input '${name}': ${(err as Error).message}`, { field: name });
  }
}

/** Name of the logical ZooKeeper export inside a backup set directory. */
export const SET_EXPORT_NAME = 'zookeeper.json';

/**
 * Resolves a backup reference to an export file: absolute, or relative to the store; a directory
 * (a backup set) means its `zookeeper.json`. Existence is checked by the reader (BACKUP_NOT_FOUND).
 */
export function backupFile(request: ActionRequest, name: string, store: string | undefined): string {
  const ref = optString(request, name);
  if (!ref) throw new InvalidInputError(`input '${name}' is required`, { field: name });
  if (ref === 'latest')
    throw new InvalidInputError(`input '${name}': resolve 'latest' with backup.select first`, { field: name });
  const base = (request.inventory as Partial<Inventory>).backupStore ?? store;
  if (!isAbsolute(ref) && !base)
    throw new InvalidInputError(`input '${name}' is relative and no backup store is configured`, { field: name });
  const path = isAbsolute(ref) ? ref : join(base as string, ref);
  return existsSync(path) && statSync(path).isDirectory() ? join(path, SET_EXPORT_NAME) : path;
}

/** Extra subtrees to leave alone, relative to the chroot (`exclude` input). */
export function excludeInput(request: ActionRequest): string[] {
  const v = request.inputs.exclude;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InvalidInputError("input 'exclude' must be a list of paths", { field: 'exclude' });
  return v.map((p, i) => {
    if (typeof p !== 'string' || !p.startsWith('/'))
      throw new InvalidInputError(`exclude[${i}] must start with '/'`, { field: `exclude[${i}]` });
    return p.length > 1 ? p.replace(/\/+$/, '') : p;
  });
}

/** True when `rel` is one of `extra` or below one. */
export function userExcluded(rel: string, extra: string[]): boolean {
  return extra.some((e) => e === '/' || rel === e || rel.startsWith(`${e}/`));
}

