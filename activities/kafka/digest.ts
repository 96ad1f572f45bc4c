/**
 * Per-partition data digests: log start/end, message count and a SHA-256 over every message
 * (offset, key, value) in offset order. Used by kafka.verify-data and, through activities/index.ts,
 * by backup.create to fill the manifest. Consumes with a throwaway group that is deleted afterwards.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { ActionCancelledError } from '../errors';
import type { PartitionDigest } from '../partition-digest';
import { KafkaUnavailableError, mapKafkaError } from './errors';

export type { PartitionDigest };

export interface DigestOptions {
  signal?: AbortSignal;
  onProgress?: (messages: number) => void;
  timeoutMs?: number;
}

/** Digests every partition of `topics`. Throws KAFKA_UNAVAILABLE when the data is not read within timeoutMs. */
export async function digestTopics(
  kafka: Kafka,
  admin: Admin,
  topics: string[],
  opts: DigestOptions = {},
): Promise<PartitionDigest[]> {
  // Joining a group over hundreds of topics can take longer than a heartbeat timeout before the first
  // message: repeat the last progress on a timer so the caller's heartbeats keep flowing.
  let last = 0;
  const report = opts.onProgress;
  const timer = report && setInterval(() => report(last), 10_000);
  try {
    return await digestAll(kafka, admin, topics, {
      ...opts,
      ...(report ? { onProgress: (n: number) => report((last = n)) } : {}),
    });
  } finally {
    if (timer) clearInterval(timer);
  }
}

async function digestAll(
  kafka: Kafka,
  admin: Admin,
  topics: string[],
  opts: DigestOptions,
): Promise<PartitionDigest[]> {
  const digests = new Map<string, { d: PartitionDigest; hash: ReturnType<typeof createHash>; next: number }>();
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic).catch((err) => Promise.reject(mapKafkaError(err, { topic })));
    for (const e of ends) {
      const d = { topic, partition: e.partition, low: Number(e.low), high: Number(e.high), count: 0, sha256: '' };
      digests.set(`${topic}:${e.partition}`, { d, hash: createHash('sha256'), next: d.low });
    }
  }
  const pending = () => [...digests.values()].filter((x) => x.next < x.d.high);
  if (pending().length > 0) await consumeAll(kafka, admin, topics, digests, pending, opts);
  return [...digests.values()]
    .map(({ d, hash }) => ({ ...d, sha256: hash.digest('hex') }))
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

async function consumeAll(
  kafka: Kafka,
  admin: Admin,
  topics: string[],
  digests: Map<string, { d: PartitionDigest; hash: ReturnType<typeof createHash>; next: number }>,
  pending: () => unknown[],
  opts: DigestOptions,
): Promise<void> {
  const groupId = `rekindle-digest-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, retry: { retries: 2 } });
  let seen = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new KafkaUnavailableError(`reading ${topics.join(', ')} did not finish in time`, { topics, seen })),
        opts.timeoutMs ?? 300_000,
      );
      const abort = () => reject(new ActionCancelledError('data digest cancelled'));
      opts.signal?.addEventListener('abort', abort, { once: true });
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const entry = digests.get(`${batch.topic}:${batch.partition}`);
            if (!entry) return;
            for (const m of batch.messages) {
              const off = Number(m.offset);
              if (off < entry.next || off >= entry.d.high) continue;
              entry.hash.update(`${off}:${m.key?.toString('base64') ?? ''}:${m.value?.toString('base64') ?? ''}\n`);
              entry.d.count += 1;
              entry.next = off + 1;
              seen += 1;
            }
            // Control records or compaction gaps: the batch's last offset still moves us on.
            entry.next = Math.max(entry.next, Number(batch.lastOffset()) + 1);
            if (seen % 1000 < batch.messages.length) opts.onProgress?.(seen);
            if (pending().length === 0) {
              clearTimeout(timer);
              opts.signal?.removeEventListener('abort', abort);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}
