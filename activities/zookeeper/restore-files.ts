/**
 * `zookeeper.restore-files`: a file-level restore over SSH with every ZooKeeper server stopped. On
 * each node it moves `version-2` aside (under dataDir and dataLogDir), puts the snapshot and the
 * transaction logs that follow it in place, and keeps `myid`. A node whose version-2 already holds
 * exactly these files is left alone (`changed: false`).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Inventory, InventoryZkNode } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { InvalidInputError } from '../errors';
import type { ActionContext } from '../errors';
import type { RemoteHosts, ZookeeperDeps } from './deps';
import { BackupCorruptError, BackupNotFoundError, ZkRemoteStepError, ZkServersRunningError } from './errors';
import { sha256 } from './format';
import { fourLetter } from './four-letter';
import type { ActionInputs, ResultOf } from '../../compiler/actions';
import { storeDir, targetHost } from '../inputs';
import { confinedRef } from '../store-ref';
import { zkInventory } from './inputs';

/** Quotes a value for POSIX sh. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

interface LocalFile {
  name: string;
  path: string;
  sha256: string;
}

/** The snapshot and log files in `dir`; throws BACKUP_NOT_FOUND when there is no snapshot. */
async function localFiles(dir: string): Promise<LocalFile[]> {
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((n) => /^(snapshot|log)\.[0-9a-f]+$/.test(n))
    .sort();
  if (!names.some((n) => n.startsWith('snapshot.')))
    throw new BackupNotFoundError(dir, { reason: 'no snapshot.<zxid> file' });
  return Promise.all(
    names.map(async (name) => ({ name, path: join(dir, name), sha256: sha256(await readFile(join(dir, name))) })),
  );
}

interface Remote {
  hosts: RemoteHosts;
  inventory: Record<string, unknown>;
  host: string;
}

async function run(r: Remote, step: string, cmd: string): Promise<string> {
  const out = await r.hosts.exec(r.inventory, r.host, cmd, { timeoutMs: 120_000, maxOutputBytes: 1 << 20 });
  if (out.exitCode !== 0)
    throw new ZkRemoteStepError(r.host, step, { exitCode: out.exitCode, stderr: out.stderr.slice(-2000) });
  return out.stdout;
}

/** sha256 of every file now in the node's version-2 dirs, keyed by name. */
async function remoteSums(r: Remote, node: InventoryZkNode): Promise<Map<string, string>> {
  const dirs = [...new Set([node.dataDir, node.dataLogDir])].map((d) => shq(`${d}/version-2`)).join(' ');
  const out = await run(
    r,
    'checksum',
    `for d in ${dirs}; do [ -d "$d" ] && (cd "$d" && find . -maxdepth 1 -type f -exec sha256sum {} +); done; true`,
  );
  const sums = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^([0-9a-f]{64})\s+\.\/(.+)$/.exec(line.trim());
    if (m) sums.set(m[2], m[1]);
  }
  return sums;
}

async function restoreNode(r: Remote, node: InventoryZkNode, files: LocalFile[], stamp: string): Promise<boolean> {
  const sums = await remoteSums(r, node);
  if (sums.size === files.length && files.every((f) => sums.get(f.name) === f.sha256)) return false;
  const aside = [...new Set([node.dataDir, node.dataLogDir])]
    .map(
      (d) =>
        `if [ -d ${shq(`${d}/version-2`)} ]; then mv ${shq(`${d}/version-2`)} ${shq(`${d}/version-2.rekindle-${stamp}`)}; fi; mkdir -p ${shq(`${d}/version-2`)}`,
    )
    .join(' && ');
  await run(r, 'move version-2 aside', aside);
  for (const f of files) {
    const dir = f.name.startsWith('snapshot.') ? node.dataDir : node.dataLogDir;
    await r.hosts.upload(r.inventory, r.host, f.path, `${dir}/version-2/${f.name}`);
  }
  const after = await remoteSums(r, node);
  const bad = files.filter((f) => after.get(f.name) !== f.sha256).map((f) => f.name);
  if (bad.length > 0) throw new ZkRemoteStepError(r.host, 'verify copied files', { files: bad });
  return true;
}

/** Sub-directory of a backup set that holds the ZooKeeper data files. */
export const SET_FILES_DIR = 'zookeeper-files';

