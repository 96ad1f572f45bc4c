/**
 * The manifest of a backup set: what it holds, when each part was taken, and checksums of every file.
 * `kafka.verify-data` and `backup.select` read it; its `format` changes on any incompatible change.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackupCorruptError } from './errors';
import type { PartitionDigest } from './deps';
import { MANIFEST } from './store';

export const MANIFEST_FORMAT = 'rekindle-backup/1';

export interface ManifestFile {
  /** Path relative to the set directory. */
  path: string;
  sha256: string;
  bytes: number;
}

/** One file inside a broker log dir, as it was on the host. */
export interface LogDirFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface LogDirCopy {
  /** The log dir on the host. */
  logDir: string;
  /** The archive in the set (tar of the log dir's contents). */
  archive: string;
  sha256: string;
  bytes: number;
  files: LogDirFile[];
  copiedAt: string;
}

export interface BrokerCopy {
  id: number;
  host: string;
  logDirs: LogDirCopy[];
}

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  id: string;
  label?: string;
  cluster: string;
  /** `/cluster/id` at backup time (null when unreadable). */
  clusterId: string | null;
  createdAt: string;
  completedAt: string;
  /** The run that made it: a second call from the same step finds its set again. */
  createdBy: { workflowId: string; runId?: string; stepId: string };
  zookeeper?: { file: string; sha256: string; exportedAt: string; nodeCount?: number; maxZxid?: string };
  kafka?: {
    window: 'rolling' | 'cold';
    startedAt: string;
    finishedAt: string;
    brokers: BrokerCopy[];
    /** Per-partition digests taken just before the copy (what kafka.verify-data compares with). */
    partitions?: PartitionDigest[];
  };
  offsets?: { file: string; sha256: string; exportedAt: string; groups?: unknown };
  files: ManifestFile[];
}

/** Reads a set's manifest. Throws BackupCorruptError when it is unreadable or of another format. */
export function readManifest(dir: string): BackupManifest {
  return readManifestBytes(dir).m;
}

/**
 * Reads a set's manifest once, with the SHA-256 of exactly the bytes parsed (so what is checked is
 * what is used). Throws BackupCorruptError when it is unreadable or of another format.
 */
export function readManifestBytes(dir: string): { m: BackupManifest; sha256: string } {
  let m: BackupManifest;
  let sha256: string;
  try {
    const bytes = readFileSync(join(dir, MANIFEST));
    sha256 = createHash('sha256').update(bytes).digest('hex');
    m = JSON.parse(bytes.toString('utf8')) as BackupManifest;
  } catch (err) {
    throw new BackupCorruptError(`manifest of ${dir} is unreadable: ${(err as Error).message}`, { dir });
  }
  if (m.format !== MANIFEST_FORMAT) throw new BackupCorruptError(`manifest of ${dir} has format ${m.format}`, { dir });
  return { m, sha256 };
}

/** The time the Kafka part is consistent at: the middle of its copy window. */
export function kafkaTime(m: BackupManifest): number | undefined {
  if (!m.kafka) return undefined;
  return (Date.parse(m.kafka.startedAt) + Date.parse(m.kafka.finishedAt)) / 2;
}
