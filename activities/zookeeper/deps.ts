/**
 * What the ZooKeeper family needs from outside: a session pool, the backup store, and (for the
 * file-level restore) commands and uploads on inventory hosts. activities/index.ts injects the ssh
 * family's shell, which has this shape, so this family never imports the ssh folder.
 */
import type { ZkPool } from './client';

export interface RemoteResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Commands and uploads on inventory hosts by name. `exec` resolves whatever the exit code. */
export interface RemoteHosts {
  exec(
    inventory: Record<string, unknown>,
    host: string,
    command: string,
    opts?: { timeoutMs?: number; maxOutputBytes?: number },
  ): Promise<RemoteResult>;
  upload(inventory: Record<string, unknown>, host: string, localPath: string, remotePath: string): Promise<void>;
}

/** A backup set's files as its trusted manifest lists them (paths relative to the set). */
export interface TrustedSetFiles {
  files: Array<{ path: string; sha256: string }>;
  manifestSha256: string;
}

export interface ZookeeperDeps {
  pool: ZkPool;
  /**
   * Checks a backup set's manifest against its trusted hash (`expected`, else the one its backup run
   * recorded) and returns what it lists. Throws BACKUP_MANIFEST_TAMPERED / BACKUP_MANIFEST_UNRECORDED.
   * Wired by activities/index.ts from the backup family.
   */
  trustedSet?(setDir: string, expected?: string): Promise<TrustedSetFiles>;
  /** Default backup store directory when the inventory names none. */
  backupStore?: string;
  remote?: RemoteHosts;
}
