/**
 * backup.create / select / restore-logs against the lab: a topic held only by broker 1 is backed up
 * (broker stopped and restarted for the copy), broker 1's log dir is wiped, restored from the set, and
 * every message comes back. Plus idempotency and each error type with its retryability.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { Kafka, logLevel } from 'kafkajs';
import type { Inventory } from '../../compiler/inventory';
import { createActionImpls, createResources } from '../../activities';
import { readManifest } from '../../activities/backup';
import { detachedContext, runAction, type ActionImpl } from '../../activities/errors';
import { createZnodeReader } from '../../activities/zookeeper';
import { labInventory, request, testContext, uniqueName } from '../support/ssh';

jest.setTimeout(240_000);

const lab = labInventory();
const store = mkdtempSync(join(tmpdir(), 'rekindle-backup-test-'));
const inv: Inventory = { ...lab, backupStore: store };
const res = createResources({});
const acts = createActionImpls({}, res);
const BROKER = inv.kafka.brokers.find((b) => b.id === 1)!;
const kafka = new Kafka({ clientId: 'backup-test', brokers: inv.kafka.bootstrap, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const topic = uniqueName('backup');
const N = 500;

async function failure(impl: ActionImpl, inventory: Inventory, inputs: Record<string, unknown>, item?: unknown) {
  const err = await runAction(impl, () => detachedContext())(request(inventory, inputs, { item })).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

/** Waits until every partition of the topic has a leader again (the controller elects it after registration). */
async function waitForLeaders(): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await admin.fetchTopicOffsets(topic).then(
      () => true,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${topic} has no leader 60 s after the restart`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

async function consumeAll(): Promise<string[]> {
  await waitForLeaders();
  const consumer = kafka.consumer({ groupId: uniqueName('backup-check') });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${seen.length} of ${N} messages came back`)), 120_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(String(message.value));
        if (seen.length >= N) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen.sort();
}

const expected = Array.from({ length: N }, (_, i) => `message-${String(i).padStart(4, '0')}`).sort();

beforeAll(async () => {
  await admin.connect();
  // Held by broker 1 alone: wiping its log dir really loses the data, so only the restore brings it back.
  await admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [1] }, { partition: 1, replicas: [1] }] }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: expected.map((value, i) => ({ key: String(i), value })) });
  await producer.disconnect();
});

afterAll(async () => {
  await acts['service.start'](request(inv, { waitTimeout: '3m' }, { item: BROKER }), detachedContext()).catch(() => undefined);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  await res.sshPool.close();
  await res.zkPool.close();
  await res.kafkaPool.close();
  rmSync(store, { recursive: true, force: true });
});

describe('backup.create → wipe → backup.restore-logs', () => {
  let setId = '';

  it('creates a set with the ZooKeeper export, broker 1 log dir, checksums and cluster id; a second call returns it unchanged', async () => {
    const ctx = testContext();
    const r = await acts['backup.create'](request(inv, { label: 'itest', brokers: [1], window: 'rolling', offsets: false }, { stepId: 'create' }), ctx);
    expect(r.changed).toBe(true);
    setId = String(r.outputs.backupSet);
    const m = readManifest(String(r.outputs.path));
    const clusterId = JSON.parse((await createZnodeReader(res.zkPool).get(inv.zookeeper.connect, `${inv.zookeeper.chroot}/cluster/id`))!).id;
    expect(m.clusterId).toBe(clusterId);
    expect(m.zookeeper?.nodeCount).toBeGreaterThan(10);
    expect(m.kafka?.brokers.map((b) => b.id)).toEqual([1]);
    const files = m.kafka!.brokers[0].logDirs[0].files.map((f) => f.path);
    expect(files).toContain('meta.properties');
    expect(files).toContain(`${topic}-0/00000000000000000000.log`);
    expect(m.files.map((f) => f.path)).toEqual(['zookeeper.json', 'kafka/broker-1/logdir-0.tar']);
    // Broker 1 was stopped for the copy and is registered again.
    expect((await acts['service.status'](request(inv, {}, { item: BROKER }), testContext())).outputs).toMatchObject({ running: true, registered: true });
    expect(ctx.heartbeats.length).toBeGreaterThan(0);

    const again = await acts['backup.create'](request(inv, { label: 'itest', brokers: [1], window: 'rolling', offsets: false }, { stepId: 'create' }), testContext());
    expect(again).toMatchObject({ changed: false, outputs: { backupSet: setId } });
  });

  it('selects that set with its own ZooKeeper export', async () => {
    const r = await acts['backup.select'](request(inv, { maxSkew: '5m' }), testContext());
    expect(r).toMatchObject({ changed: false, outputs: { backupSet: setId, zookeeper: { backupSet: setId } } });
    expect(Number(r.outputs.skewMs)).toBeLessThan(60_000);
  });

  it('refuses to restore while the broker runs (SERVICE_RUNNING, non-retryable)', async () => {
    const f = await failure(acts['backup.restore-logs'], inv, { backup: setId }, BROKER);
    expect(f.type).toBe('SERVICE_RUNNING');
    expect(f.nonRetryable).toBe(true);
  });

  it('restores a wiped log dir; a second restore is a no-op; every message is back', async () => {
    const logDir = BROKER.logDirs[0];
    try {
      await acts['service.stop'](request(inv, {}, { item: BROKER }), testContext());
      // Never wipe under a live broker: it must be gone from /brokers/ids and its process stopped.
      expect((await acts['service.status'](request(inv, {}, { item: BROKER }), testContext())).outputs).toMatchObject({ running: false, registered: false });
      await acts['ssh.exec'](request(inv, { command: `rm -rf ${logDir} && mkdir -p ${logDir}` }, { item: BROKER }), testContext());
      const r = await acts['backup.restore-logs'](request(inv, { backup: setId }, { item: BROKER }), testContext());
      expect(r.changed).toBe(true);
      expect(Number(r.outputs.files)).toBeGreaterThan(3);
      expect((r.outputs.movedAside as string[])[0]).toContain('.before-restore-');
      const again = await acts['backup.restore-logs'](request(inv, { backup: setId }, { item: BROKER }), testContext());
      expect(again.changed).toBe(false);
      await acts['ssh.exec'](request(inv, { command: `rm -rf ${logDir}.before-restore-*` }, { item: BROKER }), testContext());
    } finally {
      await acts['service.start'](request(inv, { waitTimeout: '3m' }, { item: BROKER }), testContext());
    }
    expect(await consumeAll()).toEqual(expected);
    // And the kafka family agrees: counts and content checksums match what the manifest recorded.
    const verified = await acts['kafka.verify-data'](request(inv, { backup: setId, topics: [topic] }), testContext());
    expect(verified.outputs).toMatchObject({ ok: true, partitions: 2, messages: N });
  });

  it('refuses an archive whose bytes differ from the manifest (BACKUP_CORRUPT, non-retryable)', async () => {
    const bad = `${setId}-tampered`;
    cpSync(join(store, setId), join(store, bad), { recursive: true });
    const archive = join(store, bad, 'kafka/broker-1/logdir-0.tar');
    const bytes = readFileSync(archive);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(archive, bytes);
    const f = await failure(acts['backup.restore-logs'], inv, { backup: bad }, BROKER);
    expect(f.type).toBe('BACKUP_CORRUPT');
    expect(f.nonRetryable).toBe(true);
    rmSync(join(store, bad), { recursive: true, force: true });
  });
});

