/**
 * Acceptance for the lab: each part is real. Talks to the real brokers, ZooKeeper, sshd hosts and
 * Temporal server the global setup brought up.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaRegistration } from '../../lab/checks';
import { labConfigOrThrow, labHost, labInventory, temporalAddress, uniqueName } from '../support/lab';
import { sshExec } from '../support/ssh-exec';

const inv = labInventory();
const kafka = new Kafka({ clientId: 'lab-test', brokers: inv.kafka.bootstrap, logLevel: logLevel.NOTHING });
const registration = () => kafkaRegistration(inv.zookeeper.connect, inv.zookeeper.chroot);
const waitUntil = async (what: string, check: () => Promise<boolean>, ms = 60_000) => {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};
const tcpConnects = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.setTimeout(2000, () => (s.destroy(), resolve(false)));
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

describe('lab', () => {
  it('registers exactly the three broker ids in ZooKeeper, with a controller', async () => {
    const reg = await registration();
    expect(reg.brokerIds).toEqual([1, 2, 3]);
    expect([1, 2, 3]).toContain(reg.controller);
  });

  it('shows three brokers and a controller through kafkajs describeCluster', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      expect(cluster.controller).not.toBeNull();
      expect(cluster.clusterId).toMatch(/\S+/);
    } finally {
      await admin.disconnect();
    }
  });

  it('produces 1,000 messages with acks=-1 to a replication-factor-3 topic and consumes them back', async () => {
    const topic = uniqueName('lab-rf3');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions.every((p) => p.replicas.length === 3)).toBe(true);
    await admin.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 1000 }, (_, i) => ({ key: `k${i % 50}`, value: `m${i}` }));
    await producer.send({ topic, acks: -1, messages });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('lab-group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen = new Set<string>();
    await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
    await waitUntil('1,000 messages consumed', async () => seen.size === 1000);
    await consumer.disconnect();
    expect(seen.size).toBe(1000);
  });

  it('runs a command on every host over SSH, verifying host keys against the generated known_hosts', async () => {
    const knownHosts = readFileSync(inv.hosts[0].knownHostsFile!, 'utf8').trim().split('\n');
    expect(knownHosts).toHaveLength(inv.hosts.length);
    for (const host of inv.hosts) {
      const entry = knownHosts.find((l) => l.startsWith(`[${host.address}]:${host.port} `))!;
      const pinned = entry.split(' ').slice(1).join(' ');
      const res = await sshExec(host, 'echo "$REKINDLE_LAB_HOST"', pinned);
      expect(res).toMatchObject({ code: 0, stdout: `${host.name}\n` });
    }
  });

  it('refuses a host whose key does not match the pinned one', async () => {
    const [a, b] = inv.hosts;
    await expect(sshExec(a, 'true', b.hostKey)).rejects.toThrow(/Host denied \(verification failed\)/);
  });

  it('stops broker 2 through its host control command, and starts it again', async () => {
    const host = labHost('kafka-2');
    try {
      const stop = await sshExec(host, `${host.control} stop`);
      expect(stop.stdout).toMatch(/stopped/);
      expect((await registration()).brokerIds).toEqual([1, 3]);
      const again = await sshExec(host, `${host.control} stop`);
      expect(again.stdout).toMatch(/already stopped/);
    } finally {
      await sshExec(host, `${host.control} start`);
      await waitUntil('broker 2 registered', async () => (await registration()).brokerIds.includes(2));
    }
    expect((await registration()).brokerIds).toEqual([1, 2, 3]);
  });

  it('isolates broker 3: its client port refuses connections while SSH to its host still works', async () => {
    const host = labHost('kafka-3');
    const port = inv.kafka.brokers[2].port;
    try {
      expect((await sshExec(host, `${host.control} isolate`)).code).toBe(0);
      expect(await tcpConnects(port)).toBe(false);
      expect(await tcpConnects(inv.kafka.brokers[2].internalPort)).toBe(true);
      expect(await tcpConnects(inv.kafka.brokers[2].adminPort!)).toBe(true);
      expect((await sshExec(host, `${host.control} isolated`)).stdout.trim()).toBe('isolated');
    } finally {
      await sshExec(host, `${host.control} unisolate`);
    }
    expect(await tcpConnects(port)).toBe(true);
  });

  it('runs a trivial workflow on the lab Temporal server through a real Worker', async () => {
    const taskQueue = uniqueName('lab-trivial');
    const connection = await Connection.connect({ address: temporalAddress() });
    const nativeConnection = await NativeConnection.connect({ address: temporalAddress() });
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../support/workflows/trivial'),
      activities: { echo: async (s: string) => s.toUpperCase() },
    });
    const client = new Client({ connection });
    const result = await worker.runUntil(
      client.workflow.execute('trivialWorkflow', { taskQueue, workflowId: taskQueue, args: ['lab'] }),
    );
    expect(result).toBe('hello LAB');
    await connection.close();
    await nativeConnection.close();
  });

  it('reports every component with pid and address in `lab status --json`', () => {
    const c = labConfigOrThrow();
    const out = execFileSync('npx', ['tsx', join(c.repoDir, 'lab', 'cli.ts'), 'status', '--json'], {
      encoding: 'utf8',
    });
    const status = JSON.parse(out) as { components: Array<Record<string, unknown>>; inventory: string };
    expect(status.inventory).toBe(join(c.stateDir, 'inventory.yaml'));
    expect(status.components.map((x) => x.kind).sort()).toEqual([
      'kafka',
      'kafka',
      'kafka',
      'ssh',
      'ssh',
      'ssh',
      'ssh',
      'temporal',
      'zookeeper',
    ]);
    for (const comp of status.components) {
      expect(comp).toEqual({
        name: expect.any(String),
        kind: expect.any(String),
        pid: expect.any(Number),
        host: '127.0.0.1',
        port: expect.any(Number),
        up: true,
      });
    }
  });
});
