/**
 * Seeds the bystanders (drill/bystanders.ts) idempotently: creates the topics that are missing,
 * fills only empty topics, commits offsets only for groups that have none, writes ACL znodes that are
 * missing. A second drill on the same lab therefore leaves existing tenants exactly as they are.
 */
import type { Admin, Kafka } from 'kafkajs';
import type { Inventory } from '../compiler/inventory';
import { ZkClient } from '../activities/zookeeper/client';
import type { BystanderSpec, BystanderTopic } from './bystanders';
import { aclJson, aclPath } from './bystanders';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items`, `n` at a time. */
export async function inParallel<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function createMissing(admin: Admin, topics: BystanderTopic[]): Promise<number> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  for (let i = 0; i < missing.length; i += 20) {
    const batch = missing.slice(i, i + 20).map((t) => ({
      topic: t.topic,
      numPartitions: t.partitions,
      replicationFactor: t.replicationFactor,
      configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
    }));
    await admin.createTopics({ topics: batch, waitForLeaders: true, timeout: 60_000 });
  }
  return missing.length;
}

/** Produces into every partition of each topic that holds no message yet. Retries while new topics settle. */
async function fillEmpty(kafka: Kafka, admin: Admin, spec: BystanderSpec): Promise<number> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 10 } });
  await producer.connect();
  let filled = 0;
  try {
    for (const t of spec.topics) {
      const ends = await admin.fetchTopicOffsets(t.topic);
      if (ends.some((e) => Number(e.high) > 0)) continue;
      const messages = [];
      for (let p = 0; p < t.partitions; p++)
        for (let i = 0; i < spec.messagesPerPartition; i++)
          messages.push({ partition: p, key: `${t.topic}-${p}-${i}`, value: JSON.stringify({ topic: t.topic, p, i }) });
      for (let attempt = 1; ; attempt++) {
        try {
          await producer.send({ topic: t.topic, acks: -1, messages });
          break;
        } catch (err) {
          // A just-created topic may be unknown to some broker's metadata for a moment; the facts are
          // measured after seeding, so a duplicate from a retried send cannot falsify a check.
          if (attempt >= 20) throw err;
          await sleep(500);
        }
      }
      filled++;
    }
  } finally {
    await producer.disconnect();
  }
  return filled;
}

/**
 * Commits `offsets` for an idle group the way kafkajs's admin.setOffsets does (join, seek, stop at the
 * first fetch), but with a 100 ms fetch wait instead of 5 s, so a thousand groups take minutes, not hours.
 */
async function commitOffsets(kafka: Kafka, groupId: string, topic: string, offsets: string[]): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, retry: { retries: 8 } });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => resolve());
      consumer.run({ autoCommit: true, eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
      consumer.pause([{ topic }]);
      offsets.forEach((offset, partition) => consumer.seek({ topic, partition, offset }));
    });
  } finally {
    await consumer.disconnect();
  }
}

/** Commits offsets at `fraction` of each partition for groups that have committed nothing yet, six at a time. */
async function commitMissing(kafka: Kafka, admin: Admin, spec: BystanderSpec): Promise<number> {
  const ends = new Map<string, number[]>();
  for (const t of spec.topics) {
    const offs = await admin.fetchTopicOffsets(t.topic);
    ends.set(
      t.topic,
      offs.sort((a, b) => a.partition - b.partition).map((o) => Number(o.high)),
    );
  }
  const todo: BystanderSpec['groups'] = [];
  for (const g of spec.groups) {
    const [have] = await admin.fetchOffsets({ groupId: g.groupId, topics: [g.topic] });
    if (!have.partitions.some((p) => Number(p.offset) >= 0)) todo.push(g);
  }
  const lanes = Array.from({ length: 6 }, (_, i) => todo.filter((_, k) => k % 6 === i));
  await Promise.all(
    lanes.map(async (groups) => {
      if (!groups.length) return;
      for (const g of groups) {
        const offsets = ends.get(g.topic)!.map((n) => String(Math.floor(n * g.fraction)));
        await commitOffsets(kafka, g.groupId, g.topic, offsets);
      }
    }),
  );
  return todo.length;
}

async function writeAcls(inventory: Inventory, spec: BystanderSpec): Promise<number> {
  const zk = await ZkClient.open(`${inventory.zookeeper.connect}${inventory.zookeeper.chroot}`);
  let written = 0;
  try {
    for (const p of ['/kafka-acl', '/kafka-acl/Topic']) if (!(await zk.exists(p))) await zk.create(p, Buffer.alloc(0));
    for (const acl of spec.acls) {
      if (await zk.exists(aclPath(acl.topic))) continue;
      await zk.create(aclPath(acl.topic), Buffer.from(aclJson(acl)));
      written++;
    }
  } finally {
    zk.close();
  }
  return written;
}

/** What seeding did this time (zero everywhere on a lab that already holds the bystanders). */
export interface BystanderSeeding {
  topicsCreated: number;
  topicsFilled: number;
  groupsCommitted: number;
  aclsWritten: number;
}

/** Seeds what is missing of `spec`. */
export async function seedBystanders(
  kafka: Kafka,
  inventory: Inventory,
  spec: BystanderSpec,
  log: (s: string) => void = () => undefined,
): Promise<BystanderSeeding> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topicsCreated = await createMissing(admin, spec.topics);
    log(`${topicsCreated} topics created`);
    const topicsFilled = await fillEmpty(kafka, admin, spec);
    log(`${topicsFilled} empty topics filled`);
    const groupsCommitted = await commitMissing(kafka, admin, spec);
    log(`${groupsCommitted} groups committed`);
    const aclsWritten = await writeAcls(inventory, spec);
    return { topicsCreated, topicsFilled, groupsCommitted, aclsWritten };
  } finally {
    await admin.disconnect();
  }
}
