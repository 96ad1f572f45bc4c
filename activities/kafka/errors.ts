/**
 * Kafka failure kinds. `mapKafkaError` turns kafkajs errors into these: connection trouble and
 * timeouts are retryable (Temporal owns retries; kafkajs has only a small budget), protocol errors
 * keep kafkajs's own `retriable` verdict, and the domain refusals below are not retryable.
 */
import { ActionError } from '../errors';

/** No broker answered, a request timed out, or kafkajs spent its small retry budget. */
export class KafkaUnavailableError extends ActionError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('KAFKA_UNAVAILABLE', message, true, details);
  }
}

/** A broker refused a request; `retryable` follows the protocol error. */
export class KafkaProtocolError extends ActionError {
  constructor(message: string, retryable: boolean, details: Record<string, unknown> = {}) {
    super('KAFKA_PROTOCOL_ERROR', message, retryable, details);
  }
}

/** A topic the action names does not exist. */
export class KafkaUnknownTopicError extends ActionError {
  constructor(topic: string) {
    super('KAFKA_UNKNOWN_TOPIC', `topic ${topic} does not exist`, false, { topic });
  }
}

/** Offsets can only be reset while the group is Empty or Dead. */
export class KafkaGroupNotEmptyError extends ActionError {
  constructor(groupId: string, state: string, members: number) {
    super(
      'KAFKA_GROUP_NOT_EMPTY',
      `group ${groupId} is ${state} with ${members} member(s); stop its consumers first`,
      false,
      {
        groupId,
        state,
        members,
      },
    );
  }
}

/** shift-by needs a committed offset for every partition it shifts. */
export class KafkaNoCommittedOffsetError extends ActionError {
  constructor(groupId: string, topic: string, partition: number) {
    super(
      'KAFKA_NO_COMMITTED_OFFSET',
      `cannot shift ${topic}-${partition} of group ${groupId}: no committed offset`,
      false,
      {
        groupId,
        topic,
        partition,
      },
    );
  }
}

/** Brokers missing, no controller, or partitions offline / under-replicated / under min ISR. Evidence in details. */
export class KafkaUnhealthyError extends ActionError {
  constructor(problems: string[], evidence: Record<string, unknown>) {
    super('KAFKA_UNHEALTHY', `Kafka unhealthy: ${problems.slice(0, 5).join('; ')}`, true, { problems, ...evidence });
  }
}

/** The expected brokers did not register (or no controller was elected) in time. */
export class KafkaBrokersNotReadyError extends ActionError {
  constructor(missing: number[], controller: number | null, waitedMs: number) {
    super(
      'KAFKA_BROKERS_NOT_READY',
      `brokers ${missing.join(', ') || '-'} not registered or no controller after ${waitedMs} ms`,
      true,
      {
        missing,
        controller,
        waitedMs,
      },
    );
  }
}

export type PreflightCode =
  'KAFKA_CLUSTER_ID_MISMATCH' | 'KAFKA_TOPIC_ID_MISMATCH' | 'KAFKA_BROKER_ID_MISMATCH' | 'KAFKA_CONTROLLER_EPOCH_LOW';

/** A preflight check failed: the cluster cannot start cleanly from what was restored. */
export class KafkaPreflightError extends ActionError {
  constructor(code: PreflightCode, failures: string[], checks: unknown) {
    super(code, `preflight failed: ${failures.slice(0, 5).join('; ')}`, false, { failures, checks });
  }
}

/** The canary message did not come back (or came back different). */
export class KafkaSmokeTestError extends ActionError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('KAFKA_SMOKE_TEST_FAILED', message, true, details);
  }
}

/** Live data differs from the backup manifest. */
export class KafkaDataMismatchError extends ActionError {
  constructor(mismatches: unknown[], details: Record<string, unknown> = {}) {
    super('KAFKA_DATA_MISMATCH', `${mismatches.length} partition(s) differ from the backup manifest`, false, {
      mismatches: mismatches.slice(0, 50),
      ...details,
    });
  }
}

/** The manifest or offsets file named does not exist. */
export class KafkaBackupNotFoundError extends ActionError {
  constructor(ref: string) {
    super('BACKUP_NOT_FOUND', `backup ${ref} not found`, false, { ref });
  }
}

const UNKNOWN_TOPIC_TYPES = new Set(['UNKNOWN_TOPIC_OR_PARTITION']);

/** Maps anything kafkajs threw to an ActionError; ActionErrors pass through. */
export function mapKafkaError(err: unknown, context: Record<string, unknown> = {}): ActionError {
  if (err instanceof ActionError) return err;
  const e = err as {
    name?: string;
    message?: string;
    type?: string;
    retriable?: boolean;
    originalError?: unknown;
    cause?: unknown;
    topic?: string;
  };
  const name = e?.name ?? '';
  const cause = e?.originalError ?? e?.cause;
  if ((name === 'KafkaJSNumberOfRetriesExceeded' || name === 'KafkaJSNonRetriableError') && cause) {
    const inner = mapKafkaError(cause, context);
    if (name === 'KafkaJSNonRetriableError') return inner;
    return inner.retryable
      ? inner
      : new KafkaUnavailableError(e.message ?? 'retries exhausted', { ...context, inner: inner.code });
  }
  const running = /must have no running instances, current state: (\w+)/.exec(e?.message ?? '');
  if (running) return new KafkaGroupNotEmptyError(String(context.groupId ?? '?'), running[1], -1);
  if (
    /Connection|RequestTimeout|BrokerNotFound|NoBrokerAvailable|Timeout|MetadataNotLoaded|GroupCoordinatorNotFound/.test(
      name,
    )
  ) {
    return new KafkaUnavailableError(`${name}: ${e.message ?? ''}`, context);
  }
  if (e?.type && UNKNOWN_TOPIC_TYPES.has(e.type))
    return new KafkaUnknownTopicError(String(context.topic ?? e.topic ?? '?'));
  if (name === 'KafkaJSProtocolError' || e?.type) {
    return new KafkaProtocolError(`${e.type ?? name}: ${e.message ?? ''}`, e.retriable !== false, {
      ...context,
      kafkaType: e.type,
    });
  }
  return new KafkaProtocolError(`${name || 'Error'}: ${e?.message ?? String(err)}`, e?.retriable === true, context);
}

/** One partition whose live state no longer matches the approved table. */
export interface OffsetsDrift {
  group: string;
  topic: string;
  partition: number;
  /** What moved: the committed offset, or the log bounds around the approved offset. */
  reason: string;
}

/**
 * The live committed offsets or log bounds moved since the dry run in a way that changes the approved
 * table. Nothing was committed; run a new dry run and have it approved.
 */
export class OffsetsDriftedError extends ActionError {
  constructor(drifted: OffsetsDrift[]) {
    const named = drifted.slice(0, 10).map((d) => `${d.group} ${d.topic}-${d.partition} (${d.reason})`);
    super(
      'OFFSETS_DRIFTED',
      `${drifted.length} partition(s) moved since the approved dry run, nothing committed: ${named.join('; ')}` +
        `${drifted.length > 10 ? '; …' : ''}. Run the dry run again and approve the new table`,
      false,
      { drifted: drifted.slice(0, 200) },
    );
  }
}

/** The plan given to an execute is not one this step may apply: another cluster, groups or topics outside it, or tampered. */
export class OffsetsPlanMismatchError extends ActionError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('OFFSETS_PLAN_MISMATCH', message, false, details);
  }
}
