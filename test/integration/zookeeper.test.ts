/**
 * The ZooKeeper family against the lab's real ZooKeeper. Every test works under its own root
 * (/rekindle-test-…), never the lab's /kafka chroot, and removes it afterwards.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createClient, CreateMode } from 'node-zookeeper-client';
import type { Inventory } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { detachedContext, runAction } from '../../activities/errors';
import { ZkClient, ZkPool } from '../../activities/zookeeper/client';
import { readLive } from '../../activities/zookeeper/compare';
import { zookeeperImpls } from '../../activities/zookeeper/index';
import { SshPool, SshShell } from '../../activities/ssh/index';
import { absPath } from '../../activities/zookeeper/paths';
import { labInventory, uniqueName } from '../support/lab';
import { failureOf, NODES_PER_TOPIC, SEEDED_EXCLUDED, seedKafkaTree, wipeTree } from '../support/zk';

const store = mkdtempSync(join(tmpdir(), 'rekindle-zk-test-'));
const inventory: Inventory = { ...labInventory(), backupStore: store };
const pool = new ZkPool({ connectTimeoutMs: 3000 });
const sshPool = new SshPool();
const impls = zookeeperImpls({ pool, backupStore: store, remote: new SshShell(sshPool) });
const act = (name: string) => runAction(impls[name], () => detachedContext());
const roots: string[] = [];
let client: ZkClient;
/** A backup reference: the path relative to the store (absolute ones are refused). */
const ref = (file: string) => relative(store, file);

function req(
  inputs: Record<string, unknown>,
  extra: Partial<ActionRequest> = {},
  inv: Inventory = inventory,
): ActionRequest {
  return {
    workflowId: 'zk-test',
    stepId: uniqueName('step'),
    mode: 'drill',
    dryRun: false,
    inputs,
    inventory: inv as never,
    ...extra,
  };
}

function newRoot(): string {
  const r = `/${uniqueName('rekindle-test')}`;
  roots.push(r);
  return r;
}

/** An inventory whose ZooKeeper answers nowhere (a closed port). */
function deadInventory(): Inventory {
  const zk = {
    ...inventory.zookeeper,
    connect: '127.0.0.1:1',
    nodes: inventory.zookeeper.nodes.map((n) => ({ ...n, clientPort: 1 })),
  };
  return { ...inventory, zookeeper: zk };
}

beforeAll(async () => {
  client = await pool.get(inventory.zookeeper.connect);
});

afterAll(async () => {
  for (const r of roots) await wipeTree(client, r).catch(() => undefined);
  await pool.close();
  await sshPool.close();
});

describe('zookeeper.check', () => {
  test('reports mode, leader, zxid and node count; a second call is the same and changes nothing', async () => {
    const a = await act('zookeeper.check')(req({}));
    const b = await act('zookeeper.check')(req({}));
    for (const r of [a, b]) {
      expect(r.changed).toBe(false);
      expect(r.outputs).toMatchObject({ healthy: true, quorum: true, leader: 1, mode: 'standalone' });
      expect(r.outputs.zxid).toMatch(/^0x[0-9a-f]+$/);
      expect(r.outputs.nodeCount).toBeGreaterThan(5);
    }
  });

  test.each([
    ['no server answers', () => req({}, {}, deadInventory()), 'ZK_UNHEALTHY', true],
    [
      'the inventory has no ZooKeeper',
      () => req({}, {}, { ...inventory, zookeeper: undefined as never }),
      'INVALID_INPUT',
      false,
    ],
  ])('fails when %s', async (_label, build, type, retryable) => {
    expect(await failureOf(act('zookeeper.check')(build()))).toMatchObject({ type, retryable });
  });

  test('with expectQuorum: false, reports the dead ensemble as evidence instead of failing', async () => {
    const r = await act('zookeeper.check')(req({ expectQuorum: false }, {}, deadInventory()));
    expect(r.outputs).toMatchObject({ healthy: false, quorum: false });
    expect((r.outputs.nodes as Array<{ up: boolean }>)[0].up).toBe(false);
  });
});

