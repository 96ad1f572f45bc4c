/** The `zookeeper.*` actions: ensemble checks and logical/file-level backup and restore of the znode tree. */
import { z } from 'zod';
import { defineAction, RETRY_STANDARD, zBackup, zDuration, zHost, zManifestSha256 } from './types';

const chroot = z
  .string()
  .startsWith('/')
  .optional()
  .describe("Subtree to act on; defaults to the inventory's Kafka chroot");
const exclude = z
  .array(z.string().startsWith('/'))
  .default([])
  .describe('Extra znode paths to leave alone (the Kafka-aware exclusions always apply)');

export const zookeeperActions = [
  defineAction({
    name: 'zookeeper.check',
    family: 'zookeeper',
    summary: 'Check the ensemble: reachability, mode, leader and quorum (srvr/mntr)',
    kind: 'action',
    inputs: z
      .object({
        expectQuorum: z.boolean().default(true).describe('Fail unless a quorum answers'),
        timeout: zDuration('Per-node time limit').prefault('10s'),
      })
      .strict(),
    outputs: {
      quorum: 'True when a quorum answers',
      leader: 'Leader node id, or null',
      nodes: 'Per node: reachable, mode, zxid',
    },
    idempotent: true,
    readOnly: true,
    reversible: false,
    target: 'cluster',
    retry: RETRY_STANDARD,
    timeoutMs: 60_000,
  }),
  defineAction({
    name: 'zookeeper.export',
    family: 'zookeeper',
    summary: 'Write a logical backup of the znode tree (data, ACLs, stat) to the backup store',
    kind: 'action',
    inputs: z
      .object({ chroot, exclude, destination: z.string().optional().describe('Path in the backup store') })
      .strict(),
    outputs: {
      path: 'Where the export was written',
      znodes: 'Number of znodes',
      sha256: 'SHA-256 of the export',
      zxid: 'Highest zxid seen',
    },
    idempotent: true,
    readOnly: true,
    reversible: false,
    target: 'cluster',
    retry: RETRY_STANDARD,
    timeoutMs: 900_000,
    heartbeatMs: 30_000,
  }),
  defineAction({
    name: 'zookeeper.restore',
    family: 'zookeeper',
    summary:
      'Restore the znode tree from a logical backup in batched transactions, skipping ephemeral and trigger znodes',
    kind: 'action',
    inputs: z
      .object({
        backup: zBackup,
        manifestSha256: zManifestSha256,
        sha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex')
          .optional()
          .describe(
            "For a bare export file (not in a backup set): its trusted SHA-256, the `sha256` output its zookeeper.export recorded. Required there: the checksum file beside an export can be rewritten with it",
          ),
        mode: z.enum(['logical']).default('logical').describe('Restore method (file-level: zookeeper.restore-files)'),
        chroot,
        exclude,
        prune: z.boolean().default(true).describe('Delete restorable znodes that are not in the backup'),
        pruneRoot: z
          .boolean()
          .default(false)
          .describe(
            "DANGEROUS: allow prune when the target is the ensemble root `/` (no chroot). Pruning `/` deletes every znode the backup does not hold: every other tenant of a shared ensemble. Without it, such a restore is refused (ZK_PRUNE_ROOT_REFUSED)",
          ),
        allowMismatch: z
          .array(z.enum(['root', 'ensemble', 'clusterId']))
          .default([])
          .describe(
            "Checks to skip, each a deliberate choice: `root` (the backup was taken of another subtree), `ensemble` (on another connect string, e.g. a rebuilt ensemble), `clusterId` (the live /cluster/id differs). Otherwise a mismatch is refused before any change (ZK_BACKUP_ROOT_MISMATCH, ZK_BACKUP_ENSEMBLE_MISMATCH, ZK_BACKUP_CLUSTER_ID_MISMATCH)",
          ),
        batchSize: z.number().int().min(1).max(1000).default(200).describe('Operations per transaction'),
        maxBatchBytes: z
          .number()
          .int()
          .min(1024)
          .max(1_000_000)
          .default(512 * 1024)
          .describe("Bytes per transaction; stays under the server's jute.maxbuffer (~1 MiB)"),
        verify: z.boolean().default(true).describe('Re-read the tree after writing and fail on any difference'),
      })
      .strict(),
    outputs: {
      created: 'Znodes created',
      updated: 'Znodes updated',
      deleted: 'Znodes deleted',
      skipped: 'Znodes excluded',
    },
    idempotent: true,
    readOnly: false,
    reversible: false,
    target: 'cluster',
    retry: RETRY_STANDARD,
    timeoutMs: 900_000,
    heartbeatMs: 30_000,
  }),
  defineAction({
    name: 'zookeeper.diff',
    family: 'zookeeper',
    summary: 'Compare the live znode tree with a backup (same exclusions as restore)',
    kind: 'action',
    inputs: z
      .object({
        backup: zBackup,
        chroot,
        exclude,
        limit: z
          .number()
          .int()
          .min(0)
          .default(100_000)
          .describe('Most paths listed per kind of difference (a long list goes to the evidence store)'),
      })
      .strict(),
    outputs: {
      identical: 'True when nothing differs',
      added: 'Znodes live but not in the backup',
      removed: 'Znodes in the backup but not live',
      changed: 'Znodes whose data or ACL differ',
      summary: 'One line for approvers',
      reachable: 'False when ZooKeeper could not be reached (then nothing was compared; see findings)',
      findings: 'What could not be reached, with evidence (zookeeper-unreachable)',
    },
    largeOutputs: ['added', 'removed', 'changed'],
    idempotent: true,
    readOnly: true,
    reversible: false,
    target: 'cluster',
    retry: RETRY_STANDARD,
    timeoutMs: 600_000,
    heartbeatMs: 30_000,
  }),
  defineAction({
    name: 'zookeeper.restore-files',
    family: 'zookeeper',
    summary:
      "Restore a ZooKeeper node's data directories from snapshot plus logs over SSH; servers must be stopped; keeps myid",
    kind: 'action',
    inputs: z
      .object({
        host: zHost,
        backup: zBackup.describe(
          'Backup set id whose `zookeeper-files/` (made by backup.create with zookeeperFiles: true) holds snapshot.* and log.*; every file must be listed with its SHA-256 in the set\'s trusted manifest',
        ),
        manifestSha256: zManifestSha256,
      })
      .strict(),
    outputs: {
      snapshot: 'The snapshot file put in place',
      logs: 'Transaction log files put in place',
      movedAside: 'Where the old version-2 went',
    },
    idempotent: true,
    readOnly: false,
    reversible: false,
    target: 'host',
    retry: RETRY_STANDARD,
    timeoutMs: 900_000,
    heartbeatMs: 30_000,
  }),
];
