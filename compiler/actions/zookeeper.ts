/** The `zookeeper.*` actions: ensemble checks and logical/file-level backup and restore of the znode tree. */
import { z } from 'zod';
import { defineAction, READS_CLUSTER, RETRY_STANDARD, zBackup, zDuration, zHost, zManifestSha256 } from './types';

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
    outputs: z.strictObject({
      healthy: z.boolean().describe('True when a quorum and a leader answer and a client round trip works'),
      quorum: z.boolean().describe('True when a quorum answers'),
      leader: z.number().optional().describe('Leader node id, if any'),
      mode: z.string().optional().describe("The leader's mode (leader or standalone)"),
      zxid: z.string().optional().describe("The leader's zxid"),
      nodeCount: z.number().optional().describe('Znodes on the leader'),
      roundTripMs: z.number().optional().describe('Time of a client round trip'),
      nodes: z.array(z.unknown()).describe('Per node: reachable, mode, zxid'),
      problems: z.array(z.string()).describe('What is wrong, one line each'),
    }),
    ...READS_CLUSTER,
    timeoutMs: 60_000,
    heartbeatMs: 15_000,
  }),
  defineAction({
    name: 'zookeeper.export',
    family: 'zookeeper',
    summary: 'Write a logical backup of the znode tree (data, ACLs, stat) to the backup store',
    kind: 'action',
    inputs: z
      .object({ chroot, exclude, destination: z.string().optional().describe('Path in the backup store') })
      .strict(),
    outputs: z.strictObject({
      path: z.string().describe('Where the export was written'),
      file: z.string().describe('The same path (as the backup file)'),
      sha256: z.string().describe('SHA-256 of the export'),
      bytes: z.number().describe('Size of the export'),
      root: z.string().describe('The subtree exported'),
      znodes: z.number().describe('Number of znodes'),
      nodeCount: z.number().describe('Number of znodes (same as znodes)'),
      zxid: z.string().describe('Highest zxid seen'),
      maxZxid: z.string().describe('Highest zxid seen (same as zxid)'),
      exportedAt: z.string().describe('ISO-8601 time of the export'),
      durationMs: z.number().optional().describe('Time the export took (absent when an earlier export was reused)'),
    }),
    ...READS_CLUSTER,
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
            'For a bare export file (not in a backup set): its trusted SHA-256, the `sha256` output its zookeeper.export recorded. Required there: the checksum file beside an export can be rewritten with it',
          ),
        mode: z.enum(['logical']).default('logical').describe('Restore method (file-level: zookeeper.restore-files)'),
        chroot,
        exclude,
        prune: z.boolean().default(true).describe('Delete restorable znodes that are not in the backup'),
        pruneRoot: z
          .boolean()
          .default(false)
          .describe(
            'DANGEROUS: allow prune when the target is the ensemble root `/` (no chroot). Pruning `/` deletes every znode the backup does not hold: every other tenant of a shared ensemble. Without it, such a restore is refused (ZK_PRUNE_ROOT_REFUSED)',
          ),
        allowMismatch: z
          .array(z.enum(['root', 'ensemble', 'clusterId']))
          .default([])
          .describe(
            'Checks to skip, each a deliberate choice: `root` (the backup was taken of another subtree), `ensemble` (on another connect string, e.g. a rebuilt ensemble), `clusterId` (the live /cluster/id differs). Otherwise a mismatch is refused before any change (ZK_BACKUP_ROOT_MISMATCH, ZK_BACKUP_ENSEMBLE_MISMATCH, ZK_BACKUP_CLUSTER_ID_MISMATCH)',
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
    outputs: z.strictObject({
      created: z.number().optional().describe('Znodes created'),
      updated: z.number().optional().describe('Znodes updated'),
      deleted: z.number().optional().describe('Znodes deleted'),
      skipped: z.number().optional().describe('Znodes excluded'),
      dryRun: z.boolean().optional().describe('True under --dry-run: nothing was written (see planned)'),
      planned: z
        .record(z.string(), z.number())
        .optional()
        .describe('Under --dry-run: create, setData, setAcl, remove counts'),
      backup: z.string().describe('The backup file restored'),
      backupSha256: z.string().optional().describe('SHA-256 of the backup file'),
      manifestSha256: z
        .string()
        .optional()
        .describe("SHA-256 of the set's manifest, checked against its backup run's record (for an export in a set)"),
      clusterId: z
        .string()
        .nullable()
        .optional()
        .describe("The target's Kafka cluster id, checked against the backup's"),
      target: z.string().describe('The subtree restored'),
      aclUpdated: z.number().optional().describe('Znodes whose ACL was set'),
      removed: z.number().optional().describe('Znodes deleted (same as deleted)'),
      excluded: z.number().describe('Znodes excluded (same as skipped)'),
      excludedSample: z.array(z.string()).optional().describe('The first 20 excluded paths'),
      batches: z.number().describe('Transactions'),
      controllerEpoch: z.number().optional().describe('The /controller_epoch written, when one was'),
      verified: z.number().optional().describe('Znodes re-read and found as the backup has them'),
      writeMs: z.number().optional().describe('Time spent writing'),
      durationMs: z.number().optional().describe('Time the restore took'),
    }),
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
    outputs: z.strictObject({
      identical: z.boolean().describe('True when nothing differs'),
      added: z.array(z.string()).describe('Znodes live but not in the backup'),
      removed: z.array(z.string()).describe('Znodes in the backup but not live'),
      changed: z.array(z.string()).describe('Znodes whose data or ACL differ'),
      summary: z.string().describe('One line for approvers (the step summary)'),
      reachable: z
        .boolean()
        .describe('False when ZooKeeper could not be reached (then nothing was compared; see findings)'),
      findings: z
        .array(z.object({ kind: z.string(), message: z.string() }))
        .optional()
        .describe('What could not be reached, with evidence (zookeeper-unreachable)'),
      backup: z.string().describe('The backup file compared'),
      root: z.string().describe('The subtree compared'),
      counts: z
        .record(z.string(), z.number().nullable())
        .describe('How many znodes were added, removed, changed, live and in the backup'),
      dataChanged: z.array(z.string()).describe('Znodes whose data differ'),
      aclChanged: z.array(z.string()).describe('Znodes whose ACL differ'),
      volatile: z.array(z.string()).describe('Differences in znodes a restore leaves alone (exclusions)'),
    }),
    largeOutputs: ['added', 'removed', 'changed'],
    ...READS_CLUSTER,
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
          "Backup set id whose `zookeeper-files/` (made by backup.create with zookeeperFiles: true) holds snapshot.* and log.*; every file must be listed with its SHA-256 in the set's trusted manifest",
        ),
        manifestSha256: zManifestSha256,
      })
      .strict(),
    outputs: z.strictObject({
      snapshot: z.string().optional().describe('The snapshot file put in place'),
      logs: z.array(z.string()).describe('Transaction log files put in place'),
      movedAside: z.string().optional().describe('Where the old version-2 went'),
      source: z.string().describe('The backup directory restored from'),
      manifestSha256: z.string().describe("SHA-256 of the set's trusted manifest the files were checked against"),
      files: z.array(z.object({ name: z.string(), sha256: z.string() })).describe('Files restored, with SHA-256'),
      nodes: z.array(z.number()).describe('ZooKeeper node ids acted on'),
      changedNodes: z.array(z.number()).describe('Node ids whose data directory was replaced'),
    }),
    idempotent: true,
    readOnly: false,
    reversible: false,
    target: 'host',
    retry: RETRY_STANDARD,
    timeoutMs: 900_000,
    heartbeatMs: 30_000,
    fence: { lock: 'zookeeper-data', hosts: 'zookeeper' },
  }),
];
