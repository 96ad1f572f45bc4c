/**
 * The Kafka family: `kafka.snapshot-state|preflight|health|wait-brokers|smoke-test|offsets-export|
 * offsets-reset|verify-data`, each wrapped by runAction so failures leave as typed ApplicationFailures.
 * Also exports the data digest and committed-offsets reader that backup.create reaches through
 * activities/index.ts.
 */
import type { ActionRequest, ActionResult } from '../../compiler/plan';
import { runAction } from '../errors';
import type { ActionImpl } from '../errors';
import { familyImpl } from '../inputs';
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
  return {
    'kafka.snapshot-state': familyImpl(deps, 'kafka.snapshot-state', kafkaSnapshotState),
    'kafka.preflight': familyImpl(deps, 'kafka.preflight', kafkaPreflight),
    'kafka.health': familyImpl(deps, 'kafka.health', kafkaHealth),
    'kafka.wait-brokers': familyImpl(deps, 'kafka.wait-brokers', kafkaWaitBrokers),
    'kafka.smoke-test': familyImpl(deps, 'kafka.smoke-test', kafkaSmokeTest),
    'kafka.offsets-export': familyImpl(deps, 'kafka.offsets-export', kafkaOffsetsExport),
    'kafka.offsets-reset': familyImpl(deps, 'kafka.offsets-reset', kafkaOffsetsReset),
    'kafka.verify-data': familyImpl(deps, 'kafka.verify-data', kafkaVerifyData),
  };
}

/** The activities of this family, keyed by registry name. */
export function createKafkaActivities(
  deps: KafkaDeps,
): Record<string, (request: ActionRequest) => Promise<ActionResult>> {
  return Object.fromEntries(Object.entries(kafkaImpls(deps)).map(([name, impl]) => [name, runAction(impl)]));
}
