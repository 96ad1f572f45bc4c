/**
 * Seeds the drill cluster with realistic traffic: RF-3 topics with configs, keyed messages with known
 * timestamps on known partitions, consumer groups that committed part-way, and a canary topic.
 */
import type { Admin, Kafka } from 'kafkajs';
import {
  CANARY_TOPIC,
  DRILL_GROUPS,
  DRILL_TOPICS,
  MESSAGE_SPACING_MS,
  messageKey,
  messageValue,
  countByPartition,
} from './dataset';

export interface SeedFacts {
  /** Timestamp of message 0 of every topic. */
  startTs: number;
  topics: Array<{ topic: string; partitions: number; beforeBackup: number[]; afterBackup: number[] }>;
  groups: Array<{ groupId: string; topic: string; beforeBackup: number[]; afterBackup: number[] }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Creates a topic that was just deleted. The brokers stop listing a deleted topic before the
 * controller has finished deleting it, and until then kafkajs's createTopics answers false (it
 * exists) without creating anything; so this retries, one topic at a time, until it was created.
 */
async function createFresh(admin: Admin, spec: Parameters<Admin['createTopics']>[0]['topics'][number]): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (await admin.createTopics({ waitForLeaders: true, topics: [spec] })) return;
    await sleep(500);
  }
  throw new Error(`topic ${spec.topic} could not be re-created within 60 s (an earlier deletion never finished)`);
}

/** Deletes the drill's topics left by an earlier drill and waits until they are gone. */
async function dropDrillTopics(admin: Admin): Promise<void> {
  const names = [...DRILL_TOPICS.map((t) => t.topic), CANARY_TOPIC];
  const existing = (await admin.listTopics()).filter((t) => names.includes(t));
  if (!existing.length) return;
  await admin.deleteTopics({ topics: existing, timeout: 30_000 });
  for (let i = 0; i < 120; i++) {
    if (!(await admin.listTopics()).some((t) => names.includes(t))) return;
    await sleep(500);
  }
  throw new Error(`topics ${existing.join(', ')} from an earlier drill were not deleted within 60 s`);
}

/**
 * Right after a topic is (re)created, a broker's metadata cache may not know it yet, and kafkajs fails
 * the send while refreshing metadata, before anything is written. Only that failure is retried, so no
 * message is ever produced twice (the counts in the report must be exact).
 */
async function sendWhenKnown(send: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return;
    } catch (err) {
      const beforeSend = String((err as Error).stack).includes('addMultipleTargetTopics');
      const unknown = /does not host this topic-partition/.test(
        `${(err as Error).message} ${String((err as { cause?: Error }).cause?.message)}`,
      );
      if (!beforeSend || !unknown || attempt >= 40) throw err;
      await sleep(500);
    }
  }
}

async function produce(
  kafka: Kafka,
  topic: string,
  partitions: number,
  from: number,
  to: number,
  ts: (i: number) => number,
) {
  // Leaders move while a large cluster settles; the idempotent producer makes retried sends exactly-once.
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { retries: 10 },
  });
  await producer.connect();
  try {
    for (let start = from; start < to; start += 500) {
      const messages: Array<{ key: string; value: string; partition: number; timestamp: string }> = [];
      for (let i = start; i < Math.min(to, start + 500); i++) {
        messages.push({
          key: messageKey(topic, i),
          value: messageValue(topic, i),
          partition: i % partitions,
          timestamp: String(ts(i)),
        });
      }
      await sendWhenKnown(() => producer.send({ topic, acks: -1, messages }));
    }
  } finally {
    await producer.disconnect();
  }
}

/** Commits a group's offsets at `fraction` of each partition's message count (the group is idle, so Empty). */
async function commitGroup(
  admin: Admin,
  groupId: string,
  topic: string,
  counts: number[],
  fraction: number,
): Promise<number[]> {
  const offsets = counts.map((n) => Math.floor(n * fraction));
  await admin.setOffsets({
    groupId,
    topic,
    partitions: offsets.map((offset, partition) => ({ partition, offset: String(offset) })),
  });
  return offsets;
}

/** Everything before the backup. Safe to run again: it drops the drill's topics first. */
export async function seedBeforeBackup(kafka: Kafka, startTs: number): Promise<SeedFacts> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await dropDrillTopics(admin);
    const specs = [
      ...DRILL_TOPICS.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor: 3,
        configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
      })),
      { topic: CANARY_TOPIC, numPartitions: 1, replicationFactor: 3 },
    ];
    for (const spec of specs) await createFresh(admin, spec);
    const facts: SeedFacts = { startTs, topics: [], groups: [] };
    for (const t of DRILL_TOPICS) {
      await produce(kafka, t.topic, t.partitions, 0, t.messagesBeforeBackup, (i) => startTs + i * MESSAGE_SPACING_MS);
      facts.topics.push({
        topic: t.topic,
        partitions: t.partitions,
        beforeBackup: countByPartition(0, t.messagesBeforeBackup, t.partitions),
        afterBackup: [],
      });
    }
    for (const g of DRILL_GROUPS) {
      const counts = facts.topics.find((t) => t.topic === g.topic)!.beforeBackup;
      facts.groups.push({
        groupId: g.groupId,
        topic: g.topic,
        beforeBackup: await commitGroup(admin, g.groupId, g.topic, counts, g.consumedBeforeBackup),
        afterBackup: [],
      });
    }
    return facts;
  } finally {
    await admin.disconnect();
  }
}

/** The RPO window: messages and consumer progress after the backup, which the recovery loses. */
export async function produceAfterBackup(kafka: Kafka, facts: SeedFacts): Promise<SeedFacts> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const now = Date.now();
    const topics = [];
    for (const t of DRILL_TOPICS) {
      const before = t.messagesBeforeBackup;
      await produce(
        kafka,
        t.topic,
        t.partitions,
        before,
        before + t.messagesAfterBackup,
        (i) => now + (i - before) * MESSAGE_SPACING_MS,
      );
      const seeded = facts.topics.find((x) => x.topic === t.topic)!;
      topics.push({ ...seeded, afterBackup: countByPartition(before, before + t.messagesAfterBackup, t.partitions) });
    }
    const groups = [];
    for (const g of DRILL_GROUPS) {
      const t = topics.find((x) => x.topic === g.topic)!;
      const totals = t.beforeBackup.map((n, p) => n + t.afterBackup[p]);
      const seeded = facts.groups.find((x) => x.groupId === g.groupId)!;
      groups.push({
        ...seeded,
        afterBackup: await commitGroup(admin, g.groupId, g.topic, totals, g.consumedAfterBackup),
      });
    }
    return { ...facts, topics, groups };
  } finally {
    await admin.disconnect();
  }
}
