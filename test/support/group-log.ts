/**
 * What the group coordinator wrote about a group in `__consumer_offsets`: its offset commits and its
 * group-metadata records (written when members join; they carry the generation). Read with a consumer of
 * its own from the group's partition, up to that partition's end.
 */
import type { Admin, Kafka } from 'kafkajs';
import { uniqueName } from './lab';

export interface GroupLog {
  /** Offset commit records (key versions 0 and 1). */
  commits: number;
  /** Generations of the group-metadata records (key version 2); empty when no member ever joined. */
  generations: number[];
}

/** Java's String.hashCode, which picks a group's __consumer_offsets partition. */
function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

const str = (b: Buffer, at: number): [string | null, number] => {
  const len = b.readInt16BE(at);
  return len < 0 ? [null, at + 2] : [b.toString('utf8', at + 2, at + 2 + len), at + 2 + len];
};

/** Reads the group's records from __consumer_offsets (a few seconds: the reader joins a group of its own). */
export async function groupLog(kafka: Kafka, admin: Admin, group: string): Promise<GroupLog> {
  const md = await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] });
  const hash = javaHash(group);
  // Kafka's Utils.abs: Math.abs, except that Integer.MIN_VALUE maps to 0.
  const partition = (hash === -2147483648 ? 0 : Math.abs(hash)) % md.topics[0].partitions.length;
  const end = Number(
    (await admin.fetchTopicOffsets('__consumer_offsets')).find((p) => p.partition === partition)!.high,
  );
  const out: GroupLog = { commits: 0, generations: [] };
  if (end === 0) return out;
  const consumer = kafka.consumer({ groupId: uniqueName('group-log-reader') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: ['__consumer_offsets'], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('__consumer_offsets not read within 60 s')), 60_000);
      consumer
        .run({
          eachMessage: async ({ partition: p, message }) => {
            if (p !== partition) return;
            const key = message.key as Buffer;
            const version = key.readInt16BE(0);
            const [g] = str(key, 2);
            if (g === group && message.value) {
              if (version <= 1) out.commits++;
              else if (version === 2) {
                const [, afterType] = str(message.value, 2);
                out.generations.push(message.value.readInt32BE(afterType));
              }
            }
            if (Number(message.offset) + 1 >= end) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}
