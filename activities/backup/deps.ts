/**
 * What the backup family needs from other families, as small interfaces injected by activities/index.ts:
 * commands and file transfers on hosts (ssh), a ZooKeeper export and the cluster id (zookeeper), group
 * offsets (kafka), and broker stop/start with waits (service).
 */
import type { InventoryHost } from '../../compiler/inventory';
import type { ActionContext } from '../errors';
import type { PartitionDigest } from '../partition-digest';
import type { BackupStore } from './store';

export interface BackupHosts {
  host(inventory: Record<string, unknown>, host: string): InventoryHost;
  run(
    inventory: Record<string, unknown>,
    host: string,
    command: string,
    opts?: { timeoutMs?: number; okExitCodes?: number[]; maxOutputBytes?: number; signal?: AbortSignal },
  ): Promise<{ exitCode: number | null; stdout: string; stderr: string }>;
  upload(inventory: Record<string, unknown>, host: string, localPath: string, remotePath: string): Promise<void>;
  download(inventory: Record<string, unknown>, host: string, remotePath: string, localPath: string): Promise<void>;
}

/** A part written into the set by another family. */
export interface ExportedPart {
  sha256: string;
  exportedAt: string;
  details?: Record<string, unknown>;
}

export interface BackupDeps {
  hosts: BackupHosts;
  /** The store for an inventory (its backupStore, else the worker default). */
  store(inventory: Record<string, unknown>): BackupStore;
  /** Writes the ZooKeeper export of the Kafka chroot to `file`. */
  exportZookeeper(inventory: Record<string, unknown>, file: string, ctx: ActionContext): Promise<ExportedPart>;
  /** `/cluster/id`'s id, or null. */
  clusterId(inventory: Record<string, unknown>): Promise<string | null>;
  /** Writes committed offsets of every group to `file`; absent until the kafka family provides it. */
  exportOffsets?(inventory: Record<string, unknown>, file: string, ctx: ActionContext): Promise<ExportedPart>;
  /**
   * Per-partition data digests (end offsets, counts, content SHA-256) of the user topics, recorded as
   * the manifest's `kafka.partitions` for kafka.verify-data. Absent until the kafka family provides it.
   */
  digestData?(inventory: Record<string, unknown>, ctx: ActionContext): Promise<PartitionDigest[]>;
  /** Stops a broker and waits until it left /brokers/ids. */
  stopBroker(
    inventory: Record<string, unknown>,
    host: string,
    waitTimeoutMs: number,
    ctx: ActionContext,
  ): Promise<void>;
  /** Starts a broker and waits until it registered. */
  startBroker(
    inventory: Record<string, unknown>,
    host: string,
    waitTimeoutMs: number,
    ctx: ActionContext,
  ): Promise<void>;
  /**
   * The manifest SHA-256 that the run which made set `setId` recorded in its workflow history (the
   * `manifestSha256` output of its backup.create), or undefined when that history cannot be found
   * (expired, or the set was not made by a Rekindle run, or the call is outside Temporal).
   */
  recordedManifestHash(createdBy: { workflowId: string; runId?: string }, setId: string): Promise<string | undefined>;
  /** True when the host's service process runs. */
  isRunning(inventory: Record<string, unknown>, host: string): Promise<boolean>;
}

export type { PartitionDigest };
