/**
 * A "world" for the offsets differential test: topics with known records and timestamps, deleted
 * records, empty partitions, a topic written by transactional producers (committed, aborted and open
 * transactions), and consumer groups with committed offsets below, on and above the log. Generated from a
 * seed as plain JSON (so a failing case can be kept as a fixture), then written to the lab.
 */
import type { Consumer, Kafka, Producer, Transaction } from 'kafkajs';
import type { KafkaPool } from '../../activities/kafka/client';
import { commitWithoutJoining } from '../../activities/kafka/protocol';
import { createTopic } from './kafka';
import { uniqueName } from './lab';

import { rng } from '../../drill/chaos';

export { rng };
export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
export const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** One transaction on a partition of the transactional topic. */
export interface TxnSpec {
  outcome: 'commit' | 'abort' | 'open';
  records: number;
}

export interface PartitionSpec {
  /** Record timestamps in minutes after the world's base time (plain topics: one record each). */
  times: number[];
  /** deleteRecords before this offset (0: none). */
  deleteBefore: number;
  /** Transactional topic only: the transactions in order; `times` covers their records in order. */
  txns?: TxnSpec[];
}

export interface WorldSpec {
  seed: number;
  /** Logical topic name -> partitions. `x` is the transactional one. */
  topics: Record<string, PartitionSpec[]>;
  /** Logical group -> "topic:partition" -> committed offset. The world adds `live`, a group with a member. */
  groups: Record<string, Record<string, number>>;
}

/** Hours of history before the seeding time that record timestamps span. */
export const HISTORY_HOURS = 100;

function partition(r: () => number, txn: boolean): PartitionSpec {
  const stride = pick(r, [37, 60, 90, 150]);
  const phase = int(r, 0, 119);
  if (txn) {
    const txns: TxnSpec[] = Array.from({ length: int(r, 1, 4) }, () => ({
      outcome: pick(r, ['commit', 'commit', 'abort'] as const),
      records: int(r, 1, 4),
    }));
    if (r() < 0.5) txns.push({ outcome: 'open', records: int(r, 1, 3) });
    const n = txns.reduce((s, t) => s + t.records, 0);
    return { times: Array.from({ length: n }, (_, i) => phase + i * stride), deleteBefore: 0, txns };
  }
  const n = pick(r, [0, 1, 5, 12, 30]);
  return {
    times: Array.from({ length: n }, (_, i) => phase + i * stride),
    deleteBefore: n > 0 && r() < 0.35 ? int(r, 1, n) : 0,
  };
}

/** The offsets a partition's log ends at: high watermark, and the last stable offset. */
export function partitionEnds(p: PartitionSpec): { hw: number; lso: number } {
  if (!p.txns) return { hw: p.times.length, lso: p.times.length };
  let offset = 0;
  let lso: number | undefined;
  for (const t of p.txns) {
    if (t.outcome === 'open') lso ??= offset;
    offset += t.records + (t.outcome === 'open' ? 0 : 1);
  }
  return { hw: offset, lso: lso ?? offset };
}

/** A world from a seed: topics a and b (plain), x (transactional), groups g0..g3 with commits, and none for `dead`. */
export function worldSpec(seed: number): WorldSpec {
  const r = rng(seed);
  const topics: WorldSpec['topics'] = {
    a: Array.from({ length: int(r, 1, 4) }, () => partition(r, false)),
    b: Array.from({ length: int(r, 1, 3) }, () => partition(r, false)),
    x: Array.from({ length: int(r, 2, 3) }, () => partition(r, true)),
  };
  const groups: WorldSpec['groups'] = { dead: {} };
  for (const g of ['g0', 'g1', 'g2', 'g3']) {
    const commits: Record<string, number> = {};
    for (const [t, ps] of Object.entries(topics))
      ps.forEach((p, i) => {
        if (r() < 0.45) return;
        const { hw } = partitionEnds(p);
        commits[`${t}:${i}`] = pick(r, [0, Math.max(0, p.deleteBefore - 1), Math.floor(hw / 2), hw, hw + 7]);
      });
    groups[g] = commits;
  }
  return { seed, topics, groups };
}

/** A world written to the lab: real names, the base time, and what to clean up. */
export interface World {
  spec: WorldSpec;
  /** Epoch ms that `times` are minutes after. */
  base: number;
  /** When seeding started and ended (transaction markers carry times in this window). */
  seededFrom: number;
  seededTo: number;
  topic: Record<string, string>;
  group: Record<string, string>;
  /** Every record timestamp (epoch ms). */
  stamps: number[];
  close(): Promise<void>;
}

async function txnProducer(kafka: Kafka, id: string): Promise<Producer> {
  const p = kafka.producer({
    transactionalId: id,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 600_000,
  });
  await p.connect();
  return p;
}

