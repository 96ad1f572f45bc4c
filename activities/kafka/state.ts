/**
 * Reading cluster state: brokers and controller from kafkajs; partitions with leader/replicas/ISR from
 * ZooKeeper when a reader is given (kafkajs's metadata parser throws on any partition without a
 * leader, exactly when health must report it), else from kafkajs metadata; each topic's effective
 * min.insync.replicas. Shared by health and snapshot-state.
 */
import { ConfigResourceTypes } from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { ZnodeReader } from './deps';

/** Where Kafka keeps its znodes: the inventory's connect string and chroot. */
export interface ZkLocation {
  reader: ZnodeReader;
  connect: string;
  chroot: string;
}

export interface PartitionState {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface ClusterView {
  clusterId: string;
  controller: number | null;
  brokers: number[];
  partitions: PartitionState[];
  minIsr: Record<string, number>;
  /** Where partition state came from. */
  source: 'zookeeper' | 'metadata';
}

/** Partition assignments and states of `topics` (all when undefined) from ZooKeeper. */
export async function partitionsFromZk(zk: ZkLocation, topics?: string[]): Promise<PartitionState[]> {
  const p = (rel: string) => (zk.chroot === '/' || zk.chroot === '' ? rel : `${zk.chroot}${rel}`);
  const names = topics ?? (await zk.reader.children(zk.connect, p('/brokers/topics')));
  const out: PartitionState[] = [];
  for (const topic of names) {
    const doc = await zk.reader.get(zk.connect, p(`/brokers/topics/${topic}`));
    if (!doc) continue;
    const assignment = (JSON.parse(doc) as { partitions?: Record<string, number[]> }).partitions ?? {};
    for (const [part, replicas] of Object.entries(assignment)) {
      const st = await zk.reader.get(zk.connect, p(`/brokers/topics/${topic}/partitions/${part}/state`));
      const state = st ? (JSON.parse(st) as { leader?: number; isr?: number[] }) : {};
      out.push({
        topic,
        partition: Number(part),
        leader: state.leader ?? -1,
        replicas,
        isr: state.isr ?? [],
        offlineReplicas: [],
      });
    }
  }
  return out;
}

/** Effective min.insync.replicas per topic (broker default included). */
export async function minIsrOf(admin: Admin, topics: string[]): Promise<Record<string, number>> {
  if (topics.length === 0) return {};
  const res = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['min.insync.replicas'] })),
  });
  const out: Record<string, number> = {};
  for (const r of res.resources) {
    const v = r.configEntries.find((e) => e.configName === 'min.insync.replicas')?.configValue;
    out[r.resourceName] = v ? Number(v) : 1;
  }
  return out;
}

/** Registered broker ids (/brokers/ids), controller (/controller) and cluster id (/cluster/id) from ZooKeeper. */
export async function membershipFromZk(
  zk: ZkLocation,
): Promise<{ brokers: number[]; controller: number | null; clusterId: string }> {
  const p = (rel: string) => (zk.chroot === '/' || zk.chroot === '' ? rel : `${zk.chroot}${rel}`);
  const [ids, ctl, cid] = await Promise.all([
    zk.reader.children(zk.connect, p('/brokers/ids')),
    zk.reader.get(zk.connect, p('/controller')),
    zk.reader.get(zk.connect, p('/cluster/id')),
  ]);
  return {
    brokers: ids.map(Number).sort((a, b) => a - b),
    controller: ctl ? ((JSON.parse(ctl) as { brokerid?: number }).brokerid ?? null) : null,
    clusterId: cid ? ((JSON.parse(cid) as { id?: string }).id ?? '') : '',
  };
}

/** Topic-level min.insync.replicas overrides from /config/topics (when describeConfigs is unavailable). */
async function minIsrFromZk(zk: ZkLocation, topics: string[]): Promise<Record<string, number>> {
  const p = (rel: string) => (zk.chroot === '/' || zk.chroot === '' ? rel : `${zk.chroot}${rel}`);
  const out: Record<string, number> = {};
  for (const t of topics) {
    const doc = await zk.reader.get(zk.connect, p(`/config/topics/${t}`));
    const v = doc
      ? (JSON.parse(doc) as { config?: Record<string, string> }).config?.['min.insync.replicas']
      : undefined;
    out[t] = v ? Number(v) : 1;
  }
  return out;
}

/**
 * Brokers, controller and every partition of `topics` (all topics when undefined). With ZooKeeper,
 * everything but min ISR comes from there: kafkajs's metadata requests (describeCluster, listTopics
 * included) fail as a whole while any partition in the cluster has no leader.
 */
export async function clusterView(admin: Admin, topics?: string[], zk?: ZkLocation): Promise<ClusterView> {
  if (zk) return clusterViewFromZk(zk, admin, topics);
  const cluster = await admin.describeCluster();
  const names = topics ?? (await admin.listTopics());
  const md = names.length > 0 ? await admin.fetchTopicMetadata({ topics: names }) : { topics: [] };
  const partitions: PartitionState[] = [];
  for (const t of md.topics) {
    for (const p of t.partitions) {
      partitions.push({
        topic: t.name,
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas ?? [],
      });
    }
  }
  partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return {
    source: 'metadata',
    clusterId: cluster.clusterId,
    controller: cluster.controller,
    brokers: cluster.brokers.map((b) => b.nodeId).sort((a, b) => a - b),
    partitions,
    minIsr: await minIsrOf(admin, names),
  };
}

/**
 * The cluster as ZooKeeper records it; min ISR from the brokers when `admin` is given and answers, else
 * from /config/topics. Works with every broker down (a scope assessment of a dead cluster).
 */
export async function clusterViewFromZk(zk: ZkLocation, admin: Admin | null, topics?: string[]): Promise<ClusterView> {
  const m = await membershipFromZk(zk);
  const partitions = await partitionsFromZk(zk, topics);
  for (const p of partitions) p.offlineReplicas = p.replicas.filter((r) => !m.brokers.includes(r));
  partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  const names = [...new Set(partitions.map((p) => p.topic))];
  const minIsr = admin
    ? await minIsrOf(admin, names).catch(() => minIsrFromZk(zk, names))
    : await minIsrFromZk(zk, names);
  return { source: 'zookeeper', ...m, partitions, minIsr };
}
