/**
 * The action registry's vocabulary. Each built-in action declares its input schema (zod, used by the
 * compiler and by the activity at its door), its outputs, its safety properties and its default
 * retry and timeout. The compiler, the JSON schema and the action reference are generated from it.
 */
import { z } from 'zod';
import { DURATION_PATTERN, isDuration, parseDuration } from '../duration';

export type ActionFamily = 'ssh' | 'service' | 'host' | 'zookeeper' | 'kafka' | 'backup' | 'control';

/** Retry defaults, in milliseconds (the Plan's units). */
export interface RetryDefaults {
  maxAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maxIntervalMs: number;
}

/**
 * One action, described once. `I` is its zod input schema: the compiler checks `with:` against it and
 * the activity receives `z.output<I>` (defaults applied, durations in ms) through `runAction`.
 */
export interface ActionSpec<I extends z.ZodObject = z.ZodObject, N extends string = string> {
  /** Registry name used in `uses:` and as the Temporal activity name. */
  name: N;
  family: ActionFamily;
  /** One line for the action reference. */
  summary: string;
  /** `action` calls an activity; `approval` and `wait` are handled by the workflow itself. */
  kind: 'action' | 'approval' | 'wait';
  /** Input schema. Durations accept `5m`-style strings and are milliseconds after parsing. */
  inputs: I;
  /** Output name → description. Later steps read them as `steps.<id>.outputs.<name>`. */
  outputs: Record<string, string>;
  /**
   * Outputs that grow with the cluster (tables, lists, command output). Over 8 KB the activity stores
   * them in the run's evidence store and returns a reference; `validate` warns when text interpolates them.
   */
  largeOutputs?: string[];
  /** Safe to run again with the same inputs. Non-idempotent actions default to one attempt. */
  idempotent: boolean;
  /** Changes nothing; runs for real under `--dry-run`. */
  readOnly: boolean;
  /** Has an inverse action (`reverse`) that undoes it. */
  reversible: boolean;
  reverse?: string;
  /**
   * `host`: acts on one inventory host, given by the `host` input or the forEach `item` (a broker or
   * ZooKeeper node with a `host` field, an inventory host with a `name`, or a host name string).
   */
  target: 'host' | 'cluster' | 'none';
  retry: RetryDefaults;
  timeoutMs: number;
  heartbeatMs?: number;
  /** Inputs that are POSIX shell commands: interpolated values are single-quoted unless `| raw`. */
  shellInputs?: string[];
}

/** Three attempts with exponential backoff: for idempotent actions. */
export const RETRY_STANDARD: RetryDefaults = {
  maxAttempts: 3,
  initialIntervalMs: 2000,
  backoffCoefficient: 2,
  maxIntervalMs: 60_000,
};

/** One attempt: for actions that are not idempotent and for gates. */
export const RETRY_ONCE: RetryDefaults = { ...RETRY_STANDARD, maxAttempts: 1 };

/** Marks a zod schema as a duration for the JSON schema generator. */
export const DURATION_META = { rekindleType: 'duration' } as const;

/**
 * A duration input: `30s`, `5m`, `1h30m` or a number of milliseconds; parses to milliseconds.
 * Fails with a custom issue carrying `params.code = 'DURATION_INVALID'`.
 */
export function zDuration(description: string) {
  return z
    .any()
    .superRefine((v, ctx) => {
      const ok = (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && isDuration(v));
      if (!ok) {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(v)} is not a duration: write a number with a unit, like 30s, 5m, 2h or 1h30m`,
          params: { code: 'DURATION_INVALID' },
        });
      }
    })
    .transform((v) => parseDuration(v as string | number))
    .meta({ ...DURATION_META, description, pattern: DURATION_PATTERN });
}

/** The inventory host an action acts on, when it does not come from the forEach item. */
export const zHost = z
  .string()
  .min(1)
  .optional()
  .describe('Inventory host name; defaults to the forEach item (a broker, a ZooKeeper node or a host)');

/** A backup set: an id from backup.create/backup.select (`latest` allowed) or a path in the backup store. */
export const zBackup = z
  .string()
  .min(1)
  .describe(
    'Backup set id (or `latest`), or a path relative to the backup store; absolute paths, `..` and symlinks out of the store are refused (BACKUP_REF_OUTSIDE_STORE)',
  );

/**
 * The trusted SHA-256 of a backup set's manifest.json, as its backup run recorded it (backup.create's
 * `manifestSha256` output, passed on by backup.select). Without it, the recorded one is looked up.
 */
export const zManifestSha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex')
  .optional()
  .describe(
    "Trusted SHA-256 of the set's manifest.json (backup.select's `manifestSha256` output). Without it, the hash the backup run recorded in its workflow history is looked up; a manifest that matches neither is refused (BACKUP_MANIFEST_TAMPERED, BACKUP_MANIFEST_UNRECORDED) before any change",
  );

/** What an action's implementation receives: its inputs after the registry schema parsed them. */
export type InputsOf<S extends ActionSpec> = z.output<S['inputs']>;

/**
 * Declares an action, checking the invariants the engine relies on. Keeps the literal name and the exact
 * input schema in the type, so `runAction` can hand the implementation typed inputs.
 * @throws Error when a non-idempotent action retries by default, or `reversible` and `reverse` disagree.
 */
export function defineAction<const N extends string, I extends z.ZodObject>(spec: ActionSpec<I, N>): ActionSpec<I, N> {
  if (!spec.idempotent && spec.retry.maxAttempts !== 1) {
    throw new Error(`action ${spec.name}: a non-idempotent action must default to one attempt`);
  }
  const undeclared = (spec.largeOutputs ?? []).filter((o) => !(o in spec.outputs));
  if (undeclared.length) throw new Error(`action ${spec.name}: largeOutputs ${undeclared.join(', ')} are not outputs`);
  if (spec.reversible !== (spec.reverse !== undefined)) {
    throw new Error(`action ${spec.name}: reversible actions name their reverse, and only they do`);
  }
  return spec;
}