describe('backup.select decisions (manifests written by hand)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-select-'));
  const selInv: Inventory = { ...lab, backupStore: dir };
  const set = (id: string, zkAt?: string, kafkaFrom?: string, kafkaTo?: string) => {
    mkdirSync(join(dir, id), { recursive: true });
    const m = {
      format: 'rekindle-backup/1',
      id,
      cluster: 'lab',
      clusterId: 'x',
      createdAt: zkAt ?? kafkaFrom,
      completedAt: kafkaTo ?? zkAt,
      createdBy: { workflowId: 'w', stepId: id },
      ...(zkAt ? { zookeeper: { file: 'zookeeper.json', sha256: '0', exportedAt: zkAt } } : {}),
      ...(kafkaFrom ? { kafka: { window: 'cold', startedAt: kafkaFrom, finishedAt: kafkaTo, brokers: [] } } : {}),
      files: [],
    };
    writeFileSync(join(dir, id, 'manifest.json'), JSON.stringify(m));
  };
  beforeAll(() => {
    set('a-kafka-only', undefined, '2026-01-01T10:00:00Z', '2026-01-01T10:02:00Z'); // kafka time 10:01
    set('b-zk-near', '2026-01-01T10:01:30Z');
    set('c-zk-far', '2026-01-01T12:00:00Z');
    set('d-both', '2026-01-01T12:00:00Z', '2026-01-01T12:30:00Z', '2026-01-01T12:30:00Z');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [{ before: '2026-01-01T11:00:00Z', maxSkew: '1m' }, 'a-kafka-only', 'b-zk-near', 30_000],
    [{ backupSet: 'a-kafka-only', maxSkew: '1m' }, 'a-kafka-only', 'b-zk-near', 30_000],
  ])('%j picks Kafka %s with ZooKeeper %s', async (inputs, kafkaSet, zkSet, skew) => {
    const r = await acts['backup.select'](request(selInv, inputs), testContext());
    expect(r.outputs).toMatchObject({ backupSet: kafkaSet, zookeeper: { backupSet: zkSet }, skewMs: skew });
  });

  it.each([
    [{ maxSkew: '10m' }, 'BACKUP_SETS_OUT_OF_SYNC'], // latest = d-both (12:30) vs nearest ZooKeeper 12:00
    [{ backupSet: 'nope' }, 'BACKUP_NOT_FOUND'],
    [{ before: '2020-01-01T00:00:00Z' }, 'BACKUP_NOT_FOUND'],
    [{ before: 'yesterday' }, 'INVALID_INPUT'],
    [{ maxSkew: 'lots' }, 'INVALID_INPUT'],
  ])('%j fails with %s (non-retryable)', async (inputs, type) => {
    const f = await failure(acts['backup.select'], selInv, inputs);
    expect(f.type).toBe(type);
    expect(f.nonRetryable).toBe(true);
  });
});

describe('backup.create errors', () => {
  // A store under a regular file cannot be created (ENOTDIR). Not /proc: Node's recursive mkdir spins there.
  const notADir = join(store, 'not-a-dir');
  beforeAll(() => writeFileSync(notADir, 'x'));
  it.each([
    ['an unwritable store', { ...lab, backupStore: join(notADir, 'store') }, { brokers: [1], logs: false }, 'BACKUP_STORE_UNWRITABLE'],
    ['an unknown broker id', inv, { brokers: [42] }, 'INVALID_INPUT'],
    ['an unknown window', inv, { window: 'lukewarm' }, 'INVALID_INPUT'],
  ])('%s fails with the expected type (non-retryable)', async (_n, inventory, inputs, type) => {
    const f = await failure(acts['backup.create'], inventory as Inventory, inputs);
    expect(f.type).toBe(type);
    expect(f.nonRetryable).toBe(true);
  });
});
