/**
 * Independent checks of the recovered cluster for the report: counts per partition and group offsets
 * straight from the brokers, and the rogue znodes straight from ZooKeeper. These do not trust the
 * runbook's own verification; they confirm it.
 */
import type { Kafka } from 'kafkajs';
import type { Inventory } from '../compiler/inventory';
import { ZkClient } from '../activities/zookeeper/client';
import { DRILL_GROUPS, DRILL_TOPICS } from './dataset';
import { ALTERED_CONFIG_PATH, DELETED_TOPIC, ROGUE_ACL_PATH } from './incident';

export interface ClusterFacts {
  /** topic → per-partition message count (high − low watermark). */
  counts: Record<string, number[]>;
  /** groupId → per-partition committed offset (−1 when none). */
  groupOffsets: Record<string, number[]>;
  rogueAclPresent: boolean;
  deletedTopicRestored: boolean;
  alteredConfig: string | null;
}

export async function inspectCluster(kafka: Kafka, inventory: Inventory): Promise<ClusterFacts> {
  const admin = kafka.admin();
  await admin.connect();
  const facts: ClusterFacts = {
    counts: {},
    groupOffsets: {},
    rogueAclPresent: false,
    deletedTopicRestored: false,
    alteredConfig: null,
  };
  try {
    for (const t of DRILL_TOPICS) {
      const offsets = await admin.fetchTopicOffsets(t.topic);
      facts.counts[t.topic] = offsets
        .sort((a, b) => a.partition - b.partition)
        .map((o) => Number(o.high) - Number(o.low));
    }
    for (const g of DRILL_GROUPS) {
      const [res] = await admin.fetchOffsets({ groupId: g.groupId, topics: [g.topic] });
      facts.groupOffsets[g.groupId] = res.partitions
        .sort((a, b) => a.partition - b.partition)
        .map((p) => Number(p.offset));
    }
  } finally {
    await admin.disconnect();
  }
  const zk = await ZkClient.open(`${inventory.zookeeper.connect}${inventory.zookeeper.chroot}`);
  try {
    facts.rogueAclPresent = (await zk.exists(ROGUE_ACL_PATH)) !== null;
    facts.deletedTopicRestored = (await zk.exists(`/brokers/topics/${DELETED_TOPIC}`)) !== null;
    facts.alteredConfig = (await zk.getData(ALTERED_CONFIG_PATH)).data.toString();
  } finally {
    zk.close();
  }
  return facts;
}
