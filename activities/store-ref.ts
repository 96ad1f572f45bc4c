/**
 * Backup references confined to the backup store. A reference is a path relative to the store (a set
 * id, a file in a set); it may not be absolute, may not climb with `..`, and may not resolve (through
 * symlinks) to anywhere outside the store. The store lives on the worker's file system, so the
 * resolution is the worker's realpath. Shared by the backup, zookeeper and kafka families.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { ActionError } from './errors';

/** A backup reference that points outside the store: absolute, `..`, or a symlink out. Never retryable. */
export class BackupRefOutsideStoreError extends ActionError {
  constructor(ref: string, store: string, why: string, field: string) {
    super(
      'BACKUP_REF_OUTSIDE_STORE',
      `input '${field}': backup reference ${ref} ${why}; it must name something inside the backup store ${store}`,
      false,
      {
        ref,
        store,
        field,
      },
    );
  }
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
function realish(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const parent = dirname(path);
  return parent === path ? path : join(realish(parent), path.slice(parent.length + 1));
}

/**
 * Resolves `ref` inside `store` and returns its real path.
 * @throws BackupRefOutsideStoreError when `ref` is empty, absolute, has a `..` segment, or resolves outside the store.
 */
export function confinedRef(store: string, ref: string, field = 'backup'): string {
  if (ref.trim() === '') throw new BackupRefOutsideStoreError(ref, store, 'is empty', field);
  if (isAbsolute(ref)) throw new BackupRefOutsideStoreError(ref, store, 'is an absolute path', field);
  if (ref.split(/[\\/]/).includes('..'))
    throw new BackupRefOutsideStoreError(ref, store, "climbs out with '..'", field);
  const root = realish(store);
  const real = realish(join(store, ref));
  const rel = relative(root, real);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new BackupRefOutsideStoreError(ref, store, `resolves (through a symlink) to ${real}`, field);
  }
  return real;
}