describe('zookeeper.export', () => {
  test('writes data, ACLs and stats with a checksum, skips ephemeral nodes; a second call changes nothing', async () => {
    const root = newRoot();
    await seedKafkaTree(client, root, 3);
    const other = await ZkClient.open(inventory.zookeeper.connect);
    const eph = createClient(inventory.zookeeper.connect);
    try {
      await other.create(absPath(root, '/secured'), Buffer.from('s'), undefined);
      await new Promise<void>((resolve) => {
        eph.once('connected', () => resolve());
        eph.connect();
      });
      await new Promise<void>((resolve, reject) =>
        eph.create(absPath(root, '/brokers/ids/9'), Buffer.from('{}'), CreateMode.EPHEMERAL, (e) =>
          e ? reject(e) : resolve(),
        ),
      );
      const file = join(store, `${root.slice(1)}.json`);
      const a = await act('zookeeper.export')(req({ chroot: root, destination: file }));
      expect(a.changed).toBe(true);
      expect(a.outputs.nodeCount).toBe(3 * NODES_PER_TOPIC + 23 + 1);
      const body = readFileSync(file);
      expect(readFileSync(`${file}.sha256`, 'utf8')).toMatch(new RegExp(`^${a.outputs.sha256}  `));
      const doc = JSON.parse(body.toString('utf8')) as {
        nodes: Array<{ path: string; acl: unknown[]; stat: { mzxid: string } }>;
      };
      const paths = doc.nodes.map((n) => n.path);
      expect(paths).not.toContain('/brokers/ids/9');
      expect(paths).toContain('/controller');
      expect(doc.nodes.find((n) => n.path === '/cluster/id')).toMatchObject({
        acl: [{ perms: 31, scheme: 'world', id: 'anyone' }],
        stat: { mzxid: expect.stringMatching(/^0x/) },
      });
      const b = await act('zookeeper.export')(req({ chroot: root, destination: file }));
      expect(b).toMatchObject({
        changed: false,
        outputs: { sha256: a.outputs.sha256, nodeCount: a.outputs.nodeCount },
      });
    } finally {
      eph.close();
      other.close();
    }
  });

  test.each([
    ['the root does not exist', () => req({ chroot: '/rekindle-test-absent-root' }), 'ZK_NO_NODE', false],
    ['the root is not a path', () => req({ chroot: 'kafka' }), 'INVALID_INPUT', false],
    [
      'ZooKeeper does not answer',
      () => req({ chroot: '/x', destination: join(store, 'dead.json') }, {}, deadInventory()),
      'ZK_UNAVAILABLE',
      true,
    ],
  ])('fails when %s', async (_label, build, type, retryable) => {
    expect(await failureOf(act('zookeeper.export')(build()))).toMatchObject({ type, retryable });
  });
});

describe('zookeeper.restore', () => {
  test('round trip of 20,000+ znodes: export, wipe, restore, verified; exclusions absent; epoch raised; second run is a no-op', async () => {
    const root = newRoot();
    const topics = Math.ceil(20_000 / NODES_PER_TOPIC);
    const seeded = await seedKafkaTree(client, root, topics);
    expect(seeded).toBeGreaterThanOrEqual(20_000);
    const file = join(store, `${root.slice(1)}.json`);
    const exported = await act('zookeeper.export')(req({ chroot: root, destination: file }));
    expect(exported.outputs.nodeCount).toBe(seeded);
    await wipeTree(client, root);
    expect(await client.exists(root)).toBeNull();

    const trusted = { backup: ref(file), sha256: exported.outputs.sha256, chroot: root };
    const dry = await act('zookeeper.restore')(req(trusted, { dryRun: true }));
    expect(dry).toMatchObject({ changed: false, outputs: { dryRun: true, planned: { create: seeded - 12 } } });
    expect(await client.exists(root)).toBeNull();

    const t0 = Date.now();
    const r = await act('zookeeper.restore')(req(trusted));
    const ms = Date.now() - t0;
    expect(r.changed).toBe(true);
    expect(r.outputs).toMatchObject({ verified: seeded - 12, created: seeded - 12, excluded: 12, controllerEpoch: 7 });
    expect(r.outputs.batches as number).toBeGreaterThan(1);
    console.log(
      `zookeeper.restore: ${seeded} znodes in ${ms} ms (${r.outputs.batches} transactions, write ${r.outputs.writeMs} ms)`,
    );

    const live = await readLive(client, root);
    for (const rel of SEEDED_EXCLUDED) expect(live.has(rel)).toBe(false);
    expect(live.size).toBe(seeded - 12);
    expect((await client.getData(absPath(root, '/controller_epoch'))).data.toString()).toBe('7');
    expect((await client.getData(absPath(root, '/config/topics/t-5'))).data.toString()).toContain('3600005');

    const again = await act('zookeeper.restore')(req(trusted));
    expect(again).toMatchObject({ changed: false, outputs: { created: 0, updated: 0, verified: seeded - 12 } });
  }, 600_000); // several full-tree walks of 20k znodes; minutes when the shared machine is loaded

  test('repairs only what differs, and prunes (by default) znodes the backup does not have', async () => {
    const root = newRoot();
    await seedKafkaTree(client, root, 2);
    const file = join(store, `${root.slice(1)}.json`);
    const exported = await act('zookeeper.export')(req({ chroot: root, destination: file }));
    await client.setData(absPath(root, '/config/topics/t-1'), Buffer.from('tampered'));
    await client.remove(absPath(root, '/brokers/topics/t-0/partitions/3/state'));
    await client.create(absPath(root, '/config/topics/rogue'), Buffer.from('x'));
    const r = await act('zookeeper.restore')(req({ backup: ref(file), sha256: exported.outputs.sha256, chroot: root }));
    expect(r.outputs).toMatchObject({ created: 1, updated: 2, deleted: 1 }); // updated: t-1 and the raised epoch
    expect(await client.exists(absPath(root, '/config/topics/rogue'))).toBeNull();
    expect((await client.getData(absPath(root, '/config/topics/t-1'))).data.toString()).toContain('3600001');
  });

  test.each([
    ['a broker is registered under the target', 'broker', 'ZK_BROKERS_REGISTERED', false],
    ['the backup was altered', 'corrupt', 'BACKUP_CORRUPT', false],
    ['the backup does not exist', 'missing', 'BACKUP_NOT_FOUND', false],
    ['no backup is named', 'none', 'INVALID_INPUT', false],
  ])('refuses when %s', async (_label, kind, type, retryable) => {
    const root = newRoot();
    await seedKafkaTree(client, root, 1);
    const file = join(store, `${root.slice(1)}.json`);
    const exported = await act('zookeeper.export')(req({ chroot: root, destination: file }));
    if (kind === 'broker') await client.create(absPath(root, '/brokers/ids/1'), Buffer.from('{}'));
    if (kind === 'corrupt')
      writeFileSync(file, readFileSync(file, 'utf8').replace('"exportedAt":"2', '"exportedAt":"1'));
    const inputs =
      kind === 'none'
        ? { chroot: root }
        : { backup: ref(kind === 'missing' ? `${file}.nope` : file), sha256: exported.outputs.sha256, chroot: root };
    const f = await failureOf(act('zookeeper.restore')(req(inputs)));
    expect(f).toMatchObject({ type, retryable });
    if (kind === 'broker') expect(f.details).toMatchObject({ brokerIds: ['1'] });
  });
});

