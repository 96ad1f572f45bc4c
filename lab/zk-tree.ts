/**
 * A Kafka-shaped ZooKeeper tree of a chosen size under a private root, and a wipe that never touches
 * anything outside that root. Lab fixtures shared by the ZooKeeper tests and the restore benchmark.
 */
import { planBatches, commitBatches } from '../activities/zookeeper/batch';
import type { WriteOp } from '../activities/zookeeper/batch';
import type { ZkClient } from '../activities/zookeeper/client';
import { readLive } from '../activities/zookeeper/compare';
import { absPath, depth } from '../activities/zookeeper/paths';

export const PARTITIONS_PER_TOPIC = 10;
/** Znodes per seeded topic: topic, partitions, N × (partition, state), config. */
export const NODES_PER_TOPIC = 3 + 2 * PARTITIONS_PER_TOPIC;

/** Relative paths that a restore must leave out, seeded so tests can show they stay absent. */
export const SEEDED_EXCLUDED = [
  '/controller',
  '/admin/delete_topics/t-0',
  '/admin/reassign_partitions',
  '/isr_change_notification/isr_change_0000000001',
  '/config/changes/config_change_0000000001',
  '/kafka-acl-changes/acl_changes_0000000001',
  '/log_dir_event_notification/log_dir_event_0000000001',
];

/** The ops that build a Kafka-shaped tree under `root` with `topics` topics (root itself included). */
export function kafkaTreeOps(root: string, topics: number, partitionEpoch = 7, controllerEpoch = 3): WriteOp[] {
  const rels: Array<[string, string]> = [
    ['', ''],
    ['/brokers', ''],
    ['/brokers/ids', ''],
    ['/brokers/topics', ''],
    ['/brokers/seqid', ''],
    ['/admin', ''],
    ['/admin/delete_topics', ''],
    ['/admin/reassign_partitions', '{"version":1,"partitions":[]}'],
    ['/config', ''],
    ['/config/topics', ''],
    ['/config/changes', ''],
    ['/config/changes/config_change_0000000001', '{"version":2,"entity_path":"topics/t-0"}'],
    ['/isr_change_notification', ''],
    ['/isr_change_notification/isr_change_0000000001', '{"version":1,"partitions":[]}'],
    ['/log_dir_event_notification', ''],
    ['/log_dir_event_notification/log_dir_event_0000000001', '{"version":1,"broker":1,"event":1}'],
    ['/kafka-acl-changes', ''],
    ['/kafka-acl-changes/acl_changes_0000000001', 'Topic:LITERAL:t-0'],
    ['/cluster', ''],
    ['/cluster/id', '{"version":"1","id":"seeded-cluster-id"}'],
    ['/controller', '{"version":2,"brokerid":1,"timestamp":"0","kraftControllerEpoch":-1}'],
    ['/controller_epoch', String(controllerEpoch)],
  ];
  for (let t = 0; t < topics; t++) {
    const topic = `/brokers/topics/t-${t}`;
    const partitions: Record<string, number[]> = {};
    for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) partitions[p] = [1, 2, 3];
    rels.push([
      topic,
      JSON.stringify({ partitions, topic_id: `id-${t}`, adding_replicas: {}, removing_replicas: {}, version: 3 }),
    ]);
    rels.push([`${topic}/partitions`, '']);
    for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) {
      rels.push([`${topic}/partitions/${p}`, '']);
      const state = { controller_epoch: partitionEpoch, leader: 1, version: 1, leader_epoch: 0, isr: [1, 2, 3] };
      rels.push([`${topic}/partitions/${p}/state`, JSON.stringify(state)]);
    }
    rels.push([
      `/config/topics/t-${t}`,
      JSON.stringify({ version: 1, config: { 'retention.ms': String(3600000 + t) } }),
    ]);
  }
  rels.push(['/admin/delete_topics/t-0', '']);
  rels.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return rels.map(([rel, data]) => ({ kind: 'create', path: absPath(root, rel), data: Buffer.from(data), acl: [] }));
}

/** Creates the tree in batched transactions. */
export async function seedKafkaTree(client: ZkClient, root: string, topics: number): Promise<number> {
  const ops = kafkaTreeOps(root, topics);
  await commitBatches(client, planBatches(ops));
  return ops.length;
}

/** Removes `root` and everything below it, deepest first, in batched transactions. */
export async function wipeTree(client: ZkClient, root: string): Promise<number> {
  if (root === '/' || root === '/kafka' || root === '/zookeeper') throw new Error(`refusing to wipe ${root}`);
  const live = await readLive(client, root);
  const rels = [...live.keys()].sort((a, b) => depth(b) - depth(a));
  const ops: WriteOp[] = rels.map((rel) => ({ kind: 'remove', path: absPath(root, rel) }));
  await commitBatches(client, planBatches(ops));
  return ops.length;
}
