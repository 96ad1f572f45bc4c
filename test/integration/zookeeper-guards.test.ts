/**
 * zookeeper.restore refuses, before it changes anything, whatever could damage what is not its own: a
 * backup reference outside the store (absolute, `..`, a symlink out), a backup set whose manifest is not
 * the recorded one, a bare export without its trusted hash, a backup of another root, ensemble or Kafka
 * cluster id, and a prune of the ensemble root without `pruneRoot`. Against the lab's real ZooKeeper;
 * each case checks the target tree is exactly as it was (and a canary beside it survives).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Inventory } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { createActionImpls, createResources } from '../../activities';
import { detachedContext, runAction } from '../../activities/errors';
import { readLive } from '../../activities/zookeeper/compare';
import { absPath } from '../../activities/zookeeper/paths';
import { labInventory, uniqueName } from '../support/lab';
import { failureOf, seedKafkaTree, wipeTree } from '../support/zk';

jest.setTimeout(120_000);

const lab = labInventory();
const store = mkdtempSync(join(tmpdir(), 'rekindle-zk-guards-'));
const outside = mkdtempSync(join(tmpdir(), 'rekindle-zk-outside-'));
const res = createResources({});
const impls = createActionImpls({ backupStore: store }, res);
const act = (name: string) => runAction(impls[name], () => detachedContext());
const roots: string[] = [];
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function req(inputs: Record<string, unknown>, inv: Inventory = { ...lab, backupStore: store }): ActionRequest {
  return {
    workflowId: 'zk-guards',
    stepId: uniqueName('step'),
    mode: 'drill',
    dryRun: false,
    inputs,
    inventory: inv as never,
  };
}

/** A seeded root exported to `<store>/<name>.json`; returns the root, the file and the export's hash. */
async function exportedRoot(): Promise<{ root: string; file: string; sha256: string }> {
  const root = `/${uniqueName('rekindle-guard')}`;
  roots.push(root);
  const client = await res.zkPool.get(lab.zookeeper.connect);
  await seedKafkaTree(client, root, 1);
  const file = join(store, `${root.slice(1)}.json`);
  const r = await act('zookeeper.export')(req({ chroot: root, destination: file }));
  return { root, file, sha256: String(r.outputs.sha256) };
}

/** A backup set in the store holding `file` as its export, with a manifest; returns its id and the manifest's hash. */
function setOf(file: string, id = uniqueName('set')): { id: string; manifestSha256: string } {
  const dir = join(store, id);
  mkdirSync(dir);
  const body = readFileSync(file);
  writeFileSync(join(dir, 'zookeeper.json'), body);
  writeFileSync(join(dir, 'zookeeper.json.sha256'), `${sha(body)}  zookeeper.json\n`);
  const manifest = JSON.stringify({
    format: 'rekindle-backup/1',
    id,
    cluster: 'lab',
    clusterId: null,
    createdAt: new Date().toISOString(),
    completedAt: new Date().toISOString(),
    createdBy: { workflowId: 'zk-guards-backup', stepId: 'create' },
    zookeeper: { file: 'zookeeper.json', sha256: sha(body), exportedAt: new Date().toISOString() },
    files: [{ path: 'zookeeper.json', sha256: sha(body), bytes: body.length }],
  });
  writeFileSync(join(dir, 'manifest.json'), manifest);
  return { id, manifestSha256: sha(manifest) };
}

/** Rewrites an export (as whoever can write the store could) and its checksum file; returns the new hash. */
function rewriteExport(file: string, edit: (b: Record<string, unknown>) => void): string {
  const b = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(b);
  const body = JSON.stringify(b);
  writeFileSync(file, body);
  writeFileSync(`${file}.sha256`, `${sha(body)}  x\n`);
  return sha(body);
}

/** The tree under root as path → data, and whether a canary beside it survived. */
async function snapshot(root: string): Promise<string> {
  const client = await res.zkPool.get(lab.zookeeper.connect);
  const live = await readLive(client, root);
  return JSON.stringify([...live.entries()].map(([p, n]) => [p, n.data]).sort());
}

afterAll(async () => {
  const client = await res.zkPool.get(lab.zookeeper.connect);
  for (const r of roots) await wipeTree(client, r).catch(() => undefined);
  await res.sshPool.close();
  await res.zkPool.close();
  await res.kafkaPool.close();
});

