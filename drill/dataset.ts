/**
 * The drill's dataset: which topics, configs, messages and consumer groups the seeder writes.
 * Every count and timestamp is fixed here, so the report can state exactly what was lost.
 */

export interface DrillTopic {
  topic: string;
  partitions: number;
  /** Messages produced before the backup, spread round-robin over partitions. */
  messagesBeforeBackup: number;
  /** Messages produced after the backup: the RPO window, lost by the recovery. */
  messagesAfterBackup: number;
  configs: Record<string, string>;
}

export interface DrillGroup {
  groupId: string;
  topic: string;
  /** Fraction of each partition consumed (and committed) before the backup. */
  consumedBeforeBackup: number;
  /** Fraction consumed after the backup; the restore must take the group back. */
  consumedAfterBackup: number;
}

export const DRILL_TOPICS: DrillTopic[] = [
  {
    topic: 'orders',
    partitions: 6,
    messagesBeforeBackup: 3000,
    messagesAfterBackup: 240,
    configs: { 'retention.ms': '604800000', 'cleanup.policy': 'delete' },
  },
  {
    topic: 'payments',
    partitions: 3,
    messagesBeforeBackup: 1500,
    messagesAfterBackup: 90,
    configs: { 'min.insync.replicas': '2', 'retention.ms': '1209600000' },
  },
  {
    topic: 'inventory-events',
    partitions: 3,
    messagesBeforeBackup: 1200,
    messagesAfterBackup: 60,
    configs: { 'cleanup.policy': 'delete', 'max.message.bytes': '1048576' },
  },
];

export const CANARY_TOPIC = 'rekindle-canary';

export const DRILL_GROUPS: DrillGroup[] = [
  { groupId: 'billing', topic: 'orders', consumedBeforeBackup: 0.5, consumedAfterBackup: 0.9 },
  { groupId: 'fraud-detection', topic: 'payments', consumedBeforeBackup: 0.8, consumedAfterBackup: 1 },
  { groupId: 'warehouse', topic: 'inventory-events', consumedBeforeBackup: 0.25, consumedAfterBackup: 0.6 },
];

/** Timestamps are spaced 100 ms apart from a fixed start, so `to-datetime` resets are exact. */
export const MESSAGE_SPACING_MS = 100;

export const messageKey = (topic: string, i: number) => `${topic}-key-${i % 97}`;
export const messageValue = (topic: string, i: number) =>
  JSON.stringify({ topic, seq: i, body: `event ${i} of ${topic}` });

/** Message `i` of a topic goes to partition i mod n: how many of messages [from, to) land on each partition. */
export function countByPartition(from: number, to: number, partitions: number): number[] {
  const counts = new Array<number>(partitions).fill(0);
  for (let i = from; i < to; i++) counts[i % partitions]++;
  return counts;
}
