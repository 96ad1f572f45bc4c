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

export interface ZookeeperDeps {
  pool: ZkPool;
  /** Default backup store directory when the inventory names none. */
  backupStore?: string;
  remote?: RemoteHosts;
}
