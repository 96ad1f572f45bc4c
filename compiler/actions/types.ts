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
 * the activity receives `z.output<I>` (defaults applied, durations in ms) through `actionImpl`. `O` is its
 * output schema: the implementation returns `z.output<O>`, the door checks it, the docs list it.
 */
export interface ActionSpec<
  I extends z.ZodObject = z.ZodObject,
  N extends string = string,
  O extends z.ZodObject = z.ZodObject,
> {
  /** Registry name used in `uses:` and as the Temporal activity name. */
  name: N;
  family: ActionFamily;
  /** One line for the action reference. */
  summary: string;
  /** `action` calls an activity; `approval` and `wait` are handled by the workflow itself. */
  kind: 'action' | 'approval' | 'wait';
  /** Input schema. Durations accept `5m`-style strings and are milliseconds after parsing. */
  inputs: I;
  /**
   * Output schema: each field with its type and description. Later steps read them as
   * `steps.<id>.outputs.<name>`; the activity's result is checked against it (strict: no undeclared field).
   */
  outputs: O;
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
  /**
   * Destructive on hosts: runs holding a fence lock on each host it acts on (docs/fencing.md), so two
   * attempts never act on one target at once. `lock` names what is locked on the host (`step`: a lock of
   * the step's own); `hosts` is the target host, every broker host of the inventory, or (`zookeeper`)
   * the target host when one is given, else every ZooKeeper node's host.
   */
  fence?: { lock: string; hosts: 'target' | 'brokers' | 'zookeeper' };
  /** Inputs that are POSIX shell commands: each value is quoted for its context or refused (passes/shell.ts). */
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

/** The safety properties of a read-only look at the whole cluster: safe to repeat, retried, nothing to undo. */
export const READS_CLUSTER = {
  idempotent: true,
  readOnly: true,
  reversible: false,
  target: 'cluster',
  retry: RETRY_STANDARD,
} as const;

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

/** What an action's implementation returns as `outputs`: its output schema's type. */
export type OutputsOf<S extends ActionSpec> = z.output<S['outputs']>;

/** The output names an action declares, in schema order. */
export function outputNames(spec: ActionSpec): string[] {
  return Object.keys(spec.outputs.shape);
}

/** An output's description, from its schema. */
export function outputDescription(spec: ActionSpec, name: string): string {
  return spec.outputs.shape[name]?.description ?? '';
}

/**
 * Declares an action, checking the invariants the engine relies on. Keeps the literal name and the exact
 * input and output schemas in the type, so `actionImpl` (activities/inputs.ts) can hand the implementation
 * typed inputs and check that it returns typed outputs.
 * @throws Error when a non-idempotent action retries by default, `reversible` and `reverse` disagree, or an
 * output has no description.
 */
export function defineAction<const N extends string, I extends z.ZodObject, O extends z.ZodObject>(
  spec: ActionSpec<I, N, O>,
): ActionSpec<I, N, O> {
  if (!spec.idempotent && spec.retry.maxAttempts !== 1) {
    throw new Error(`action ${spec.name}: a non-idempotent action must default to one attempt`);
  }
  const undeclared = (spec.largeOutputs ?? []).filter((o) => !(o in spec.outputs.shape));
  const undescribed = outputNames(spec).filter((o) => !outputDescription(spec, o));
  if (undescribed.length) throw new Error(`action ${spec.name}: outputs ${undescribed.join(', ')} have no description`);
  if (undeclared.length) throw new Error(`action ${spec.name}: largeOutputs ${undeclared.join(', ')} are not outputs`);
  if (spec.kind === 'action' && spec.heartbeatMs === undefined) {
    // Without one, Temporal notices a dead worker only when the whole start-to-close timeout has passed.
    throw new Error(`action ${spec.name}: an activity declares a heartbeat timeout`);
  }
  if (spec.reversible !== (spec.reverse !== undefined)) {
    throw new Error(`action ${spec.name}: reversible actions name their reverse, and only they do`);
  }
  return spec;
}