describe('zookeeper.diff', () => {
  test('names added, removed and changed znodes; identical after a restore; always changed: false', async () => {
    const root = newRoot();
    await seedKafkaTree(client, root, 2);
    const file = join(store, `${root.slice(1)}.json`);
    await act('zookeeper.export')(req({ chroot: root, destination: file }));
    const same = await act('zookeeper.diff')(req({ backup: ref(file), chroot: root }));
    expect(same).toMatchObject({ changed: false, outputs: { identical: true } });
    await client.create(absPath(root, '/config/topics/new'), Buffer.from('{}'));
    await client.remove(absPath(root, '/config/topics/t-0'));
    await client.setData(absPath(root, '/cluster/id'), Buffer.from('{"version":"1","id":"other"}'));
    await client.create(absPath(root, '/isr_change_notification/isr_change_0000000002'), Buffer.from('{}'));
    const d = await act('zookeeper.diff')(req({ backup: ref(file), chroot: root }));
    expect(d).toMatchObject({
      changed: false,
      outputs: {
        identical: false,
        counts: { added: 1, removed: 1, changed: 1 },
        added: ['/config/topics/new'],
        removed: ['/config/topics/t-0'],
        changed: ['/cluster/id'],
      },
    });
    expect(d.outputs.volatile).toEqual(['/isr_change_notification/isr_change_0000000002']);
    const narrowed = await act('zookeeper.diff')(
      req({ backup: ref(file), chroot: root, exclude: ['/config', '/cluster'] }),
    );
    expect(narrowed.outputs).toMatchObject({ identical: true });
  });

  test.each([
    [
      'the backup is missing',
      (root: string) => req({ backup: 'absent.json', chroot: root }),
      'BACKUP_NOT_FOUND',
      false,
    ],
    [
      'the limit is negative',
      (root: string) => req({ backup: 'x.json', chroot: root, limit: -1 }),
      'INVALID_INPUT',
      false,
    ],
  ])('fails when %s', async (_label, build, type, retryable) => {
    expect(await failureOf(act('zookeeper.diff')(build(newRoot())))).toMatchObject({ type, retryable });
  });

  test('an unreachable ensemble is a finding, not a failure: nothing compared, and the summary says so', async () => {
    const root = newRoot();
    await seedKafkaTree(client, root, 1);
    const file = join(store, `${root.slice(1)}.json`);
    await act('zookeeper.export')(req({ chroot: root, destination: file }));
    const r = await act('zookeeper.diff')(req({ backup: ref(file), chroot: root }, {}, deadInventory()));
    expect(r).toMatchObject({
      changed: false,
      outputs: { reachable: false, identical: false, added: [], removed: [], changed: [] },
    });
    expect(r.outputs.findings).toEqual([
      {
        kind: 'zookeeper-unreachable',
        message: expect.stringMatching(/^ZooKeeper 127\.0\.0\.1:1 unreachable since at least \d{4}-/),
      },
    ]);
    expect(r.summary).toMatch(new RegExp(`^${root} NOT compared with .*: ZooKeeper 127\\.0\\.0\\.1:1 unreachable`));
  });
});
