/**
 * The Kafka family: `kafka.snapshot-state|preflight|health|wait-brokers|smoke-test|offsets-export|
 * offsets-reset|verify-data`, each behind the registry's input door (activities/index.ts adds the error boundary).
 * Also exports the data digest and committed-offsets reader that backup.create reaches through
 * activities/index.ts.
 */
import type { ActionImpl } from '../errors';
import { familyImpls } from '../inputs';
import type { KafkaDeps } from './deps';
import { kafkaHealth, kafkaWaitBrokers } from './health';
import { kafkaOffsetsExport } from './offsets/export';
import { kafkaOffsetsReset } from './offsets/reset';
import { kafkaPreflight } from './preflight';
import { kafkaSmokeTest } from './smoke';
import { kafkaSnapshotState } from './snapshot';
import { kafkaVerifyData } from './verify-data';

export { KafkaPool } from './client';
export type { KafkaDeps, RemoteExec, ZnodeReader } from './deps';
export { digestTopics, type PartitionDigest } from './digest';
export { committedOffsets, type CommittedOffset } from './offsets/export';

/** The raw implementations (request + context), for callers that supply their own context, e.g. tests. */
export function kafkaImpls(deps: KafkaDeps): Record<string, ActionImpl> {
  return familyImpls(deps, {
    'kafka.snapshot-state': kafkaSnapshotState,
    'kafka.preflight': kafkaPreflight,
    'kafka.health': kafkaHealth,
    'kafka.wait-brokers': kafkaWaitBrokers,
    'kafka.smoke-test': kafkaSmokeTest,
    'kafka.offsets-export': kafkaOffsetsExport,
    'kafka.offsets-reset': kafkaOffsetsReset,
    'kafka.verify-data': kafkaVerifyData,
  });
}
