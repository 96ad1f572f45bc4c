/**
 * Whether a set's manifest is the one its backup run recorded. The manifest (and so every checksum the
 * restore trusts) sits in the store, where whoever can write the store can rewrite it; the hash that
 * backup.create returned sits in the backup run's workflow history, where they cannot. Every action
 * that restores from a set checks this before it changes anything.
 */
import type { BackupDeps } from './deps';
import { BackupCorruptError, BackupManifestTamperedError, BackupManifestUnrecordedError } from './errors';
import { readManifestBytes, type BackupManifest } from './manifest';

export interface TrustedManifest {
  m: BackupManifest;
  sha256: string;
  /** Where the trusted hash came from: a step input (backup.select's output), or the backup run's history. */
  trustedBy: 'input' | 'history';
}

/**
 * Reads the manifest of set `id` in `dir` and checks it against `expected` (a trusted hash handed in,
 * e.g. backup.select's output) or, without one, against the hash its backup run recorded.
 * @throws BackupManifestTamperedError, BackupManifestUnrecordedError, BackupCorruptError (unreadable, or naming another set).
 */
export async function readTrustedManifest(
  deps: Pick<BackupDeps, 'recordedManifestHash'>,
  id: string,
  dir: string,
  expected?: string,
): Promise<TrustedManifest> {
  const { m, sha256 } = readManifestBytes(dir);
  if (m.id !== id)
    throw new BackupCorruptError(`manifest in set ${id} names set ${m.id}`, { setId: id, manifestId: m.id });
  const want = expected ?? (await deps.recordedManifestHash(m.createdBy, id));
  if (!want) throw new BackupManifestUnrecordedError(id, m.createdBy);
  const source = expected ? 'the step input manifestSha256' : `backup run ${m.createdBy.workflowId}`;
  if (want !== sha256) throw new BackupManifestTamperedError(id, want, sha256, source);
  return { m, sha256, trustedBy: expected ? 'input' : 'history' };
}
