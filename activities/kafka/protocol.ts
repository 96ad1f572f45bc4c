/**
 * The two requests kafkajs's public admin API cannot make, sent through its protocol layer (its
 * Cluster and Broker objects, kafkajs 2.2.4 pinned):
 * - ListOffsets with an explicit isolation level. kafkajs's admin always asks READ_COMMITTED, so its
 *   "latest" is the last stable offset, while `kafka-consumer-groups` asks READ_UNCOMMITTED (the high
 *   watermark). With an open transaction the two differ.
 * - OffsetCommit without joining the group: generation -1 and no member id, as the Java AdminClient's
 *   alterConsumerGroupOffsets does. The coordinator accepts it only while the group is Empty (or does not
 *   exist); with members it answers UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION / REBALANCE_IN_PROGRESS.
 */
import type { Kafka } from 'kafkajs';
import { KafkaGroupNotEmptyError, mapKafkaError } from './errors';

/** 0 = READ_UNCOMMITTED (records up to the high watermark), 1 = READ_COMMITTED (up to the last stable offset). */
export type IsolationLevel = 'read_uncommitted' | 'read_committed';
const ISOLATION: Record<IsolationLevel, number> = { read_uncommitted: 0, read_committed: 1 };

/** ListOffsets sentinels: the log start and the log end (as the isolation level sees it). */
export const EARLIEST = -2;
export const LATEST = -1;

interface KjsBroker {
  listOffsets(req: {
    replicaId: number;
    isolationLevel: number;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; timestamp: number }> }>;
  }): Promise<{ responses: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }> }>;
  offsetCommit(req: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
  }): Promise<unknown>;
}

/** The slice of kafkajs's internal Cluster this module uses. */
export interface KjsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  metadata(q: { topics: string[] }): Promise<{
    topicMetadata: Array<{ topic: string; partitionMetadata: Array<{ partitionId: number; leader: number }> }>;
  }>;
  findBroker(b: { nodeId: string }): Promise<KjsBroker>;
  findGroupCoordinator(g: { groupId: string }): Promise<KjsBroker>;
}

/** A new, unconnected kafkajs Cluster sharing the Kafka instance's brokers, TLS, SASL and retry settings. */
export function createCluster(kafka: Kafka): KjsCluster {
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const create = key && (kafka as unknown as Record<symbol, unknown>)[key];
  if (typeof create !== 'function')
    throw new Error('kafkajs internals changed: no createCluster (kafkajs 2.2.4 expected)');
  return (create as (o: object) => KjsCluster)({ allowAutoTopicCreation: false });
}

/** Offset per partition of one topic for `timestamp` (EARLIEST, LATEST or epoch ms); -1 where a time finds none. */
export async function listOffsets(
  cluster: KjsCluster,
  topic: string,
  partitions: number[],
  timestamp: number,
  isolation: IsolationLevel,
): Promise<Map<number, number>> {
  // Fresh metadata for this topic only: the Cluster's own target-topic cache would fail every later
  // lookup once any topic it saw is deleted.
  const md = await cluster.metadata({ topics: [topic] });
  const byLeader: Record<string, number[]> = {};
  for (const p of md.topicMetadata.find((t) => t.topic === topic)?.partitionMetadata ?? [])
    if (partitions.includes(p.partitionId)) (byLeader[String(p.leader)] ??= []).push(p.partitionId);
  const out = new Map<number, number>();
  await Promise.all(
    Object.entries(byLeader).map(async ([nodeId, ps]) => {
      const broker = await cluster.findBroker({ nodeId });
      const { responses } = await broker.listOffsets({
        replicaId: -1,
        isolationLevel: ISOLATION[isolation],
        topics: [{ topic, partitions: ps.map((partition) => ({ partition, timestamp })) }],
      });
      for (const r of responses) for (const p of r.partitions) out.set(p.partition, Number(p.offset));
    }),
  );
  return out;
}

/** Coordinator answers that mean the group has (or just got) members: the commit was refused. */
const MEMBER_ERRORS = new Set([
  'UNKNOWN_MEMBER_ID',
  'ILLEGAL_GENERATION',
  'REBALANCE_IN_PROGRESS',
  'FENCED_INSTANCE_ID',
]);

/**
 * Commits offsets for a group without joining it (generation -1, member id ""). Throws
 * KAFKA_GROUP_NOT_EMPTY when the coordinator refuses because the group has members, else a mapped error.
 */
export async function commitWithoutJoining(
  cluster: KjsCluster,
  groupId: string,
  offsets: Array<{ topic: string; partition: number; offset: number }>,
): Promise<void> {
  const topics = new Map<string, Array<{ partition: number; offset: string }>>();
  for (const o of offsets)
    topics.set(o.topic, [...(topics.get(o.topic) ?? []), { partition: o.partition, offset: String(o.offset) }]);
  try {
    const coordinator = await cluster.findGroupCoordinator({ groupId });
    await coordinator.offsetCommit({
      groupId,
      groupGenerationId: -1,
      memberId: '',
      topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
    });
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type && MEMBER_ERRORS.has(type)) throw new KafkaGroupNotEmptyError(groupId, `refused (${type})`, -1);
    throw mapKafkaError(err, { groupId });
  }
}