describe('zookeeper.restore refuses before any change', () => {
  it.each([
    ['an absolute path', 'BACKUP_REF_OUTSIDE_STORE', (f: string) => f],
    ['a path climbing out with ..', 'BACKUP_REF_OUTSIDE_STORE', (f: string) => `../${relative(join(store, '..'), f)}`],
    [
      'a symlink in the store leading out of it',
      'BACKUP_REF_OUTSIDE_STORE',
      (f: string) => {
        const copy = join(outside, uniqueName('copy'));
        mkdirSync(copy);
        writeFileSync(join(copy, 'zookeeper.json'), readFileSync(f));
        writeFileSync(join(copy, 'zookeeper.json.sha256'), readFileSync(`${f}.sha256`));
        const link = uniqueName('link');
        symlinkSync(copy, join(store, link));
        return link;
      },
    ],
  ])('a reference that is %s is refused with %s', async (_l, type, refOf) => {
    const { root, file, sha256 } = await exportedRoot();
    const client = await res.zkPool.get(lab.zookeeper.connect);
    await client.create(absPath(root, '/config/topics/rogue'), Buffer.from('x'));
    const before = await snapshot(root);
    const f = await failureOf(act('zookeeper.restore')(req({ backup: refOf(file), sha256, chroot: root })));
    expect(f).toMatchObject({ type, retryable: false });
    expect(await snapshot(root)).toBe(before);
  });

  it.each([
    ['a set whose manifest was rewritten', 'tampered', 'BACKUP_MANIFEST_TAMPERED'],
    ['a set whose export no longer matches its (trusted) manifest', 'export', 'BACKUP_CORRUPT'],
    ['a bare export without its recorded sha256', 'bare', 'BACKUP_MANIFEST_UNRECORDED'],
    ['a bare export whose hash is not the recorded one', 'bare-wrong', 'BACKUP_CORRUPT'],
    ['a backup of another root', 'root', 'ZK_BACKUP_ROOT_MISMATCH'],
    ['a backup of another ensemble', 'ensemble', 'ZK_BACKUP_ENSEMBLE_MISMATCH'],
    ['a backup of another Kafka cluster id', 'cluster-id', 'ZK_BACKUP_CLUSTER_ID_MISMATCH'],
    ['a prune of the ensemble root without pruneRoot', 'prune-root', 'ZK_PRUNE_ROOT_REFUSED'],
  ])('%s (%s) is refused with %s', async (_l, kind, type) => {
    const { root, file, sha256 } = await exportedRoot();
    const client = await res.zkPool.get(lab.zookeeper.connect);
    await client.create(absPath(root, '/config/topics/rogue'), Buffer.from('x'));
    let inputs: Record<string, unknown> = { backup: relative(store, file), sha256, chroot: root };
    let inv: Inventory = { ...lab, backupStore: store };
    if (kind === 'tampered' || kind === 'export') {
      const set = setOf(file);
      const target = join(store, set.id, kind === 'tampered' ? 'manifest.json' : 'zookeeper.json');
      if (kind === 'tampered')
        writeFileSync(target, readFileSync(target, 'utf8').replace('"cluster":"lab"', '"cluster":"lab "'));
      else rewriteExport(target, (b) => (b.exportedAt = '1999-01-01T00:00:00Z'));
      inputs = { backup: set.id, manifestSha256: set.manifestSha256, chroot: root };
    }
    if (kind === 'bare') delete inputs.sha256;
    if (kind === 'bare-wrong') inputs.sha256 = 'b'.repeat(64);
    if (kind === 'root') {
      const other = `/${uniqueName('rekindle-guard-other')}`;
      roots.push(other);
      await seedKafkaTree(client, other, 1);
      inputs.chroot = other;
    }
    if (kind === 'ensemble') inputs.sha256 = rewriteExport(file, (b) => (b.connect = '10.0.0.9:2181'));
    if (kind === 'cluster-id')
      await client.setData(absPath(root, '/cluster/id'), Buffer.from('{"version":"1","id":"another-cluster"}'));
    if (kind === 'prune-root') {
      inputs = { backup: relative(store, file), sha256, allowMismatch: ['root'] };
      const { chroot: _none, ...noChroot } = lab.zookeeper;
      inv = { ...inv, zookeeper: noChroot as Inventory['zookeeper'] };
    }
    const watched = kind === 'root' ? String(inputs.chroot) : root;
    const before = await snapshot(watched);
    const f = await failureOf(act('zookeeper.restore')(req(inputs, inv)));
    expect(f).toMatchObject({ type, retryable: false });
    expect(await snapshot(watched)).toBe(before);
    // The lab's own Kafka chroot, a tenant beside every test root, is untouched too.
    expect(await client.exists(lab.zookeeper.chroot ?? '/kafka')).not.toBeNull();
  });

  it('each mismatch can be accepted explicitly: allowMismatch [clusterId] restores (and a set with its trusted hash restores)', async () => {
    const { root, file } = await exportedRoot();
    const client = await res.zkPool.get(lab.zookeeper.connect);
    await client.setData(absPath(root, '/cluster/id'), Buffer.from('{"version":"1","id":"another-cluster"}'));
    const set = setOf(file);
    const r = await act('zookeeper.restore')(
      req({ backup: set.id, manifestSha256: set.manifestSha256, chroot: root, allowMismatch: ['clusterId'] }),
    );
    expect(r).toMatchObject({ changed: true, outputs: { manifestSha256: set.manifestSha256 } });
    expect((await client.getData(absPath(root, '/cluster/id'))).data.toString()).toContain('seeded-cluster-id');
  });
});
