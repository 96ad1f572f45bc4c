/**
 * ZooKeeper restore throughput: a Kafka-shaped tree of 20,000+ znodes under a private root of the
 * lab's ZooKeeper is exported, wiped and restored with `zookeeper.restore` (batched transactions,
 * parents first), then wiped and created again one request at a time (each create awaited before
 * the next, the naive loop) and, for fairness, with the same single creates pipelined 64 deep.
 * All in the same run; writes the "ZooKeeper restore" section of bench/RESULTS.md.
 *
 * Run: npx tsx bench/zookeeper-restore.ts [topics]   (needs the lab: npm run lab -- up)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detachedContext } from '../activities/errors';
import { ZkPool } from '../activities/zookeeper/client';
import type { ZkClient } from '../activities/zookeeper/client';
import { zookeeperImpls } from '../activities/zookeeper/index';
import { commitBatches, planBatches } from '../activities/zookeeper/batch';
import type { WriteOp } from '../activities/zookeeper/batch';
import { readLabInventory } from '../lab/inventory';
import { kafkaTreeOps, NODES_PER_TOPIC, wipeTree } from '../lab/zk-tree';
import { measuredOn, writeSection } from './results';

const SECTION = '## ZooKeeper restore (bench/zookeeper-restore.ts)';

async function oneAtATime(client: ZkClient, ops: WriteOp[]): Promise<number> {
  const t0 = Date.now();
  for (const op of ops) if (op.kind === 'create') await client.create(op.path, op.data);
  return Date.now() - t0;
}

/** Single creates, `depth` in flight, a node only after its parent was created. */
async function pipelined(client: ZkClient, ops: WriteOp[], depth: number): Promise<number> {
  const t0 = Date.now();
  const byDepth = new Map<number, WriteOp[]>();
  for (const op of ops) {
    const d = op.path.split('/').length;
    byDepth.set(d, [...(byDepth.get(d) ?? []), op]);
  }
  for (const d of [...byDepth.keys()].sort((a, b) => a - b)) {
    const level = byDepth.get(d) as WriteOp[];
    let next = 0;
    const worker = async () => {
      while (next < level.length) {
        const op = level[next++];
        if (op.kind === 'create') await client.create(op.path, op.data);
      }
    };
    await Promise.all(Array.from({ length: depth }, worker));
  }
  return Date.now() - t0;
}

async function main(): Promise<void> {
  const topics = Number(process.argv[2] ?? Math.ceil(20_000 / NODES_PER_TOPIC));
  const inventory = readLabInventory();
  const pool = new ZkPool();
  const store = mkdtempSync(join(tmpdir(), 'rekindle-bench-zk-'));
  const impls = zookeeperImpls({ pool, backupStore: store });
  const client = await pool.get(inventory.zookeeper.connect);
  const root = `/rekindle-bench-${Date.now().toString(36)}`;
  const req = (inputs: Record<string, unknown>) => ({
    workflowId: 'bench',
    stepId: 'zk',
    mode: 'drill' as const,
    dryRun: false,
    inputs,
    inventory: inventory as never,
  });
  try {
    const ops = kafkaTreeOps(root, topics);
    const file = join(store, 'export.json');
    const seedT0 = Date.now();
    await commitBatches(client, planBatches(ops));
    const seedMs = Date.now() - seedT0;
    const exp = await impls['zookeeper.export'](req({ chroot: root, destination: file }), detachedContext());
    const n = exp.outputs.znodes as number;
    await wipeTree(client, root);

    const t0 = Date.now();
    const r = await impls['zookeeper.restore'](req({ backup: file, chroot: root, batchSize: 1000 }), detachedContext());
    const restoreMs = Date.now() - t0;
    const restored = r.outputs.created as number;
    const writeMs = r.outputs.writeMs as number;
    await wipeTree(client, root);

    const creates = ops.filter(
      (o) =>
        !/\/(controller|admin\/delete_topics|admin\/reassign_partitions|isr_change_notification|log_dir_event_notification|config\/changes|kafka-acl-changes)(\/|$)/.test(
          o.path.slice(root.length),
        ),
    );
    const singleMs = await oneAtATime(client, creates);
    await wipeTree(client, root);
    const pipeMs = await pipelined(client, creates, 64);
    await wipeTree(client, root);

    const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);
    const body = [
      SECTION,
      `Tree: ${n} znodes exported (${topics} topics × ${NODES_PER_TOPIC} + Kafka top-level paths); ${restored} restored (${n - restored} excluded by the Kafka rules). Lab ZooKeeper 3.8 standalone on loopback; seeding took ${seedMs} ms.`,
      `- \`zookeeper.restore\`, batched transactions (${r.outputs.batches} × ≤1000 ops, parents first): **${restoreMs} ms** end to end including reading the backup, walking the live tree and verifying node by node; the write phase alone **${writeMs} ms = ${rate(restored, writeMs)} znodes/s**`,
      `- The same ${creates.length} creates one request at a time (each awaited): **${singleMs} ms = ${rate(creates.length, singleMs)} znodes/s**`,
      `- The same single creates pipelined 64 deep, level by level: **${pipeMs} ms = ${rate(creates.length, pipeMs)} znodes/s**`,
      `- Ratio, write phase: batched is **${(singleMs / writeMs).toFixed(1)}×** faster than one at a time and **${(pipeMs / writeMs).toFixed(1)}×** faster than pipelined singles; the whole verified restore is **${(singleMs / restoreMs).toFixed(1)}×** the speed of the unverified one-at-a-time loop.`,
      `- ${measuredOn()}.`,
    ].join('\n');
    writeSection(SECTION, body);
    console.log(body);
  } finally {
    await wipeTree(client, root).catch(() => undefined);
    await pool.close();
    rmSync(store, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
