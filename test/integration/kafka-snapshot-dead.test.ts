/**
 * `kafka.snapshot-state` on a dead or half-dead cluster: it succeeds and reports what it could not reach
 * as findings with evidence (ports refused, since when). Every broker of the lab is really stopped
 * through its host's control command (and always started again, and waited for, in finally).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import type { Inventory } from '../../compiler/inventory';
import { uniqueName } from '../support/lab';
import { brokerControl, createTopic, kafkaHarness, waitBrokers } from '../support/kafka';
import { failureOf } from '../support/zk';

jest.setTimeout(6 * 60_000);

const store = mkdtempSync(join(tmpdir(), 'rekindle-snapshot-dead-'));
const h = kafkaHarness(store);
const ids = h.inventory.kafka.brokers.map((b) => b.id);
const withKafka = (k: Partial<Inventory['kafka']>): Inventory => ({
  ...h.inventory,
  kafka: { ...h.inventory.kafka, ...k },
});
const withZk = (connect: string): Inventory => ({ ...h.inventory, zookeeper: { ...h.inventory.zookeeper, connect } });

afterAll(() => h.close());

/** An admin once some broker accepts one again (the pool forgets a failed connect). */
async function adminWhenUp(timeoutMs = 120_000): Promise<Admin> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await h.admin();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

type Out = { findings: Array<{ kind: string; message: string }>; reachable: { brokers: string[]; kafka: boolean } };

describe('kafka.snapshot-state on a damaged cluster', () => {
  test('every broker stopped: succeeds, says no broker is reachable, names the refused ports and since when', async () => {
    const topic = uniqueName('snap-dead');
    await createTopic(await h.admin(), topic, 2);
    try {
      for (const id of ids) expect((await brokerControl(id, 'stop')).code).toBe(0);
      const first = await h.act('kafka.snapshot-state')(h.req({}));
      const again = await h.act('kafka.snapshot-state')(h.req({}));
      const out = again.outputs as unknown as Out;
      expect(again.changed).toBe(false);
      expect(out.reachable).toEqual({ brokers: [], kafka: false });
      expect(out.findings.map((f) => f.kind)).toEqual(['no-broker-reachable']);
      for (const addr of h.inventory.kafka.adminBootstrap ?? h.inventory.kafka.bootstrap) {
        expect(out.findings[0].message).toContain(`${addr} refused since`);
        expect(again.summary).toContain(`${addr} refused since`);
      }
      // "Since when" is the first refused probe this worker saw: the second snapshot keeps the first one's time.
      const doc = JSON.parse(readFileSync(again.outputs.path as string, 'utf8'));
      const firstDoc = JSON.parse(readFileSync(first.outputs.path as string, 'utf8'));
      expect(doc.probes[0].failingSince).toBe(firstDoc.probes[0].failingSince);
      expect(Date.parse(doc.probes[0].checkedAt)).toBeGreaterThan(Date.parse(doc.probes[0].failingSince));
      // ZooKeeper still answers: the snapshot carries the topics it records, with every partition offline.
      expect(doc.brokers).toEqual([]);
      expect(doc.topics.map((t: { name: string }) => t.name)).toContain(topic);
      expect(again.outputs.offline).toBeGreaterThanOrEqual(2);
    } finally {
      for (const id of ids) await brokerControl(id, 'start');
      const admin = await adminWhenUp();
      await waitBrokers(admin, ids, true);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    }
  });

  test.each([
    [
      'one of three brokers refused (a port nothing listens on)',
      () =>
        withKafka({
          adminBootstrap: [...(h.inventory.kafka.adminBootstrap ?? h.inventory.kafka.bootstrap), '127.0.0.1:1'],
        }),
      ['some-brokers-unreachable'],
      true,
    ],
    ['ZooKeeper unreachable, brokers fine', () => withZk('127.0.0.1:1'), ['zookeeper-unreachable'], true],
    [
      'no broker and no ZooKeeper',
      () => ({
        ...withZk('127.0.0.1:1'),
        kafka: { ...h.inventory.kafka, bootstrap: ['127.0.0.1:1'], adminBootstrap: ['127.0.0.1:1'] },
      }),
      ['no-broker-reachable', 'zookeeper-unreachable'],
      false,
    ],
  ])('%s: succeeds with findings', async (_label, inv, kinds, kafkaReached) => {
    const r = await h.act('kafka.snapshot-state')(h.req({}, {}, inv()));
    const out = r.outputs as unknown as Out;
    expect(out.findings.map((f) => f.kind)).toEqual(kinds);
    expect(out.reachable.kafka).toBe(kafkaReached);
    expect(r.summary).toContain('FINDINGS: ');
  });

  test('a healthy cluster has no findings', async () => {
    const r = await h.act('kafka.snapshot-state')(h.req({}));
    expect((r.outputs as unknown as Out).findings).toEqual([]);
    expect(r.summary).not.toContain('FINDINGS');
  });

  test.each<[string, () => Inventory, string, Record<string, unknown>]>([
    ['the inventory has no Kafka', () => ({ ...h.inventory, kafka: undefined as never }), 'INVALID_INPUT', {}],
    ['offsets is not a boolean', () => h.inventory, 'INVALID_INPUT', { offsets: 'yes' }],
  ])('still fails on bad input: %s', async (_l, inv, type, inputs) => {
    expect(await failureOf(h.act('kafka.snapshot-state')(h.req(inputs, {}, inv())))).toMatchObject({
      type,
      retryable: false,
    });
  });
});
