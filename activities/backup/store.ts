/**
 * Where backup sets live. A set is a directory of files plus `manifest.json`, written last, which
 * marks it complete. The interface works on local staging directories so a remote store (object
 * storage) can later upload on `commit` and download on `open`; LocalBackupStore keeps them in place.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync, accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { confinedRef } from '../store-ref';
import { BackupStoreUnwritableError } from './errors';

export const MANIFEST = 'manifest.json';

export interface BackupStore {
  /** Human-readable location, for messages and outputs. */
  readonly location: string;
  /** Ids of complete sets (those with a manifest). */
  list(): Promise<string[]>;
  /** A local directory to write a new set into. Throws BACKUP_STORE_UNWRITABLE. */
  stage(id: string): Promise<string>;
  /** Publishes a staged set by writing its manifest last (atomically); returns its path and the SHA-256 of the bytes written. */
  commit(id: string, manifest: unknown): Promise<{ file: string; sha256: string }>;
  /**
   * A local directory holding a complete set, or undefined when there is none with that id.
   * @throws BackupRefOutsideStoreError when `id` is absolute, climbs with `..` or resolves outside the store.
   */
  open(id: string): Promise<string | undefined>;
}

/** A backup store in a local (or mounted) directory. */
export class LocalBackupStore implements BackupStore {
  constructor(readonly location: string) {}

  async list(): Promise<string[]> {
    if (!existsSync(this.location)) return [];
    return readdirSync(this.location, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(this.location, d.name, MANIFEST)))
      .map((d) => d.name)
      .sort();
  }

  async stage(id: string): Promise<string> {
    const dir = join(this.location, id);
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (err) {
      throw new BackupStoreUnwritableError(this.location, (err as Error).message);
    }
    return dir;
  }

  async commit(id: string, manifest: unknown): Promise<{ file: string; sha256: string }> {
    const file = join(this.location, id, MANIFEST);
    const bytes = Buffer.from(JSON.stringify(manifest, null, 2));
    writeFileSync(`${file}.tmp`, bytes);
    renameSync(`${file}.tmp`, file);
    return { file, sha256: createHash('sha256').update(bytes).digest('hex') };
  }

  async open(id: string): Promise<string | undefined> {
    const dir = confinedRef(this.location, id);
    return existsSync(join(dir, MANIFEST)) ? dir : undefined;
  }
}
