/**
 * Input validation at the door for the ZooKeeper actions. Every failure is INVALID_INPUT
 * (non-retryable) and names the field.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Inventory } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { InvalidInputError } from '../errors';
import { confinedRef } from '../store-ref';
import { normaliseRoot } from './paths';

/** The inventory's ZooKeeper section; throws INVALID_INPUT when it is missing. */
export function zkInventory(request: ActionRequest): Inventory['zookeeper'] {
  const zk = (request.inventory as Partial<Inventory>).zookeeper;
  if (!zk || typeof zk.connect !== 'string' || zk.connect === '') {
    throw new InvalidInputError('inventory.zookeeper.connect is required', { field: 'inventory.zookeeper.connect' });
  }
  return zk;
}

/** The `chroot` input normalised; defaults to the inventory's Kafka chroot. Throws INVALID_INPUT for a bad path. */
export function rootInput(request: ActionRequest, chroot: string | undefined): string {
  try {
    return normaliseRoot(chroot ?? zkInventory(request).chroot ?? '/');
  } catch (err) {
    throw new InvalidInputError(`input 'chroot': ${(err as Error).message}`, { field: 'chroot' });
  }
}

/** Name of the logical ZooKeeper export inside a backup set directory. */
export const SET_EXPORT_NAME = 'zookeeper.json';

/**
 * Resolves a backup reference to an export file inside the store; a directory (a backup set) means its
 * `zookeeper.json`. Existence is checked by the reader (BACKUP_NOT_FOUND).
 * @throws BackupRefOutsideStoreError for an absolute path, `..`, or a symlink out of the store.
 */
export function backupFile(request: ActionRequest, ref: string, store: string | undefined, name = 'backup'): string {
  if (ref === 'latest')
    throw new InvalidInputError(`input '${name}': resolve 'latest' with backup.select first`, { field: name });
  const base = (request.inventory as Partial<Inventory>).backupStore ?? store;
  if (!base) throw new InvalidInputError(`input '${name}': no backup store is configured`, { field: name });
  const path = confinedRef(base, ref, name);
  return existsSync(path) && statSync(path).isDirectory() ? join(path, SET_EXPORT_NAME) : path;
}

/** The backup set directory `file` is the export of, or undefined for a bare export file. */
export function setDirOf(file: string): string | undefined {
  const dir = dirname(file);
  return basename(file) === SET_EXPORT_NAME && existsSync(join(dir, 'manifest.json')) ? dir : undefined;
}

/** Extra subtrees to leave alone, relative to the chroot (the `exclude` input), without trailing slashes. */
export function excludePaths(exclude: string[]): string[] {
  return exclude.map((p) => (p.length > 1 ? p.replace(/\/+$/, '') : p));
}

/** What a tree action works on: the ensemble, the normalised subtree and the extra exclusions. */
export function treeScope(
  request: ActionRequest,
  inp: { chroot?: string; exclude: string[] },
): { zk: Inventory['zookeeper']; root: string; exclude: string[] } {
  return { zk: zkInventory(request), root: rootInput(request, inp.chroot), exclude: excludePaths(inp.exclude) };
}

/** True when `rel` is one of `extra` or below one. */
export function userExcluded(rel: string, extra: string[]): boolean {
  return extra.some((e) => e === '/' || rel === e || rel.startsWith(`${e}/`));
}
