/** The `kafka.*` actions: state, preflight, health, data checks and consumer offsets. */
import { z } from 'zod';
import { defineAction, READS_CLUSTER, RETRY_STANDARD, zBackup, zDuration } from './types';

/** Every mode of `kafka-consumer-groups --reset-offsets`, with the input each one needs. */
export const OFFSET_RESET_MODES = {
  'to-earliest': undefined,
  'to-latest': undefined,
  'to-current': undefined,
  'to-offset': 'offset',
  'shift-by': 'shiftBy',
  'to-datetime': 'datetime',
  'by-duration': 'duration',
  'from-file': 'file',
} as const;

type ResetMode = keyof typeof OFFSET_RESET_MODES;

/** One row of an approved reset: the partition, what the dry run saw, and the absolute offset to commit. */
const zResetRow = z
  .object({
    group: z.string().min(1),
    topic: z.string().min(1),
    partition: z.number().int().min(0),
    low: z.number().int().min(0).describe('Log start the dry run saw'),
    high: z.number().int().min(0).describe('Log end the dry run saw, at its isolation level'),
    highWatermark: z.number().int().min(0),
    lastStableOffset: z.number().int().min(0),
    current: z.number().int().min(0).nullable().describe('Committed offset the dry run saw, null when none'),
    new: z.number().int().min(0).describe('The approved offset to commit'),
  })
  .strict();

/** The approved dry-run table as data: what the execute applies, and nothing else. */
export const zOffsetsPlanDoc = z
  .object({
    version: z.literal(1),
    clusterId: z.string().min(1).describe('The cluster the dry run read'),
    mode: z.enum(Object.keys(OFFSET_RESET_MODES) as [ResetMode, ...ResetMode[]]),
    isolationLevel: z.enum(['read_uncommitted', 'read_committed']),
    groups: z.array(z.string().min(1)),
    rows: z.array(zResetRow),
  })
  .strict();

/** A plan the dry run stored in the run's evidence store; the execute reads it back and checks the hash. */
export const zOffsetsPlanRef = z
  .object({
    path: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    rows: z.number().int().min(0).optional(),
    changed: z.number().int().min(0).optional(),
  })
  .strict();

/** Inputs a plan already fixes: an execute with `plan` takes none of them. */
const PLAN_FIXES = ['mode', 'offset', 'shiftBy', 'datetime', 'duration', 'file'] as const;

