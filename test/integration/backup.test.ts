/**
 * backup.create / select / restore-logs against the lab: a topic held only by broker 1 is backed up
 * (broker stopped and restarted for the copy), broker 1's log dir is wiped, restored from the set, and
 * every message comes back. Plus idempotency and each error type with its retryability.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { Kafka, logLevel } from 'kafkajs';
import type { Inventory } from '../../compiler/inventory';
import { createActionImpls, createResources } from '../../activities';
import { readManifest } from '../../activities/backup';
import { detachedContext, runAction, type ActionImpl } from '../../activities/errors';
import { createZnodeReader } from '../../activities/zookeeper';
import { labInventory, request, testContext, uniqueName } from '../support/ssh';

/** A manifest as free-form JSON, the way whoever can write the store may edit it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tampering tests reach into any field
type FreeJson = Record<string, any>;

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
  await admin.createTopics({
    topics: [
      {
        topic,
        replicaAssignment: [
          { partition: 0, replicas: [1] },
          { partition: 1, replicas: [1] },
        ],
      },
    ],
    waitForLeaders: true,
  });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: expected.map((value, i) => ({ key: String(i), value })) });
  await producer.disconnect();
});

afterAll(async () => {
  await acts['service.start'](request(inv, { waitTimeout: '3m' }, { item: BROKER }), detachedContext()).catch(
    () => undefined,
  );
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  await res.sshPool.close();
  await res.zkPool.close();
  await res.kafkaPool.close();
  rmSync(store, { recursive: true, force: true });
});

describe('backup.create → wipe → backup.restore-logs', () => {
  let setId = '';
  let manifestSha256 = '';

  it('creates a set with the ZooKeeper export, broker 1 log dir, checksums and cluster id; a second call returns it unchanged', async () => {
    const ctx = testContext();
    const r = await acts['backup.create'](
      request(inv, { label: 'itest', brokers: [1], window: 'rolling', offsets: false }, { stepId: 'create' }),
      ctx,
    );
    expect(r.changed).toBe(true);
    setId = String(r.outputs.backupSet);
    manifestSha256 = String(r.outputs.manifestSha256);
    // The hash recorded in the run's history is the hash of the manifest as written.
    expect(
      createHash('sha256')
        .update(readFileSync(String(r.outputs.manifest)))
        .digest('hex'),
    ).toBe(manifestSha256);
    const m = readManifest(String(r.outputs.path));
    const clusterId = JSON.parse(
      (await createZnodeReader(res.zkPool).get(inv.zookeeper.connect, `${inv.zookeeper.chroot}/cluster/id`))!,
    ).id;
    expect(m.clusterId).toBe(clusterId);
    expect(m.zookeeper?.nodeCount).toBeGreaterThan(10);
    expect(m.kafka?.brokers.map((b) => b.id)).toEqual([1]);
    const files = m.kafka!.brokers[0].logDirs[0].files.map((f) => f.path);
    expect(files).toContain('meta.properties');
    expect(files).toContain(`${topic}-0/00000000000000000000.log`);
    expect(m.files.map((f) => f.path)).toEqual(['zookeeper.json', 'kafka/broker-1/logdir-0.tar']);
    // Broker 1 was stopped for the copy and is registered again.
    expect((await acts['service.status'](request(inv, {}, { item: BROKER }), testContext())).outputs).toMatchObject({
      running: true,
      registered: true,
    });
    expect(ctx.heartbeats.length).toBeGreaterThan(0);

    const again = await acts['backup.create'](
      request(inv, { label: 'itest', brokers: [1], window: 'rolling', offsets: false }, { stepId: 'create' }),
      testContext(),
    );
    expect(again).toMatchObject({ changed: false, outputs: { backupSet: setId, manifestSha256 } });
  });

  it('selects that set (trusted by the hash backup.create returned) with its own ZooKeeper export', async () => {
    const r = await acts['backup.select'](
      request(inv, { backupSet: setId, manifestSha256, maxSkew: '5m' }),
      testContext(),
    );
    expect(r).toMatchObject({
      changed: false,
      outputs: { backupSet: setId, manifestSha256, zookeeper: { backupSet: setId } },
    });
    expect(Number(r.outputs.skewMs)).toBeLessThan(60_000);
  });

  it('refuses to restore while the broker runs (SERVICE_RUNNING, non-retryable)', async () => {
    const f = await failure(acts['backup.restore-logs'], inv, { backup: setId, manifestSha256 }, BROKER);
    expect(f.type).toBe('SERVICE_RUNNING');
    expect(f.nonRetryable).toBe(true);
  });

  it('restores a wiped log dir; a second restore is a no-op; every message is back', async () => {
    const logDir = BROKER.logDirs[0];
    try {
      await acts['service.stop'](request(inv, {}, { item: BROKER }), testContext());
      // Never wipe under a live broker: it must be gone from /brokers/ids and its process stopped.
      expect((await acts['service.status'](request(inv, {}, { item: BROKER }), testContext())).outputs).toMatchObject({
        running: false,
        registered: false,
      });
      await acts['ssh.exec'](
        request(inv, { command: `rm -rf ${logDir} && mkdir -p ${logDir}` }, { item: BROKER }),
        testContext(),
      );
      const r = await acts['backup.restore-logs'](
        request(inv, { backup: setId, manifestSha256 }, { item: BROKER }),
        testContext(),
      );
      expect(r.changed).toBe(true);
      expect(Number(r.outputs.files)).toBeGreaterThan(3);
      expect((r.outputs.movedAside as string[])[0]).toContain('.before-restore-');
      const again = await acts['backup.restore-logs'](
        request(inv, { backup: setId, manifestSha256 }, { item: BROKER }),
        testContext(),
      );
      expect(again.changed).toBe(false);
      await acts['ssh.exec'](
        request(inv, { command: `rm -rf ${logDir}.before-restore-*` }, { item: BROKER }),
        testContext(),
      );
    } finally {
      await acts['service.start'](request(inv, { waitTimeout: '3m' }, { item: BROKER }), testContext());
    }
    expect(await consumeAll()).toEqual(expected);
    // And the kafka family agrees: counts and content checksums match what the manifest recorded.
    const verified = await acts['kafka.verify-data'](request(inv, { backup: setId, topics: [topic] }), testContext());
    expect(verified.outputs).toMatchObject({ ok: true, partitions: 2, messages: N });
  });

  describe('refusals, each before the broker host changes (broker 1 stopped, so only the guard stands in the way)', () => {
    const logDir = BROKER.logDirs[0];
    /** Every file under the log dir and beside it, with its SHA-256: what a refusal must leave as it is. */
    const hostState = async () =>
      (
        await acts['ssh.exec'](
          request(
            inv,
            { command: `cd ${logDir}/.. && find . -type f | LC_ALL=C sort | xargs sha256sum` },
            { item: BROKER },
          ),
          testContext(),
        )
      ).outputs.stdout;
    /** A copy of the set under a new id, its manifest edited (as whoever writes the store could); returns the id and the copy's own hash. */
    const copySet = (edit: (m: FreeJson) => void = () => undefined, where = store) => {
      const id = uniqueName(`${setId}-copy`);
      cpSync(join(store, setId), join(where, id), { recursive: true });
      const m = JSON.parse(readFileSync(join(where, id, 'manifest.json'), 'utf8')) as FreeJson;
      m.id = id;
      edit(m);
      const text = JSON.stringify(m);
      writeFileSync(join(where, id, 'manifest.json'), text);
      return { id, sha256: createHash('sha256').update(text).digest('hex') };
    };
    beforeAll(async () => {
      await acts['service.stop'](request(inv, {}, { item: BROKER }), testContext());
    });
    afterAll(async () => {
      await acts['service.start'](request(inv, { waitTimeout: '3m' }, { item: BROKER }), testContext());
    });

    it.each([
      ['an absolute path', 'BACKUP_REF_OUTSIDE_STORE', () => ({ backup: join(store, setId), manifestSha256 })],
      [
        'a path climbing out with ..',
        'BACKUP_REF_OUTSIDE_STORE',
        () => ({ backup: `../${basename(store)}/${setId}`, manifestSha256 }),
      ],
      [
        'a symlink in the store to a set outside it',
        'BACKUP_REF_OUTSIDE_STORE',
        () => {
          const out = mkdtempSync(join(tmpdir(), 'rekindle-outside-'));
          const copy = copySet(undefined, out);
          const link = uniqueName('link');
          symlinkSync(join(out, copy.id), join(store, link));
          return { backup: link, manifestSha256: copy.sha256 };
        },
      ],
      [
        'a manifest rewritten after the backup (recorded hash given)',
        'BACKUP_MANIFEST_TAMPERED',
        () => ({ backup: copySet().id, manifestSha256 }),
      ],
      [
        'a manifest no backup run recorded (no history outside Temporal, no hash given)',
        'BACKUP_MANIFEST_UNRECORDED',
        () => ({ backup: setId }),
      ],
      [
        'a (trusted) manifest whose archive path leads out of the set',
        'BACKUP_REF_OUTSIDE_STORE',
        () => {
          const c = copySet((m) => (m.kafka.brokers[0].logDirs[0].archive = '../../../etc/passwd'));
          return { backup: c.id, manifestSha256: c.sha256 };
        },
      ],
      [
        'an archive whose bytes differ from the manifest',
        'BACKUP_CORRUPT',
        () => {
          const c = copySet();
          const archive = join(store, c.id, 'kafka/broker-1/logdir-0.tar');
          const bytes = readFileSync(archive);
          bytes[bytes.length - 1] ^= 0xff;
          writeFileSync(archive, bytes);
          return { backup: c.id, manifestSha256: c.sha256 };
        },
      ],
    ] as Array<[string, string, () => Record<string, unknown>]>)(
      '%s is refused with %s, non-retryable, the host untouched',
      async (_l, type, inputs) => {
        const before = await hostState();
        const f = await failure(acts['backup.restore-logs'], inv, inputs(), BROKER);
        expect({ type: f.type, nonRetryable: f.nonRetryable }).toEqual({ type, nonRetryable: true });
        expect(await hostState()).toBe(before);
      },
    );

    it("a manifest naming another log dir restores into the inventory's (with a finding); the other path is never touched", async () => {
      const victim = mkdtempSync(join(tmpdir(), 'rekindle-victim-'));
      writeFileSync(join(victim, 'precious'), 'keep me');
      const c = copySet((m) => (m.kafka.brokers[0].logDirs[0].logDir = victim));
      const r = await acts['backup.restore-logs'](
        request(inv, { backup: c.id, manifestSha256: c.sha256 }, { item: BROKER }),
        testContext(),
      );
      expect(r.changed).toBe(true);
      expect(r.outputs.findings).toEqual([{ kind: 'manifest-path-ignored', message: expect.stringContaining(victim) }]);
      expect(readdirSync(victim)).toEqual(['precious']);
      expect(readdirSync(join(victim, '..')).filter((n) => n.startsWith(basename(victim)))).toEqual([basename(victim)]);
      await acts['ssh.exec'](
        request(inv, { command: `rm -rf ${logDir}.before-restore-*` }, { item: BROKER }),
        testContext(),
      );
    });
  });
});

describe('backup.create errors', () => {
  // A store under a regular file cannot be created (ENOTDIR). Not /proc: Node's recursive mkdir spins there.
  const notADir = join(store, 'not-a-dir');
  beforeAll(() => writeFileSync(notADir, 'x'));
  it.each([
    [
      'an unwritable store',
      { ...lab, backupStore: join(notADir, 'store') },
      { brokers: [1], logs: false },
      'BACKUP_STORE_UNWRITABLE',
    ],
    ['an unknown broker id', inv, { brokers: [42] }, 'INVALID_INPUT'],
    ['an unknown window', inv, { window: 'lukewarm' }, 'INVALID_INPUT'],
  ])('%s fails with the expected type (non-retryable)', async (_n, inventory, inputs, type) => {
    const f = await failure(acts['backup.create'], inventory as Inventory, inputs);
    expect(f.type).toBe(type);
    expect(f.nonRetryable).toBe(true);
  });
});
