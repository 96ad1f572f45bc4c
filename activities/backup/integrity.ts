/**
 * Whether a backup set is still what its manifest says: every listed file present, of the recorded
 * size and SHA-256. `backup.select` refuses a set that is not, with the reason, and falls back to the
 * previous consistent one.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileSha256 } from '../file-sha256';
import type { BackupManifest } from './manifest';

/** The first thing wrong with the set's files, or null when every file matches its manifest. */
export async function setDamage(dir: string, m: BackupManifest): Promise<string | null> {
  for (const f of m.files) {
    const path = join(dir, f.path);
    if (!existsSync(path)) return `${f.path} is missing`;
    const bytes = statSync(path).size;
    if (bytes !== f.bytes) return `${f.path} has ${bytes} bytes, the manifest records ${f.bytes}`;
  }
  for (const f of m.files) {
    const sha = await fileSha256(join(dir, f.path));
    if (sha !== f.sha256)
      return `${f.path} has SHA-256 ${sha.slice(0, 12)}…, the manifest records ${f.sha256.slice(0, 12)}…`;
  }
  return null;
}
