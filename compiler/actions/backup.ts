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
          .describe("Also copy one ZooKeeper node's snapshot and transaction logs (version-2) into zookeeper-files/, listed in the manifest, for zookeeper.restore-files"),
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
    outputs: {
      backupSet: 'Id of the new set',
      path: 'Directory of the set in the backup store',
      manifest: 'Path of manifest.json (files, sizes, SHA-256, per-partition counts)',
      manifestSha256:
        "SHA-256 of manifest.json as written; recorded in this run's history, where restores look it up to detect a rewritten store",
      timestamp: 'ISO-8601 time the set is consistent at',
    },
    idempotent: false,
    readOnly: false,
    reversible: false,
    target: 'cluster',
    retry: RETRY_ONCE,
    timeoutMs: 1_800_000,
    heartbeatMs: 30_000,
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
    outputs: {
      backupSet: 'Chosen set id',
      path: 'Its directory',
      timestamp: 'ISO-8601 time the set is consistent at (use for offsets-reset to-datetime)',
      skewMs: 'Gap between the ZooKeeper and Kafka parts',
      manifest: 'Path of its manifest',
      manifestSha256: "SHA-256 of its manifest, checked against the backup run's record; pass it to the restore steps",
      otherClusters: 'Sets in the store that belong to another cluster (name or cluster id), left out',
      offsets: 'Path of its committed-offsets CSV (group,topic,partition,offset) for offsets-reset from-file, or null',
      refused:
        'Sets refused, each with the reason and its type: BACKUP_CORRUPT (files not matching the manifest), BACKUP_MANIFEST_TAMPERED, BACKUP_MANIFEST_UNRECORDED',
      fallback: 'True when a newer set was refused and an older consistent one chosen',
      summary: 'One line: the chosen set, and any newer set REFUSED with its reason',
    },
    idempotent: true,
    readOnly: true,
    reversible: false,
    target: 'none',
    retry: RETRY_STANDARD,
    timeoutMs: 60_000,
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
    outputs: {
      files: 'Files restored',
      bytes: 'Bytes restored',
      movedAside: 'Where the old log dirs went',
      findings: "Log dir paths the manifest names that differ from the inventory's (the inventory's are used)",
    },
    idempotent: true,
    readOnly: false,
    reversible: false,
    target: 'host',
    retry: RETRY_STANDARD,
    timeoutMs: 1_800_000,
    heartbeatMs: 30_000,
  }),
];
