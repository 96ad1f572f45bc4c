/**
 * Reading cluster state with kafkajs: brokers, controller, partitions with leader/replicas/ISR and
 * each topic's effective min.insync.replicas. Shared by health, wait-brokers and snapshot-state.
 */
import { ConfigResourceTypes } from 'kafkajs';
import type { Admin } from 'kafkajs';

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

/** Brokers, controller and every partition of `topics` (all topics when undefined). */
export async function clusterView(admin: Admin, topics?: string[]): Promise<ClusterView> {
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
    clusterId: cluster.clusterId,
    controller: cluster.controller,
    brokers: cluster.brokers.map((b) => b.nodeId).sort((a, b) => a - b),
    partitions,
    minIsr: await minIsrOf(admin, names),
  };
}
