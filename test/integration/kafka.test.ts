/**
 * The Kafka family against the lab's three real brokers (and its ZooKeeper and sshd for preflight).
 * Topics, groups and files are unique per test. The health test stops broker 3 through its host's
 * control command and always starts it again (and waits for it) in finally. Preflight: kafka-preflight.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inventory } from '../../compiler/inventory';
import { digestTopics } from '../../activities/kafka/index';
import { uniqueName } from '../support/lab';
import { brokerControl, createTopic, kafkaHarness, produce, waitBrokers } from '../support/kafka';
import { failureOf } from '../support/zk';

const store = mkdtempSync(join(tmpdir(), 'rekindle-kafka-test-'));
const h = kafkaHarness(store);
const topics: string[] = [];
const topic = (prefix: string) => {
  const t = uniqueName(prefix);
  topics.push(t);
  return t;
};
const dead = (): Inventory => ({
  ...h.inventory,
  kafka: { ...h.inventory.kafka, bootstrap: ['127.0.0.1:1'], adminBootstrap: ['127.0.0.1:1'] },
});
const deadZk = (): Inventory => ({ ...h.inventory, zookeeper: { ...h.inventory.zookeeper, connect: '127.0.0.1:1' } });
const noKafka = (): Inventory => ({ ...h.inventory, kafka: undefined as never });

afterAll(async () => {
  await (await h.admin()).deleteTopics({ topics }).catch(() => undefined);
  await h.close();
});

describe('kafka.snapshot-state', () => {
  test('captures brokers, controller, cluster id, topics with ISR, configs, ACL status, groups and offsets; read-only', async () => {
    const t = topic('snap');
    const admin = await h.admin();
    await createTopic(admin, t, 2);
    const group = uniqueName('snap-group');
    await admin.setOffsets({ groupId: group, topic: t, partitions: [{ partition: 1, offset: '0' }] });
    const a = await h.act('kafka.snapshot-state')(h.req({}));
    const b = await h.act('kafka.snapshot-state')(h.req({}));
    for (const r of [a, b])
      expect(r).toMatchObject({ changed: false, outputs: { brokers: [1, 2, 3], controller: expect.any(Number) } });
    const doc = JSON.parse(readFileSync(a.outputs.path as string, 'utf8'));
    expect(doc.clusterId).toMatch(/^[\w-]{22}$/);
    const mine = doc.topics.find((x: { name: string }) => x.name === t);
    expect(mine.partitions).toHaveLength(2);
    expect(mine.partitions[0]).toMatchObject({ partition: 0, replicas: expect.any(Array), isr: expect.any(Array) });
    expect(doc.topicConfigs[t]).toEqual({ 'retention.ms': '-1' });
    expect(doc.acls).toEqual({ enabled: false, entries: [] });
    expect(doc.groups).toContainEqual(expect.objectContaining({ groupId: group, state: 'Empty' }));
    expect(doc.offsets).toContainEqual({ group, topic: t, partition: 1, offset: 0 });
  });

  // A dead or half-dead cluster is a finding, not a failure: kafka-snapshot-dead.test.ts.
  test.each([['the inventory has no Kafka', noKafka, 'INVALID_INPUT', false]])(
    'fails when %s',
    async (_l, inv, type, retryable) => {
      expect(await failureOf(h.act('kafka.snapshot-state')(h.req({}, {}, inv())))).toMatchObject({ type, retryable });
    },
  );
});

describe('kafka.health and kafka.wait-brokers', () => {
  test('healthy cluster; with broker 3 stopped: under-replicated and under-min-ISR partitions with evidence; healthy again after restart', async () => {
    const rf3 = topic('health-rf3');
    const strict = topic('health-minisr3');
    const admin = await h.admin();
    await createTopic(admin, rf3, 2);
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: strict,
          numPartitions: 1,
          replicationFactor: 3,
          configEntries: [{ name: 'min.insync.replicas', value: '3' }],
        },
      ],
    });
    const ok = await h.act('kafka.health')(h.req({ topics: [rf3, strict] }));
    expect(ok).toMatchObject({
      changed: false,
      outputs: { healthy: true, missing: [], offline: [], underReplicated: [], underMinIsr: [] },
    });
    expect((await h.act('kafka.health')(h.req({ topics: [rf3, strict] }))).outputs.healthy).toBe(true);
    expect(await h.act('kafka.wait-brokers')(h.req({}))).toMatchObject({
      changed: false,
      outputs: { registered: [1, 2, 3] },
    });

    try {
      expect((await brokerControl(3, 'stop')).code).toBe(0);
      await waitBrokers(admin, [3], false);
      // Metadata settles within seconds of the controlled shutdown; a transient KAFKA_UNAVAILABLE may come first.
      const settled = (x: { type: string; details: unknown }) =>
        x.type === 'KAFKA_UNHEALTHY' && (x.details as { underReplicated: unknown[] }).underReplicated.length >= 3;
      let f = await failureOf(h.act('kafka.health')(h.req({ topics: [rf3, strict] })));
      for (let i = 0; i < 30 && !settled(f); i++) {
        await new Promise((r) => setTimeout(r, 1000));
        f = await failureOf(h.act('kafka.health')(h.req({ topics: [rf3, strict] })));
      }
      expect(f).toMatchObject({ type: 'KAFKA_UNHEALTHY', retryable: true });
      const d = f.details as {
        missing: number[];
        underReplicated: Array<{ topic: string; isr: number[]; replicas: number[] }>;
        underMinIsr: Array<{ topic: string; minIsr: number }>;
        offline: unknown[];
      };
      expect(d.missing).toEqual([3]);
      expect(d.offline).toEqual([]);
      expect(d.underReplicated.map((p) => p.topic).sort()).toEqual([rf3, rf3, strict].sort());
      for (const p of d.underReplicated) expect(p.isr).not.toContain(3);
      expect(d.underMinIsr).toEqual([expect.objectContaining({ topic: strict, minIsr: 3 })]);

      const tolerated = await h.act('kafka.health')(
        h.req({ topics: [rf3], brokerIds: [1, 2], allowUnderReplicated: true }),
      );
      expect(tolerated).toMatchObject({ changed: false, outputs: { healthy: true } });
      expect((tolerated.outputs.underReplicated as unknown[]).length).toBe(2);

      expect(await failureOf(h.act('kafka.wait-brokers')(h.req({ within: 2000 })))).toMatchObject({
        type: 'KAFKA_BROKERS_NOT_READY',
        retryable: true,
        details: { missing: [3] },
      });
    } finally {
      await brokerControl(3, 'start');
      await waitBrokers(admin, [3], true);
    }
    expect(await h.act('kafka.wait-brokers')(h.req({ within: '60s' }))).toMatchObject({
      outputs: { registered: [1, 2, 3] },
    });
    let healthy = false;
    for (let i = 0; i < 60 && !healthy; i++) {
      healthy = await h
        .act('kafka.health')(h.req({ topics: [rf3, strict] }))
        .then(
          () => true,
          () => false,
        );
      if (!healthy) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(healthy).toBe(true);
  });

  test.each([
    ['health: no broker answers', 'kafka.health', {}, dead, 'KAFKA_UNAVAILABLE', true],
    ['health: topics is not a list', 'kafka.health', { topics: 'x' }, () => h.inventory, 'INVALID_INPUT', false],
    [
      'wait-brokers: ZooKeeper (the registry) does not answer within the limit',
      'kafka.wait-brokers',
      { within: 1500 },
      deadZk,
      'KAFKA_BROKERS_NOT_READY',
      true,
    ],
    [
      'wait-brokers: a broker id that does not exist',
      'kafka.wait-brokers',
      { brokerIds: [1, 99], within: 1500 },
      () => h.inventory,
      'KAFKA_BROKERS_NOT_READY',
      true,
    ],
    [
      'wait-brokers: a malformed limit',
      'kafka.wait-brokers',
      { within: 'soon' },
      () => h.inventory,
      'INVALID_INPUT',
      false,
    ],
  ])('%s', async (_l, action, inputs, inv, type, retryable) => {
    expect(await failureOf(h.act(action)(h.req(inputs, {}, inv())))).toMatchObject({ type, retryable });
  });
});

describe('kafka.smoke-test', () => {
  test('creates the canary topic once, then round-trips messages with acks=all every time', async () => {
    const t = topic('canary');
    const a = await h.act('kafka.smoke-test')(h.req({ topic: t, messages: 5 }));
    expect(a).toMatchObject({ changed: true, outputs: { created: true, produced: 5, consumed: 5 } });
    const b = await h.act('kafka.smoke-test')(h.req({ topic: t, messages: 5 }));
    expect(b).toMatchObject({ changed: false, outputs: { created: false, produced: 5, consumed: 5, baseOffset: 5 } });
    const [md] = (await (await h.admin()).fetchTopicMetadata({ topics: [t] })).topics;
    expect(md.partitions[0].replicas).toHaveLength(3);
  });

  test.each([
    ['no broker answers', { topic: 'x' }, dead, 'KAFKA_UNAVAILABLE', true],
    ['messages is out of range', { messages: 0 }, () => h.inventory, 'INVALID_INPUT', false],
  ])('fails when %s', async (_l, inputs, inv, type, retryable) => {
    expect(await failureOf(h.act('kafka.smoke-test')(h.req(inputs, {}, inv())))).toMatchObject({ type, retryable });
  });
});

describe('kafka.offsets-export', () => {
  test('writes group,topic,partition,offset rows; an unchanged second export changes nothing', async () => {
    const t = topic('export');
    const admin = await h.admin();
    await createTopic(admin, t, 2);
    await produce(
      h.kafka(),
      t,
      [0, 1, 1].map((p, i) => ({ partition: p, timestamp: Date.now(), value: `v${i}` })),
    );
    const group = uniqueName('export-group');
    await admin.setOffsets({
      groupId: group,
      topic: t,
      partitions: [
        { partition: 0, offset: '1' },
        { partition: 1, offset: '2' },
      ],
    });
    const destination = `offsets/${group}.csv`;
    const a = await h.act('kafka.offsets-export')(h.req({ groups: [group], destination }));
    expect(a).toMatchObject({ changed: true, outputs: { path: join(store, destination), rows: 2, groups: [group] } });
    expect(readFileSync(join(store, destination), 'utf8')).toBe(`${group},${t},0,1\n${group},${t},1,2\n`);
    expect((await h.act('kafka.offsets-export')(h.req({ groups: [group], destination }))).changed).toBe(false);
  });

  test.each([
    ['no broker answers', { groups: ['g'] }, dead, 'KAFKA_UNAVAILABLE', true],
    ['groups is not a list of names', { groups: [''] }, () => h.inventory, 'INVALID_INPUT', false],
  ])('fails when %s', async (_l, inputs, inv, type, retryable) => {
    expect(await failureOf(h.act('kafka.offsets-export')(h.req(inputs, {}, inv())))).toMatchObject({ type, retryable });
  });
});

describe('kafka.verify-data', () => {
  test('matches a manifest made from the same data; one extra message is a KAFKA_DATA_MISMATCH', async () => {
    const t = topic('verify');
    const admin = await h.admin();
    await createTopic(admin, t, 3);
    await produce(
      h.kafka(),
      t,
      Array.from({ length: 60 }, (_, i) => ({ partition: i % 3, timestamp: Date.now(), value: `m${i}`, key: `k${i}` })),
    );
    const partitions = await digestTopics(h.kafka(), admin, [t]);
    expect(partitions.map((p) => p.count)).toEqual([20, 20, 20]);
    const manifest = join(store, uniqueName('set'), 'manifest.json');
    mkdirSync(join(manifest, '..'));
    writeFileSync(manifest, JSON.stringify({ kafka: { partitions } }));
    const a = await h.act('kafka.verify-data')(h.req({ backup: join(manifest, '..') }));
    expect(a).toMatchObject({ changed: false, outputs: { ok: true, partitions: 3, messages: 60 } });
    expect((await h.act('kafka.verify-data')(h.req({ backup: manifest }))).outputs.ok).toBe(true);

    await produce(h.kafka(), t, [{ partition: 2, timestamp: Date.now(), value: 'late' }]);
    const f = await failureOf(h.act('kafka.verify-data')(h.req({ backup: manifest })));
    expect(f).toMatchObject({ type: 'KAFKA_DATA_MISMATCH', retryable: false });
    expect((f.details as { mismatches: Array<{ partition: number; actual: { count: number } }> }).mismatches).toEqual([
      expect.objectContaining({ topic: t, partition: 2, actual: expect.objectContaining({ count: 21, high: 21 }) }),
    ]);
  });

  test.each([
    ['the manifest does not exist', { backup: '/nonexistent/manifest.json' }, 'BACKUP_NOT_FOUND', false],
    ['no backup is named', {}, 'INVALID_INPUT', false],
  ])('fails when %s', async (_l, inputs, type, retryable) => {
    expect(await failureOf(h.act('kafka.verify-data')(h.req(inputs)))).toMatchObject({ type, retryable });
  });
});