/** The backup set inside the store (BACKUP_REF_OUTSIDE_STORE otherwise); its files are in `zookeeper-files/`. */
function sourceSet(deps: ZookeeperDeps, request: ActionRequest, ref: string): { setDir: string; source: string } {
  const setDir = confinedRef(storeDir(request, deps.backupStore), ref);
  if (!existsSync(join(setDir, 'manifest.json')) || !existsSync(join(setDir, SET_FILES_DIR))) {
    throw new BackupNotFoundError(ref, {
      reason: `not a backup set with ${SET_FILES_DIR}/ (backup.create with zookeeperFiles: true makes one)`,
    });
  }
  return { setDir, source: join(setDir, SET_FILES_DIR) };
}

/**
 * Every file to put in place must be listed, with this SHA-256, by the set's trusted manifest.
 * @throws BACKUP_MANIFEST_TAMPERED / BACKUP_MANIFEST_UNRECORDED (the manifest), BACKUP_CORRUPT (a file).
 */
async function verifyFiles(
  deps: ZookeeperDeps,
  setDir: string,
  files: LocalFile[],
  expected?: string,
): Promise<string> {
  if (!deps.trustedSet) throw new InvalidInputError('zookeeper.restore-files needs the backup family (not wired)', {});
  const set = await deps.trustedSet(setDir, expected);
  const listed = new Map(set.files.map((f) => [f.path, f.sha256]));
  const bad = files.filter((f) => listed.get(`${SET_FILES_DIR}/${f.name}`) !== f.sha256).map((f) => f.name);
  if (bad.length > 0)
    throw new BackupCorruptError(`${bad.length} ZooKeeper file(s) do not match the set's manifest`, {
      setDir,
      files: bad,
    });
  return set.manifestSha256;
}

/**
 * The action. Inputs: `backup` (a set with `zookeeper-files/`, checked against its trusted manifest
 * before anything moves), `manifestSha256`, `host` (default the forEach item, else every node).
 */
export async function zookeeperRestoreFiles(
  deps: ZookeeperDeps,
  inp: ActionInputs<'zookeeper.restore-files'>,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ResultOf<'zookeeper.restore-files'>> {
  const zk = zkInventory(request);
  const { setDir, source } = sourceSet(deps, request, inp.backup);
  if (!deps.remote) throw new InvalidInputError('zookeeper.restore-files needs remote hosts (not wired)', {});
  const host = targetHost(inp.host, request.item);
  const targets = host ? zk.nodes.filter((n) => n.host === host) : zk.nodes;
  if (targets.length === 0) throw new InvalidInputError(`no ZooKeeper node on host ${host}`, { field: 'host' });
  const files = await localFiles(source);
  // Before anything moves aside: what goes in place is what the recorded manifest lists.
  const manifestSha256 = await verifyFiles(deps, setDir, files, inp.manifestSha256);
  const hosts = (request.inventory as Partial<Inventory>).hosts ?? [];
  // Every server, not just the target: a leftover node with a higher zxid would win the election.
  const running: string[] = [];
  for (const n of zk.nodes) {
    const reply = await fourLetter(n.address, n.clientPort, 'ruok', 2000).catch(() => '');
    if (reply !== '') running.push(`${n.address}:${n.clientPort}`);
  }
  if (running.length > 0) throw new ZkServersRunningError(running);
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  const changedNodes: number[] = [];
  for (const n of targets) {
    if (!hosts.some((h) => h.name === n.host)) {
      throw new InvalidInputError(`ZooKeeper node ${n.id} names unknown host ${n.host}`, {
        field: 'inventory.zookeeper.nodes',
      });
    }
    const r: Remote = { hosts: deps.remote, inventory: request.inventory, host: n.host };
    if (zk.nodes.length > 1) await run(r, 'check myid', `test -s ${shq(`${n.dataDir}/myid`)}`);
    if (await restoreNode(r, n, files, stamp)) changedNodes.push(n.id);
    ctx.heartbeat({ phase: 'restore-files', node: n.id });
  }
  const snapshot = files.find((f) => f.name.startsWith('snapshot.'))?.name;
  const movedAside = changedNodes.length > 0 ? `version-2.rekindle-${stamp}` : undefined;
  return {
    changed: changedNodes.length > 0,
    outputs: {
      source,
      manifestSha256,
      snapshot,
      logs: files.filter((f) => f.name.startsWith('log.')).map((f) => f.name),
      files: files.map((f) => ({ name: f.name, sha256: f.sha256 })),
      nodes: targets.map((n) => n.id),
      changedNodes,
      movedAside,
    },
    summary:
      changedNodes.length > 0
        ? `restored ${snapshot} and ${files.length - 1} logs on ZooKeeper nodes ${changedNodes.join(', ')}; old data kept as ${movedAside}`
        : `ZooKeeper nodes ${targets.map((n) => n.id).join(', ')} already hold ${snapshot} and its logs`,
  };
}