const offsetsReset = z
  .object({
    groups: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Consumer groups (each must be Empty); from-file defaults to the groups the file names'),
    topics: z.array(z.string().min(1)).optional().describe("Topics to reset; defaults to the group's committed topics"),
    mode: z
      .enum(Object.keys(OFFSET_RESET_MODES) as [ResetMode, ...ResetMode[]])
      .optional()
      .describe('Reset mode (a dry run); an execute takes it from its plan'),
    offset: z.number().int().optional().describe('to-offset: the offset (clamped to the log, as the tool)'),
    shiftBy: z.number().int().optional().describe('shift-by: added to the committed offset (clamped)'),
    datetime: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}(:\d{2})?)?$/)
      .optional()
      .describe('to-datetime: `yyyy-MM-ddTHH:mm:ss.SSS` with an optional zone `Z`, `±hh` or `±hh:mm`; UTC when none'),
    duration: z
      .string()
      .regex(/^\+?P(\d+D)?(T(\d+H)?(\d+M)?(\d+([.,]\d{0,9})?S)?)?$/i)
      .optional()
      .describe('by-duration: ISO-8601 `PnDTnHnMn.nS` back from now (java.time.Duration, not negative)'),
    file: z
      .string()
      .optional()
      .describe('from-file: CSV of `topic,partition,offset` (one group) or `group,topic,partition,offset` rows'),
    isolationLevel: z
      .enum(['read_uncommitted', 'read_committed'])
      .default('read_uncommitted')
      .describe(
        "Dry run: log end and time lookups up to the high watermark (read_uncommitted, as kafka-consumer-groups) or the last stable offset; an execute uses its plan's",
      ),
    dryRun: z
      .boolean()
      .default(true)
      .describe('Only compute the table and its plan (the default); false applies `plan` and needs it'),
    plan: z
      .union([zOffsetsPlanRef, zOffsetsPlanDoc])
      .optional()
      .describe(
        "Execute: the approved dry run's `plan` output, `${{ steps.<dry-run>.outputs.plan }}`. Applied exactly; refused (OFFSETS_DRIFTED) when the live offsets moved since",
      ),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.plan !== undefined) {
      for (const field of PLAN_FIXES.filter((f) => v[f] !== undefined))
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `'${field}' is fixed by the plan the execute applies; remove it (the dry run takes it)`,
          params: { code: 'INPUT_VALUE' },
        });
      return;
    }
    if (v.dryRun === false) {
      ctx.addIssue({
        code: 'custom',
        path: ['dryRun'],
        message:
          'an execute applies an approved dry run: add a dry-run step, an approval after it, and here plan: ${{ steps.<dry-run>.outputs.plan }}',
        params: { code: 'INPUT_MISSING' },
      });
      return;
    }
    if (v.mode === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['mode'],
        message: "a dry run needs 'mode' (to-earliest, to-latest, to-offset, ...)",
        params: { code: 'INPUT_MISSING' },
      });
      return;
    }
    if (v.groups === undefined && v.mode !== 'from-file') {
      ctx.addIssue({
        code: 'custom',
        path: ['groups'],
        message: `mode '${v.mode}' needs the input 'groups'; only from-file can take its groups from the file`,
        params: { code: 'INPUT_MISSING' },
      });
    }
    const needed = OFFSET_RESET_MODES[v.mode as ResetMode];
    if (needed && (v as Record<string, unknown>)[needed] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['mode'],
        message: `mode '${v.mode}' needs the input '${needed}'; add ${needed} under with:`,
        params: { code: 'INPUT_MISSING' },
      });
    }
  });

