/**
 * zookeeper.restore-files from a set backup.create made with `zookeeperFiles: true` (the lab's real
 * ZooKeeper's snapshot and logs, copied over SSH), onto a scratch node on the real zk-1 host whose server
 * is stopped (a closed port). What goes in place must be listed in the set's trusted manifest: a file
 * changed in the store, a rewritten manifest or a reference out of the store is refused before
 * version-2 moves aside.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inventory } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { createActionImpls, createResources } from '../../activities';
import { detachedContext, runAction } from '../../activities/errors';
import { labInventory, uniqueName } from '../support/lab';
import { failureOf } from '../support/zk';

jest.setTimeout(180_000);

const store = mkdtempSync(join(tmpdir(), 'rekindle-zkfiles-store-'));
const lab: Inventory = { ...labInventory(), backupStore: store };
const res = createResources({});
const impls = createActionImpls({}, res);
const act = (name: string) => runAction(impls[name], () => detachedContext());
const req = (inputs: Record<string, unknown>, inv: Inventory = lab): ActionRequest => ({
  workflowId: 'zk-files',
  stepId: uniqueName('step'),
  mode: 'drill',
  dryRun: false,
  inputs,
  inventory: inv as never,
});

/** A stopped node (closed port) on the real zk-1 host with scratch data dirs holding old files. */
function scratchNode(): { inv: Inventory; dataDir: string; dataLogDir: string } {
  const base = mkdtempSync(join(tmpdir(), 'rekindle-zkfiles-'));
  const dataDir = join(base, 'data');
  const dataLogDir = join(base, 'txlog');
  mkdirSync(join(dataDir, 'version-2'), { recursive: true });
  mkdirSync(join(dataLogDir, 'version-2'), { recursive: true });
  writeFileSync(join(dataDir, 'myid'), '1\n');
  writeFileSync(join(dataDir, 'version-2', 'snapshot.old'), 'stale');
  writeFileSync(join(dataLogDir, 'version-2', 'log.old'), 'stale');
  const node = { ...lab.zookeeper.nodes[0], clientPort: 1, dataDir, dataLogDir };
  return { inv: { ...lab, zookeeper: { ...lab.zookeeper, nodes: [node] } }, dataDir, dataLogDir };
}

let setId = '';
let manifestSha256 = '';

beforeAll(async () => {
  const r = await act('backup.create')(req({ label: 'zkfiles', logs: false, offsets: false, zookeeperFiles: true }));
  setId = String(r.outputs.backupSet);
  manifestSha256 = String(r.outputs.manifestSha256);
});
afterAll(async () => {
  await res.sshPool.close();
  await res.zkPool.close();
  await res.kafkaPool.close();
});

test("backup.create lists the node's snapshot and logs; restore-files puts them in place, keeps myid; a second call changes nothing", async () => {
  const m = JSON.parse(readFileSync(join(store, setId, 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> };
  const listed = m.files.map((f) => f.path).filter((p) => p.startsWith('zookeeper-files/'));
  expect(listed.some((p) => /snapshot\.[0-9a-f]+$/.test(p))).toBe(true);
  const n = scratchNode();
  const a = await act('zookeeper.restore-files')(req({ backup: setId, manifestSha256 }, n.inv));
  expect(a).toMatchObject({ changed: true, outputs: { manifestSha256 } });
  const placed = [...readdirSync(join(n.dataDir, 'version-2')), ...readdirSync(join(n.dataLogDir, 'version-2'))].map(
    (f) => `zookeeper-files/${f}`,
  );
  expect(placed.sort()).toEqual([...listed].sort());
  expect(readFileSync(join(n.dataDir, 'myid'), 'utf8')).toBe('1\n');
  expect(readFileSync(join(n.dataDir, String(a.outputs.movedAside), 'snapshot.old'), 'utf8')).toBe('stale');
  const b = await act('zookeeper.restore-files')(req({ backup: setId, manifestSha256 }, n.inv));
  expect(b).toMatchObject({ changed: false, outputs: { changedNodes: [] } });
});

test.each([
  ['a file changed in the store', 'file', 'BACKUP_CORRUPT'],
  ['an extra file not in the manifest', 'extra', 'BACKUP_CORRUPT'],
  ['a rewritten manifest', 'manifest', 'BACKUP_MANIFEST_TAMPERED'],
  ['a reference out of the store', 'outside', 'BACKUP_REF_OUTSIDE_STORE'],
  ['a directory that is not a set', 'bare', 'BACKUP_NOT_FOUND'],
  ['a ZooKeeper server still answering', 'running', 'SERVICE_RUNNING'],
])('%s (%s) is refused with %s before version-2 moves', async (_l, kind, type) => {
  const n = scratchNode();
  const copy = uniqueName('copy');
  const dir = join(store, copy);
  mkdirSync(join(dir, 'zookeeper-files'), { recursive: true });
  const m = JSON.parse(readFileSync(join(store, setId, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  m.id = copy;
  for (const f of m.files as Array<{ path: string }>)
    if (f.path.startsWith('zookeeper-files/'))
      writeFileSync(join(dir, f.path), readFileSync(join(store, setId, f.path)));
  const text = JSON.stringify(m);
  writeFileSync(join(dir, 'manifest.json'), text);
  let inputs: Record<string, unknown> = {
    backup: copy,
    manifestSha256: createHash('sha256').update(text).digest('hex'),
  };
  let inv = n.inv;
  if (kind === 'file') {
    const snap = readdirSync(join(dir, 'zookeeper-files')).find((f) => f.startsWith('snapshot.'))!;
    writeFileSync(join(dir, 'zookeeper-files', snap), 'not the snapshot');
  }
  if (kind === 'extra') writeFileSync(join(dir, 'zookeeper-files', 'log.ffffffff'), 'injected transactions');
  if (kind === 'manifest') writeFileSync(join(dir, 'manifest.json'), text.replace('"zkfiles"', '"rewritten"'));
  if (kind === 'outside') inputs = { ...inputs, backup: join(store, copy) };
  if (kind === 'bare') {
    const bare = uniqueName('bare');
    mkdirSync(join(store, bare));
    inputs = { backup: bare };
  }
  if (kind === 'running') inv = lab;
  expect(await failureOf(act('zookeeper.restore-files')(req(inputs, inv)))).toMatchObject({ type, retryable: false });
  expect(readdirSync(join(n.dataDir, 'version-2'))).toEqual(['snapshot.old']);
  expect(readdirSync(join(n.dataLogDir, 'version-2'))).toEqual(['log.old']);
  expect(existsSync(join(n.dataDir, 'myid'))).toBe(true);
});
