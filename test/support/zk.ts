/** Helpers for the ZooKeeper tests; the Kafka-shaped tree lives with the lab (lab/zk-tree.ts). */
export {
  NODES_PER_TOPIC,
  PARTITIONS_PER_TOPIC,
  SEEDED_EXCLUDED,
  kafkaTreeOps,
  seedKafkaTree,
  wipeTree,
} from '../../lab/zk-tree';

/** Awaits a failing activity call and returns its ApplicationFailure type and retryability. */
export async function failureOf(
  p: Promise<unknown>,
): Promise<{ type: string; retryable: boolean; details: unknown; message: string }> {
  try {
    await p;
  } catch (err) {
    const f = err as { type?: string; nonRetryable?: boolean; details?: unknown[]; message?: string };
    if (typeof f.type !== 'string') throw err;
    return { type: f.type, retryable: !f.nonRetryable, details: f.details?.[0], message: f.message ?? '' };
  }
  throw new Error('expected the call to fail, and it succeeded');
}
