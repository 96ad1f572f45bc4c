/**
 * Helpers for the Kafka tests: the family wired to the real lab (kafkajs pool, ZooKeeper reader,
 * SSH shell), topics with known data and timestamps, and broker stop/start through the host's own
 * control command over SSH (always undone by the caller's finally).
 */
import type { Admin, Kafka } from 'kafkajs';
import type { Inventory } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { detachedContext, runAction } from '../../activities/errors';
import { KafkaPool, kafkaImpls } from '../../activities/kafka/index';
import { SshPool, SshShell } from '../../activities/ssh/index';
import { createZnodeReader, ZkPool } from '../../activities/zookeeper/index';
import { labInventory, uniqueName } from './lab';
import { sshExec } from './ssh-exec';

export interface KafkaHarness {
  inventory: Inventory;
  pool: KafkaPool;
  act(name: string): (request: ActionRequest) => Promise<import('../../compiler/plan').ActionResult>;
  req(inputs: Record<string, unknown>, extra?: Partial<ActionRequest>, inv?: Inventory): ActionRequest;
  admin(): Promise<Admin>;
  kafka(): Kafka;
  close(): Promise<void>;
}

/** The Kafka family wired to the lab, with its own pools; `store` is the backup store. */
export function kafkaHarness(store: string): KafkaHarness {
  const inventory = { ...labInventory(), backupStore: store };
  const pool = new KafkaPool();
  const zkPool = new ZkPool({ connectTimeoutMs: 2000 });
  const sshPool = new SshPool();
  const impls = kafkaImpls({ pool, zk: createZnodeReader(zkPool), remote: new SshShell(sshPool), backupStore: store });
  return {
    inventory,
    pool,
    act: (name) => runAction(impls[name], () => detachedContext()),
    req: (inputs, extra = {}, inv = inventory) => ({
      workflowId: 'kafka-test',
      stepId: uniqueName('step'),
      mode: 'drill',
      dryRun: false,
      inputs,
      inventory: inv as never,
      ...extra,
    }),
    admin: () => pool.admin(inventory.kafka.bootstrap),
    kafka: () => pool.kafka(inventory.kafka.bootstrap),
    close: async () => {
      await pool.close();
      await zkPool.close();
      await sshPool.close();
    },
  };
}

/** Creates a topic that never expires old timestamps (retention.ms=-1), waiting for leaders. */
export async function createTopic(
  admin: Admin,
  topic: string,
  partitions: number,
  replicationFactor = 3,
): Promise<void> {
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic, numPartitions: partitions, replicationFactor, configEntries: [{ name: 'retention.ms', value: '-1' }] },
    ],
  });
}

/** Produces messages with explicit partitions and timestamps, acks=all. */
export async function produce(
  kafka: Kafka,
  topic: string,
  messages: Array<{ partition: number; timestamp: number; value: string; key?: string }>,
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({
        partition: m.partition,
        timestamp: String(m.timestamp),
        value: m.value,
        key: m.key ?? null,
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Runs a broker host's control command (`stop`, `start`, `status`) over SSH. */
export async function brokerControl(
  brokerId: number,
  action: 'stop' | 'start' | 'status',
): Promise<{ code: number; stdout: string }> {
  const inv = labInventory();
  const broker = inv.kafka.brokers.find((b) => b.id === brokerId);
  const host = inv.hosts.find((h) => h.name === broker?.host);
  if (!host) throw new Error(`no lab host for broker ${brokerId}`);
  const r = await sshExec(host, `${host.control} ${action}`);
  return { code: r.code, stdout: r.stdout };
}

/** Polls until `ids` are (or are not) all registered with the cluster, or throws after timeoutMs. */
export async function waitBrokers(admin: Admin, ids: number[], present: boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = await admin
      .describeCluster()
      .then((c) => c.brokers.map((b) => b.nodeId))
      .catch(() => [] as number[]);
    if (ids.every((id) => live.includes(id) === present)) return;
    if (Date.now() > deadline)
      throw new Error(`brokers ${ids.join(',')} not ${present ? 'registered' : 'gone'} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * kafka.offsets-reset as a runbook does it: a dry run with `inputs`, then an execute of its plan
 * (what a human approved). Returns both results.
 */
export async function dryRunThenExecute(
  h: KafkaHarness,
  inputs: Record<string, unknown>,
  extra: Partial<ActionRequest> = {},
): Promise<{ dry: import('../../compiler/plan').ActionResult; exec: import('../../compiler/plan').ActionResult }> {
  const reset = h.act('kafka.offsets-reset');
  const dry = await reset(h.req({ ...inputs, dryRun: true }));
  const exec = await reset(h.req({ plan: dry.outputs.plan, dryRun: false }, extra));
  return { dry, exec };
}