export const kafkaActions = [
  defineAction({
    name: 'kafka.snapshot-state',
    family: 'kafka',
    summary: 'Capture brokers, controller, topics, partitions, configs, ACLs, groups and offsets as one JSON document',
    kind: 'action',
    inputs: z
      .object({ offsets: z.boolean().default(true).describe('Include committed offsets of every group') })
      .strict(),
    outputs: z.strictObject({
      path: z.string().describe('Where the snapshot was written'),
      summary: z.string().describe('One line: brokers up, topics, partitions offline, groups'),
      brokers: z.unknown().describe('Registered broker ids'),
      controller: z.unknown().describe('Controller id, or null'),
      topics: z.number().describe('Number of topics'),
      reachable: z.unknown().describe('Brokers whose port answered, and whether an admin connection worked'),
      findings: z
        .array(z.object({ kind: z.string(), message: z.string() }))
        .describe('What could not be reached (no broker, some brokers, ZooKeeper, TLS, auth), with evidence'),
      clusterId: z.unknown().describe('The cluster id in ZooKeeper, or null'),
      groups: z.number().describe('Number of consumer groups'),
      offline: z.number().describe('Partitions whose leader is not a registered broker'),
      errors: z.unknown().describe('What each part of the snapshot failed with, if it failed'),
    }),
    ...READS_CLUSTER,
    timeoutMs: 300_000,
    heartbeatMs: 30_000,
  }),
  defineAction({
    name: 'kafka.preflight',
    family: 'kafka',
    summary:
      'Check that the cluster can start from what was restored: cluster.id, broker.id and topic ids agree, backups in sync',
    kind: 'action',
    inputs: z
      .object({
        backup: zBackup.optional(),
        topicIds: z.boolean().default(true).describe('Compare topic ids with partition.metadata on every broker'),
        controllerEpoch: z.boolean().default(true).describe('Check /controller_epoch against partition states'),
      })
      .strict(),
    outputs: z.strictObject({
      ok: z.boolean().describe('True when every check passed'),
      clusterId: z.string().nullable().describe('The cluster id in ZooKeeper'),
      checks: z.array(z.unknown()).describe('Each check with its result'),
      logDirs: z.number().describe('Broker log dirs read'),
      partitionDirs: z.number().describe('Partition directories whose topic id was compared'),
    }),
    largeOutputs: ['checks'],
    ...READS_CLUSTER,
    timeoutMs: 300_000,
    heartbeatMs: 15_000,
  }),
  defineAction({
    name: 'kafka.wait-brokers',
    family: 'kafka',
    summary: 'Wait until the expected broker ids are registered and a controller is elected',
    kind: 'action',
    inputs: z
      .object({
        brokerIds: z.array(z.number().int().min(0)).optional().describe('Defaults to every broker in the inventory'),
        within: zDuration('How long to wait').prefault('3m'),
      })
      .strict(),
    outputs: z.strictObject({
      registered: z.array(z.number()).describe('Broker ids registered'),
      controller: z.number().nullable().describe('Controller id'),
      waitedMs: z.number().describe('How long the wait took'),
      attempts: z.number().describe('Times membership was read'),
    }),
    ...READS_CLUSTER,
    timeoutMs: 300_000,
    heartbeatMs: 15_000,
  }),
  defineAction({
    name: 'kafka.health',
    family: 'kafka',
    summary: 'Check brokers, controller and partitions: none offline, under-replicated or under min ISR',
    kind: 'action',
    inputs: z
      .object({
        topics: z.array(z.string()).optional().describe('Limit to these topics'),
        allowUnderReplicated: z.boolean().default(false).describe('Report under-replicated partitions without failing'),
        brokerIds: z.array(z.number().int().min(0)).optional().describe('Defaults to every broker in the inventory'),
      })
      .strict(),
    outputs: z.strictObject({
      healthy: z.boolean().describe('True when every check passed'),
      controller: z.number().nullable().describe('Controller id'),
      offline: z.array(z.unknown()).describe('Partitions with no leader (the first 100)'),
      underReplicated: z.array(z.unknown()).describe('Partitions with isr < replicas (the first 100)'),
      underMinIsr: z.array(z.unknown()).describe('Partitions below min.insync.replicas (the first 100)'),
      summary: z.string().describe('One line for the audit'),
      problems: z.array(z.string()).describe('What is wrong, one line each'),
      registered: z.array(z.number()).describe('Broker ids registered'),
      missing: z.array(z.number()).describe('Expected broker ids not registered'),
      partitions: z.number().describe('Partitions checked'),
      clusterId: z.string().nullable().optional().describe('The cluster id'),
      source: z.string().describe('Where the view came from (ZooKeeper or the brokers)'),
    }),
    largeOutputs: ['offline', 'underReplicated', 'underMinIsr'],
    ...READS_CLUSTER,
    timeoutMs: 120_000,
    heartbeatMs: 15_000,
  }),
  defineAction({
    name: 'kafka.smoke-test',
    family: 'kafka',
    summary: 'Produce and consume on a canary topic with acks=all',
    kind: 'action',
    inputs: z
      .object({
        topic: z.string().default('__rekindle_canary').describe('Canary topic (created if missing)'),
        messages: z.number().int().min(1).max(10_000).default(10).describe('Messages to round-trip'),
      })
      .strict(),
    outputs: z.strictObject({
      produced: z.number().describe('Messages produced'),
      consumed: z.number().describe('Messages consumed back'),
      latencyMs: z.number().describe('Round-trip time'),
      topic: z.string().describe('The canary topic'),
      created: z.boolean().describe('True when the canary topic was created'),
      baseOffset: z.number().describe('Offset of the first message produced'),
      produceMs: z.number().describe('Time to produce'),
    }),
    idempotent: true,
    readOnly: false,
    reversible: false,
    target: 'cluster',
    retry: RETRY_STANDARD,
    timeoutMs: 120_000,
    heartbeatMs: 15_000,
  }),
  defineAction({
    name: 'kafka.offsets-export',
    family: 'kafka',
    summary: 'Export committed offsets of consumer groups as CSV (topic,partition,offset) per group',
    kind: 'action',
    inputs: z
      .object({
        groups: z.array(z.string().min(1)).optional().describe('Defaults to every group'),
        destination: z.string().optional().describe('Path in the backup store'),
      })
      .strict(),
    outputs: z.strictObject({
      path: z.string().describe('Where the export was written'),
      groups: z.array(z.string()).describe('Groups exported'),
      rows: z.number().describe('Committed offsets exported'),
      offsets: z.array(z.unknown()).describe('The first 1,000 rows (group, topic, partition, offset)'),
    }),
    largeOutputs: ['groups', 'offsets'],
    ...READS_CLUSTER,
    timeoutMs: 300_000,
    heartbeatMs: 15_000,
  }),
  defineAction({
    name: 'kafka.offsets-reset',
    family: 'kafka',
    summary:
      'Reset consumer group offsets in any kafka-consumer-groups mode: a dry run computes the table, the execute applies exactly that approved table; refuses non-Empty groups',
    kind: 'action',
    inputs: offsetsReset,
    outputs: z.strictObject({
      plan: z
        .unknown()
        .optional()
        .describe(
          "Dry run: the table as data for the execute's `plan` input (stored in the evidence store; path, sha256, rows, changed)",
        ),
      applied: z.number().optional().describe('Execute: partitions committed now'),
      alreadyApplied: z
        .number()
        .optional()
        .describe('Execute: partitions already at their approved offset (a retry after success commits nothing)'),
      table: z
        .array(z.unknown())
        .describe(
          'Rows of group, topic, partition, log start, high watermark, last stable offset, current and new offset',
        ),
      groups: z.array(z.string()).describe('Groups reset'),
      changed: z.number().describe('Partitions whose offset changed'),
      text: z
        .string()
        .describe(
          "kafka-consumer-groups' dry-run table, one row a line, plus high watermark and last stable offset where they differ",
        ),
      preview: z.unknown().describe('The first 20 rows of the table, and how many more there are (for approvers)'),
      dryRun: z.boolean().describe('True when nothing was committed'),
      mode: z.string().describe('The reset mode'),
      timestamp: z
        .number()
        .nullable()
        .optional()
        .describe('Dry run: the time the to-datetime/by-duration lookups used, in ms'),
      states: z.unknown().optional().describe("Dry run: each group's state when checked (all Empty)"),
      isolationLevel: z.string().describe('The isolation level of log end and time lookups'),
    }),
    largeOutputs: ['table', 'groups', 'text'],
    // Idempotent since the execute commits absolute approved offsets: a retry finds them committed.
    idempotent: true,
    readOnly: false,
    reversible: false,
    target: 'cluster',
    retry: RETRY_STANDARD,
    timeoutMs: 300_000,
    heartbeatMs: 15_000,
  }),
  defineAction({
    name: 'kafka.verify-data',
    family: 'kafka',
    summary: "Compare per-partition message counts and checksums with the backup set's manifest",
    kind: 'action',
    inputs: z
      .object({
        backup: zBackup,
        topics: z.array(z.string()).optional().describe('Limit to these topics'),
      })
      .strict(),
    outputs: z.strictObject({
      ok: z.boolean().describe('True when every partition matches'),
      partitions: z.number().describe('Partitions checked'),
      mismatches: z.array(z.unknown()).describe('Partitions that differ'),
      summary: z.string().describe('One line'),
      manifest: z.string().describe('The manifest compared against'),
      messages: z.number().describe('Messages read'),
      digests: z.array(z.unknown()).describe('Per-partition count and checksum (the first 500)'),
    }),
    largeOutputs: ['mismatches'],
    ...READS_CLUSTER,
    timeoutMs: 900_000,
    heartbeatMs: 30_000,
  }),
];
