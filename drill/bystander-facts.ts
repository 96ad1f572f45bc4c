/**
 * The bystanders' state, read straight from the brokers and ZooKeeper: messages per partition, topic
 * configs, every group's committed offsets and the ACL znodes. Measured just before the backup and
 * again after the recovery; any difference fails the drill.
 */
import type { Kafka } from 'kafkajs';
import { ConfigResourceTypes } from 'kafkajs';
import type { Inventory } from '../compiler/inventory';
import { ZkClient } from '../activities/zookeeper/client';
import type { BystanderSpec } from './bystanders';
import { aclPath } from './bystanders';
import { inParallel } from './seed-bystanders';

export interface BystanderFacts {
  /** topic → messages per partition (high − low), or null when the topic is missing. */
  counts: Record<string, number[] | null>;
  /** topic → the seeded config keys and their values now. */
  configs: Record<string, Record<string, string | null>>;
  /** group → `topic:partition` → committed offset. */
  offsets: Record<string, Record<string, number>>;
  /** ACL znode path → its data, or null when missing. */
  acls: Record<string, string | null>;
}

/** Reads the facts of everything `spec` names. */
export async function captureBystanders(
  kafka: Kafka,
  inventory: Inventory,
  spec: BystanderSpec,
): Promise<BystanderFacts> {
  const facts: BystanderFacts = { counts: {}, configs: {}, offsets: {}, acls: {} };
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    for (const t of spec.topics) {
      if (!existing.has(t.topic)) {
        facts.counts[t.topic] = null;
        continue;
      }
      const offs = await admin.fetchTopicOffsets(t.topic);
      facts.counts[t.topic] = offs.sort((a, b) => a.partition - b.partition).map((o) => Number(o.high) - Number(o.low));
    }
    const withConfigs = spec.topics.filter((t) => existing.has(t.topic) && Object.keys(t.configs).length);
    for (let i = 0; i < withConfigs.length; i += 50) {
      const batch = withConfigs.slice(i, i + 50);
      const r = await admin.describeConfigs({
        includeSynonyms: false,
        resources: batch.map((t) => ({
          type: ConfigResourceTypes.TOPIC,
          name: t.topic,
          configNames: Object.keys(t.configs),
        })),
      });
      for (const res of r.resources) {
        facts.configs[res.resourceName] = Object.fromEntries(
          res.configEntries.map((e) => [e.configName, e.configValue ?? null]),
        );
      }
    }
    await inParallel(spec.groups, 8, async (g) => {
      const got = await admin.fetchOffsets({ groupId: g.groupId });
      const o: Record<string, number> = {};
      for (const t of got)
        for (const p of t.partitions) if (Number(p.offset) >= 0) o[`${t.topic}:${p.partition}`] = Number(p.offset);
      facts.offsets[g.groupId] = o;
    });
  } finally {
    await admin.disconnect();
  }
  const zk = await ZkClient.open(`${inventory.zookeeper.connect}${inventory.zookeeper.chroot}`);
  try {
    for (const a of spec.acls) {
      const p = aclPath(a.topic);
      facts.acls[p] = (await zk.exists(p)) ? (await zk.getData(p)).data.toString() : null;
    }
  } finally {
    zk.close();
  }
  return facts;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Every difference between two measurements, one line each (the first `max`, then a count). */
export function compareBystanders(before: BystanderFacts, after: BystanderFacts, max = 20): string[] {
  const out: string[] = [];
  for (const [t, c] of Object.entries(before.counts)) {
    if (c === null) out.push(`topic ${t} was missing before the backup`);
    else if (!same(c, after.counts[t]))
      out.push(
        `topic ${t}: messages per partition ${JSON.stringify(c)} at backup, ${JSON.stringify(after.counts[t] ?? null)} now`,
      );
  }
  for (const [t, c] of Object.entries(before.configs))
    if (!same(c, after.configs[t]))
      out.push(`topic ${t}: configs ${JSON.stringify(c)} at backup, ${JSON.stringify(after.configs[t] ?? null)} now`);
  for (const [g, o] of Object.entries(before.offsets)) {
    if (Object.keys(o).length === 0) out.push(`group ${g} had no committed offset before the backup`);
    else if (!same(o, after.offsets[g])) out.push(`group ${g}: committed offsets differ from the backup's`);
  }
  for (const [p, d] of Object.entries(before.acls))
    if (d === null) out.push(`ACL znode ${p} was missing before the backup`);
    else if (d !== after.acls[p])
      out.push(`ACL znode ${p}: ${after.acls[p] === null ? 'gone' : 'changed'} after the recovery`);
  return out.length > max ? [...out.slice(0, max), `… and ${out.length - max} more difference(s)`] : out;
}

/** Sizes of a measurement, for the report. */
export function bystanderTotals(f: BystanderFacts): {
  topics: number;
  partitions: number;
  messages: number;
  groups: number;
  offsets: number;
  configs: number;
  acls: number;
} {
  const counts = Object.values(f.counts).filter((c): c is number[] => c !== null);
  return {
    topics: counts.length,
    partitions: counts.reduce((n, c) => n + c.length, 0),
    messages: counts.reduce((n, c) => n + c.reduce((a, b) => a + b, 0), 0),
    groups: Object.values(f.offsets).filter((o) => Object.keys(o).length).length,
    offsets: Object.values(f.offsets).reduce((n, o) => n + Object.keys(o).length, 0),
    configs: Object.values(f.configs).reduce((n, c) => n + Object.keys(c).length, 0),
    acls: Object.values(f.acls).filter((d) => d !== null).length,
  };
}
