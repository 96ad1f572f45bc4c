/**
 * Damages a backup set the way bit rot or a half-copied transfer would: one byte of its largest data
 * file flipped in place, its manifest untouched. `backup.select` must then refuse the set.
 */
import { openSync, readSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../activities/backup/manifest';

/** Flips one byte in the middle of the set's largest file; returns which file. Throws when the set has no files. */
export function damageBackupSet(setDir: string): string {
  const m = readManifest(setDir);
  const file = [...m.files].sort((a, b) => b.bytes - a.bytes)[0];
  if (!file || file.bytes === 0) throw new Error(`backup set ${setDir} has no data file to damage`);
  const fd = openSync(join(setDir, file.path), 'r+');
  try {
    const at = Math.floor(file.bytes / 2);
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, at);
    byte[0] ^= 0xff;
    writeSync(fd, byte, 0, 1, at);
  } finally {
    closeSync(fd);
  }
  return file.path;
}
