/**
 * kafka.preflight against the lab: its real ZooKeeper, and the brokers' log dirs read over the real
 * sshd. Mismatches are planted in scratch copies of the log dirs (reached over SSH like the real ones),
 * never in a running broker's files.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inventory } from '../../compiler/inventory';
import { uniqueName } from '../support/lab';
import { createTopic, kafkaHarness } from '../support/kafka';
import { failureOf } from '../support/zk';

const store = mkdtempSync(join(tmpdir(), 'rekindle-preflight-test-'));
const h = kafkaHarness(store);
const topics: string[] = [];
const topic = (prefix: string) => {
  const t = uniqueName(prefix);
  topics.push(t);
  return t;
};

afterAll(async () => {
  await (await h.admin()).deleteTopics({ topics }).catch(() => undefined);
  await h.close();
});

describe('kafka.preflight', () => {
  /**
   * Copies of every broker's meta.properties and partition.metadata files into scratch log dirs,
   * reached over SSH like the real ones, so mismatches can be planted without touching a broker.
   */
  function scratchInventory(): { inv: Inventory; dirs: Record<number, string> } {
    const dirs: Record<number, string> = {};
    const brokers = h.inventory.kafka.brokers.map((b) => {
      const dir = mkdtempSync(join(tmpdir(), `rekindle-preflight-b${b.id}-`));
      const src = b.logDirs[0];
      copyFileSync(join(src, 'meta.properties'), join(dir, 'meta.properties'));
      for (const p of readdirSync(src)) {
        if (!existsSync(join(src, p, 'partition.metadata'))) continue;
        mkdirSync(join(dir, p));
        copyFileSync(join(src, p, 'partition.metadata'), join(dir, p, 'partition.metadata'));
      }
      dirs[b.id] = dir;
      return { ...b, logDirs: [dir] };
    });
    return { inv: { ...h.inventory, kafka: { ...h.inventory.kafka, brokers } }, dirs };
  }
  const edit = (file: string, from: RegExp, to: string) =>
    writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));

  test('the live lab passes: cluster.id, broker.id, topic ids and controller epoch agree; read-only', async () => {
    const t = topic('preflight');
    await createTopic(await h.admin(), t, 2);
    const a = await h.act('kafka.preflight')(h.req({}));
    const b = await h.act('kafka.preflight')(h.req({}));
    for (const r of [a, b])
      expect(r).toMatchObject({ changed: false, outputs: { ok: true, clusterId: expect.any(String), logDirs: 3 } });
    expect(a.outputs.partitionDirs as number).toBeGreaterThanOrEqual(6);
  });

  test.each<[string, (s: ReturnType<typeof scratchInventory>) => void, string]>([
    [
      'a mismatched cluster.id in one meta.properties',
      (s) => edit(join(s.dirs[2], 'meta.properties'), /cluster\.id=.*/, 'cluster.id=AAAAAAAAAAAAAAAAAAAAAA'),
      'KAFKA_CLUSTER_ID_MISMATCH',
    ],
    [
      'a meta.properties with another broker.id',
      (s) => edit(join(s.dirs[1], 'meta.properties'), /broker\.id=.*/, 'broker.id=7'),
      'KAFKA_BROKER_ID_MISMATCH',
    ],
    [
      'a partition.metadata with another topic id',
      (s) => {
        const p = readdirSync(s.dirs[3]).find((d) => d.startsWith('__consumer_offsets-') || /-\d+$/.test(d)) as string;
        edit(join(s.dirs[3], p, 'partition.metadata'), /topic_id: .*/, 'topic_id: AAAAAAAAAAAAAAAAAAAAAA');
      },
      'KAFKA_TOPIC_ID_MISMATCH',
    ],
  ])('catches %s (non-retryable)', async (_l, plant, type) => {
    const s = scratchInventory();
    expect((await h.act('kafka.preflight')(h.req({}, {}, s.inv))).outputs.ok).toBe(true);
    plant(s);
    const f = await failureOf(h.act('kafka.preflight')(h.req({}, {}, s.inv)));
    expect(f).toMatchObject({ type, retryable: false });
    expect((f.details as { failures: string[] }).failures).toHaveLength(1);
  });

  test('fails when the inventory has no ZooKeeper (INVALID_INPUT)', async () => {
    const inv = { ...h.inventory, zookeeper: undefined as never };
    expect(await failureOf(h.act('kafka.preflight')(h.req({}, {}, inv)))).toMatchObject({
      type: 'INVALID_INPUT',
      retryable: false,
    });
  });
});
