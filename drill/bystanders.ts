/**
 * Data on the drill cluster that is not the drill's own: other tenants' topics and consumer groups,
 * and, for `--size large`, a realistically large cluster (hundreds of topics, thousands of partitions,
 * a thousand groups, topic configs and ACLs). The runbooks must leave all of it as it was at backup
 * time; the drill measures it before the backup and again after the recovery (drill/bystander-facts.ts).
 */

export type DrillSize = 'normal' | 'large';

export interface BystanderTopic {
  topic: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export interface BystanderGroup {
  groupId: string;
  topic: string;
  /** Fraction of each partition the group has committed. */
  fraction: number;
}

export interface BystanderAcl {
  topic: string;
  principal: string;
  operation: string;
}

export interface BystanderSpec {
  topics: BystanderTopic[];
  /** Messages produced into each partition of a topic that is still empty. */
  messagesPerPartition: number;
  groups: BystanderGroup[];
  /** ACL znodes under /kafka-acl/Topic/ (the lab runs no authorizer; the znodes are what a restore must keep). */
  acls: BystanderAcl[];
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/**
 * Other tenants, seeded by every drill: enough groups that the offsets export is far larger than the
 * engine's 16 KB per-step cap (the failure this drill guards against), on topics the drill never touches.
 */
export function tenantSpec(): BystanderSpec {
  const topics: BystanderTopic[] = [
    { topic: 'tenant-a.events', partitions: 6, replicationFactor: 3, configs: { 'retention.ms': '259200000' } },
    {
      topic: 'tenant-a.audit',
      partitions: 3,
      replicationFactor: 3,
      configs: { 'cleanup.policy': 'delete', 'retention.ms': '2592000000' },
    },
    { topic: 'tenant-b.clicks', partitions: 12, replicationFactor: 3, configs: { 'segment.bytes': '8388608' } },
    { topic: 'tenant-b.sessions', partitions: 6, replicationFactor: 2, configs: { 'min.insync.replicas': '1' } },
  ];
  const groups = Array.from({ length: 60 }, (_, i) => ({
    groupId: `tenant-${i % 2 ? 'b' : 'a'}.consumer-${pad(i, 2)}`,
    topic: topics[i % topics.length].topic,
    fraction: ((i % 4) + 1) / 4,
  }));
  const acls = topics.map((t, i) => ({
    topic: t.topic,
    principal: `User:tenant-${i < 2 ? 'a' : 'b'}-app`,
    operation: 'Read',
  }));
  return { topics, messagesPerPartition: 20, groups, acls };
}

/** Sizes of the large drill: tuned to fit a 2-core, 24 GiB machine with 256 MB broker heaps. */
export const LARGE = {
  topics: 200,
  partitionsPerTopic: 10,
  groups: 1000,
  configs: 200,
  acls: 100,
  messagesPerPartition: 5,
};

/** The large cluster: LARGE.topics topics of LARGE.partitionsPerTopic partitions, all with configs, groups and ACLs. */
export function largeSpec(): BystanderSpec {
  const topics: BystanderTopic[] = Array.from({ length: LARGE.topics }, (_, i) => ({
    topic: `bulk.t${pad(i, 3)}`,
    partitions: LARGE.partitionsPerTopic,
    replicationFactor: 3,
    configs:
      i < LARGE.configs ? { 'retention.ms': String(86_400_000 * (1 + (i % 30))) } : ({} as Record<string, string>),
  }));
  const groups = Array.from({ length: LARGE.groups }, (_, i) => ({
    groupId: `bulk.g${pad(i, 4)}`,
    topic: topics[i % topics.length].topic,
    fraction: ((i % 5) + 1) / 5,
  }));
  const acls = topics
    .slice(0, LARGE.acls)
    .map((t, i) => ({ topic: t.topic, principal: `User:bulk-app-${pad(i, 3)}`, operation: i % 2 ? 'Write' : 'Read' }));
  return { topics, messagesPerPartition: LARGE.messagesPerPartition, groups, acls };
}

/** What a drill of `size` seeds besides its own data. */
export function bystanderSpec(size: DrillSize): BystanderSpec {
  const t = tenantSpec();
  if (size === 'normal') return t;
  const l = largeSpec();
  return {
    topics: [...t.topics, ...l.topics],
    messagesPerPartition: t.messagesPerPartition,
    groups: [...t.groups, ...l.groups],
    acls: [...t.acls, ...l.acls],
  };
}

/** The ACL znode of a topic, relative to Kafka's chroot. */
export const aclPath = (topic: string) => `/kafka-acl/Topic/${topic}`;

/** The ACL znode's JSON, as Kafka's AclAuthorizer writes it. */
export function aclJson(acl: BystanderAcl): string {
  return JSON.stringify({
    version: 1,
    acls: [{ principal: acl.principal, permissionType: 'Allow', operation: acl.operation, host: '*' }],
  });
}
