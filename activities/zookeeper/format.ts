/**
 * The logical backup file: one JSON document of the tree (data, ACLs, stats) plus a `.sha256` file in
 * sha256sum format next to it. Writes are atomic (temp file, then rename).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { ACL } from 'node-zookeeper-client';
import type { StatJson } from './paths';
import { BackupCorruptError, BackupNotFoundError } from './errors';

export const ZK_BACKUP_FORMAT = 'rekindle.zk-export/v1';

export interface AclJson {
  perms: number;
  scheme: string;
  id: string;
}

/**
 * ACL from the library as JSON. The library's ACL stores `permission`, though its typings say `perms`.
 */
export function aclToJson(a: ACL): AclJson {
  const perms = (a as unknown as { permission?: number }).permission ?? a.perms;
  return { perms, scheme: a.id.scheme, id: a.id.id };
}

export interface ZkBackupNode {
  /** Relative to the backup's root ('' is the root). */
  path: string;
  /** Base64 of the data. */
  data: string;
  acl: AclJson[];
  /** As exported; absent on nodes the restore synthesises. */
  stat?: StatJson;
}

export interface ZkBackup {
  format: typeof ZK_BACKUP_FORMAT;
  root: string;
  connect: string;
  exportedAt: string;
  /** Highest mzxid seen, hex: how recent the backup is in ZooKeeper's own clock. */
  maxZxid: string;
  nodeCount: number;
  nodes: ZkBackupNode[];
}

export interface WrittenBackup {
  file: string;
  sha256: string;
  bytes: number;
}

/** sha256 hex of a buffer. */
export function sha256(buf: Buffer | string): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Writes the backup and its checksum file; returns where and what. */
export async function writeBackup(file: string, backup: ZkBackup): Promise<WrittenBackup> {
  await mkdir(dirname(file), { recursive: true });
  const body = Buffer.from(JSON.stringify(backup));
  const sum = sha256(body);
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, body);
  await rename(tmp, file);
  await writeFile(`${file}.sha256`, `${sum}  ${basename(file)}\n`);
  return { file, sha256: sum, bytes: body.length };
}

/** Reads and checks a backup. Throws BACKUP_NOT_FOUND when missing, BACKUP_CORRUPT when altered or not a backup. */
export async function readBackup(file: string): Promise<{ backup: ZkBackup; sha256: string; bytes: number }> {
  let body: Buffer;
  let sumLine: string;
  try {
    [body, sumLine] = await Promise.all([readFile(file), readFile(`${file}.sha256`, 'utf8')]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new BackupNotFoundError(file, { missing: (err as NodeJS.ErrnoException).path });
    throw new BackupCorruptError(`cannot read backup ${file}: ${(err as Error).message}`, { file });
  }
  const expected = sumLine.trim().split(/\s+/)[0];
  const actual = sha256(body);
  if (expected !== actual) throw new BackupCorruptError(`checksum mismatch for ${file}`, { file, expected, actual });
  let backup: ZkBackup;
  try {
    backup = JSON.parse(body.toString('utf8')) as ZkBackup;
  } catch {
    throw new BackupCorruptError(`backup ${file} is not JSON`, { file });
  }
  if (backup.format !== ZK_BACKUP_FORMAT || !Array.isArray(backup.nodes)) {
    throw new BackupCorruptError(`backup ${file} has format ${String(backup.format)}`, { file });
  }
  return { backup, sha256: actual, bytes: body.length };
}