/** Retries a seeding step that a fresh topic's metadata can fail for a moment (up to 10 s). */
async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= 20) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Begins a transaction; the first one on a fresh cluster waits while Kafka creates __transaction_state. */
async function begin(p: Producer): Promise<Transaction> {
  for (let i = 0; ; i++) {
    try {
      return await p.transaction();
    } catch (err) {
      if (i >= 30) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Writes the world's transactional topic: closed transactions first, then one transaction left open. */
async function seedTxns(
  kafka: Kafka,
  topic: string,
  parts: PartitionSpec[],
  base: number,
): Promise<{ opener?: Producer; open?: Transaction }> {
  const closer = await txnProducer(kafka, uniqueName('oracle-txn'));
  const opener = parts.some((p) => p.txns?.some((t) => t.outcome === 'open'))
    ? await txnProducer(kafka, uniqueName('oracle-open'))
    : undefined;
  const open = opener ? await begin(opener) : undefined;
  for (const [partition, p] of parts.entries()) {
    let i = 0;
    for (const t of p.txns ?? []) {
      const messages = p.times.slice(i, i + t.records).map((m, k) => ({
        partition,
        timestamp: String(base + m * 60_000),
        value: `x${partition}-${i + k}`,
      }));
      i += t.records;
      if (t.outcome === 'open') {
        await open!.send({ topic, acks: -1, messages });
        continue;
      }
      const tx = await begin(closer);
      await tx.send({ topic, acks: -1, messages });
      await (t.outcome === 'commit' ? tx.commit() : tx.abort());
    }
  }
  await closer.disconnect();
  // The open transaction stays open (its producer connected) until the world closes.
  return { opener, open };
}

/** A consumer that joins `groupId` and stays (the group is Stable with one member) until disconnected. */
async function liveMember(
  kafka: Kafka,
  admin: import('kafkajs').Admin,
  groupId: string,
  topic: string,
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  await consumer.run({ eachMessage: async () => undefined });
  for (let i = 0; i < 100; i++) {
    const { groups } = await admin.describeGroups([groupId]);
    if (groups[0]?.state === 'Stable') return consumer;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`group ${groupId} did not become Stable`);
}

/** Seeds the world into the lab through `pool` (topics, records, deletions, transactions, group commits). */
export async function seedWorld(pool: KafkaPool, bootstrap: string[], spec: WorldSpec): Promise<World> {
  const seededFrom = Date.now();
  const base = seededFrom - HISTORY_HOURS * 3_600_000;
  const admin = await pool.admin(bootstrap);
  const kafka = pool.kafka(bootstrap);
  const tag = uniqueName(`o${spec.seed}`);
  const topic = Object.fromEntries(Object.keys(spec.topics).map((t) => [t, `${tag}-${t}`]));
  const group = Object.fromEntries([...Object.keys(spec.groups), 'live'].map((g) => [g, `${tag}-${g}`]));
  for (const [t, ps] of Object.entries(spec.topics)) await createTopic(admin, topic[t], ps.length, 1);
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
  await producer.connect();
  await admin.fetchTopicMetadata({ topics: Object.values(topic) });
  for (const t of ['a', 'b']) {
    const messages = spec.topics[t].flatMap((p, partition) =>
      p.times.map((m, i) => ({ partition, timestamp: String(base + m * 60_000), value: `${t}${partition}-${i}` })),
    );
    if (messages.length) await retrying(() => producer.send({ topic: topic[t], acks: -1, messages }));
    const deletions = spec.topics[t].flatMap((p, partition) =>
      p.deleteBefore > 0 ? [{ partition, offset: String(p.deleteBefore) }] : [],
    );
    if (deletions.length) await retrying(() => admin.deleteTopicRecords({ topic: topic[t], partitions: deletions }));
  }
  await producer.disconnect();
  const { opener, open } = await seedTxns(kafka, topic.x, spec.topics.x, base);
  const live = await liveMember(kafka, admin, group.live, topic.a);
  const cluster = await pool.cluster(bootstrap);
  for (const [g, commits] of Object.entries(spec.groups)) {
    const offsets = Object.entries(commits).map(([key, offset]) => {
      const [t, p] = key.split(':');
      return { topic: topic[t], partition: Number(p), offset };
    });
    if (offsets.length) await commitWithoutJoining(cluster, group[g], offsets);
  }
  const stamps = Object.values(spec.topics).flatMap((ps) => ps.flatMap((p) => p.times.map((m) => base + m * 60_000)));
  return {
    spec,
    base,
    seededFrom,
    seededTo: Date.now(),
    topic,
    group,
    stamps,
    close: async () => {
      await live.disconnect().catch(() => undefined);
      await open?.abort().catch(() => undefined);
      await opener?.disconnect().catch(() => undefined);
      await admin.deleteGroups(Object.values(group)).catch(() => undefined);
      await admin.deleteTopics({ topics: Object.values(topic) }).catch(() => undefined);
    },
  };
}
