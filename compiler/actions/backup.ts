/** The `backup.*` actions: consistent backup sets and choosing and restoring them. */
import { z } from 'zod';
import { defineAction, RETRY_ONCE, RETRY_STANDARD, zBackup, zDuration, zHost, zManifestSha256 } from './types';

export const backupActions = [
  defineAction({
    name: 'backup.create',
    family: 'backup',
    summary:
      'Create a consistent backup set: ZooKeeper tree, broker log dirs, group offsets and a manifest with checksums',
    kind: 'action',
    inputs: z
      .object({
        label: z
          .string()
          .regex(/^[a-z0-9][a-z0-9._-]*$/)
          .optional()
          .describe('Name part of the backup set id'),
        logs: z.boolean().default(true).describe('Copy broker log dirs over SSH'),
        offsets: z.boolean().default(true).describe('Export committed offsets of every group'),
        zookeeperFiles: z
          .boolean()
          .default(false)
          .describe(
            "Also copy one ZooKeeper node's snapshot and transaction logs (version-2) into zookeeper-files/, listed in the manifest, for zookeeper.restore-files",
          ),
        zookeeper: z.string().optional().describe('Reuse this zookeeper.export path instead of exporting again'),
        groupOffsets: z.string().optional().describe('Reuse this kafka.offsets-export path'),
        window: z
          .enum(['rolling', 'cold'])
          .default('rolling')
          .describe('rolling: stop, copy and restart one broker at a time; cold: stop all, copy all, start all'),
        brokers: z.array(z.number().int()).optional().describe('Copy only these broker ids (default: every broker)'),
        waitTimeout: zDuration('How long to wait for a broker to stop or re-register').prefault('3m'),
      })
      .strict(),
    outputs: z.strictObject({
      backupSet: z.string().optional().describe('Id of the new set'),
      path: z.string().optional().describe('Directory of the set in the backup store'),
      manifest: z.string().optional().describe('Path of manifest.json (files, sizes, SHA-256, per-partition counts)'),
      manifestSha256: z
        .string()
        .optional()
        .describe(
          "SHA-256 of manifest.json as written; recorded in this run's history, where restores look it up to detect a rewritten store",
        ),
      timestamp: z.string().optional().describe('ISO-8601 time the set is consistent at'),
      clusterId: z.string().nullable().optional().describe('The cluster id backed up'),
      brokers: z.array(z.number()).describe('Broker ids backed up (or that would be)'),
      offsets: z.boolean().optional().describe('True when the set holds committed offsets'),
      dryRun: z.boolean().optional().describe('True under --dry-run: nothing was made'),
      window: z.unknown().optional().describe('Under --dry-run: the backup window that would be used'),
    }),
    idempotent: false,
    readOnly: false,
    reversible: false,
    target: 'cluster',
    retry: RETRY_ONCE,
    timeoutMs: 1_800_000,
    heartbeatMs: 30_000,
    fence: { lock: 'kafka-logs', hosts: 'brokers' },
  }),
  defineAction({
    name: 'backup.select',
    family: 'backup',
    summary: 'Choose the ZooKeeper and Kafka backups closest in time; refuse when they are further apart than maxSkew',
    kind: 'action',
    inputs: z
      .object({
        backupSet: z.string().min(1).default('latest').describe('A set id, or `latest`'),
        before: z.string().optional().describe('ISO-8601: newest set taken before this time'),
        maxSkew: zDuration('Largest accepted gap between the ZooKeeper and Kafka parts').prefault('5m'),
        manifestSha256: zManifestSha256.describe(
          "Trusted SHA-256 of the named set's manifest.json (from its backup run's audit, when that run's history has expired). Without it, each candidate's manifest must match the hash its backup run recorded",
        ),
      })
      .strict(),
    outputs: z.strictObject({
      backupSet: z.string().describe('Chosen set id'),
      path: z.string().describe('Its directory'),
      timestamp: z.string().describe('ISO-8601 time the set is consistent at (use for offsets-reset to-datetime)'),
      skewMs: z.number().describe('Gap between the ZooKeeper and Kafka parts'),
      manifest: z.string().describe('Path of its manifest'),
      manifestSha256: z
        .string()
        .optional()
        .describe("SHA-256 of its manifest, checked against the backup run's record; pass it to the restore steps"),
      otherClusters: z
        .number()
        .describe('How many sets in the store belong to another cluster (name or cluster id) and were left out'),
      offsets: z
        .string()
        .nullable()
        .describe(
          'Path of its committed-offsets CSV (group,topic,partition,offset) for offsets-reset from-file, or null',
        ),
      refused: z
        .array(z.unknown())
        .describe(
          'Sets refused, each with the reason and its type: BACKUP_CORRUPT (files not matching the manifest), BACKUP_MANIFEST_TAMPERED, BACKUP_MANIFEST_UNRECORDED',
        ),
      fallback: z.boolean().describe('True when a newer set was refused and an older consistent one chosen'),
      summary: z.string().describe('One line: the chosen set, and any newer set REFUSED with its reason'),
      clusterId: z.string().nullable().optional().describe('The cluster id of the set'),
      zookeeper: z
        .object({ backupSet: z.string(), path: z.string(), exportedAt: z.string() })
        .describe('The ZooKeeper part: its set id, file and export time'),
    }),
    idempotent: true,
    readOnly: true,
    reversible: false,
    target: 'none',
    retry: RETRY_STANDARD,
    timeoutMs: 60_000,
    heartbeatMs: 15_000,
  }),
  defineAction({
    name: 'backup.restore-logs',
    family: 'backup',
    summary:
      "Restore a broker's log dirs from a backup set over SSH (broker stopped); meta.properties is kept consistent",
    kind: 'action',
    inputs: z
      .object({
        host: zHost,
        backup: zBackup,
        manifestSha256: zManifestSha256,
        wipe: z.boolean().default(true).describe('Move the current log dirs aside first'),
        verify: z.boolean().default(true).describe('Check SHA-256 of every restored file against the manifest'),
      })
      .strict(),
    outputs: z.strictObject({
      files: z.number().optional().describe('Files restored'),
      bytes: z.number().optional().describe('Bytes restored'),
      movedAside: z.array(z.string()).optional().describe('Where the old log dirs went'),
      backupSet: z.string().optional().describe('The set restored from'),
      findings: z
        .array(z.unknown())
        .optional()
        .describe("Log dir paths the manifest names that differ from the inventory's (the inventory's are used)"),
      dryRun: z.boolean().optional().describe('True under --dry-run: nothing was restored'),
      logDirs: z.array(z.string()).optional().describe('Under --dry-run: the log dirs that would be restored'),
    }),
    idempotent: true,
    readOnly: false,
    reversible: false,
    target: 'host',
    retry: RETRY_STANDARD,
    timeoutMs: 1_800_000,
    heartbeatMs: 30_000,
    fence: { lock: 'kafka-logs', hosts: 'target' },
  }),
];
