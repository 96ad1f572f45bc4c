/**
 * What the Kafka family needs from outside, injected by activities/index.ts so this family imports no
 * other: kafkajs pool, backup store, read-only ZooKeeper access and commands on inventory hosts
 * (kafka.preflight reads meta.properties and partition.metadata over SSH).
 */
import type { KafkaPool } from './client';

/** Read-only znode access (the zookeeper family's createZnodeReader has this shape). */
export interface ZnodeReader {
  /** Data as UTF-8, or null when the znode does not exist. */
  get(connect: string, path: string): Promise<string | null>;
  /** Children names, or [] when the znode does not exist. */
  children(connect: string, path: string): Promise<string[]>;
}

/** Commands on inventory hosts by name (the ssh family's SshShell has this shape). Resolves whatever the exit code. */
export interface RemoteExec {
  exec(
    inventory: Record<string, unknown>,
    host: string,
    command: string,
    opts?: { timeoutMs?: number; maxOutputBytes?: number },
  ): Promise<{ exitCode: number | null; stdout: string; stderr: string }>;
}

export interface KafkaDeps {
  pool: KafkaPool;
  /** Default backup store directory when the inventory names none. */
  backupStore?: string;
  zk?: ZnodeReader;
  remote?: RemoteExec;
}
