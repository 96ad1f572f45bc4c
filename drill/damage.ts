/**
 * Backup-store manipulations for scenarios. Damages a backup set the way bit rot or a half-copied transfer would: one byte of its largest data
 * file flipped in place, its manifest untouched. `backup.select` must then refuse the set.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, renameSync, writeSync } from 'node:fs';
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

/**
 * Moves every complete backup set (a directory with a manifest) out of `store` into a sibling
 * `<store>.aside/<time>/`, so a scenario sees only the sets it takes itself; nothing is deleted.
 * Returns where they went, or null when there was nothing to move.
 */
export function moveSetsAside(store: string): string | null {
  if (!existsSync(store)) return null;
  const sets = readdirSync(store, { withFileTypes: true }).filter(
    (d) => d.isDirectory() && existsSync(join(store, d.name, 'manifest.json')),
  );
  if (sets.length === 0) return null;
  const aside = join(`${store}.aside`, new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(aside, { recursive: true });
  for (const d of sets) renameSync(join(store, d.name), join(aside, d.name));
  return aside;
}
