/**
 * `zookeeper.export`: a logical backup of a subtree (data, ACLs, stats), skipping `/zookeeper` and
 * ephemeral nodes, written to the backup store with a checksum. A second call for the same step finds
 * the same valid file and reports `changed: false`.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ActionRequest } from '../../compiler/plan';
import type { ActionContext } from '../errors';
import type { ZkClient } from './client';
import { aclToJson, readBackup, writeBackup, ZK_BACKUP_FORMAT } from './format';
import type { ZkBackup, ZkBackupNode } from './format';
import type { ActionInputs, ResultOf } from '../../compiler/actions';
import { storeDir } from '../inputs';
import { SET_EXPORT_NAME, treeScope, userExcluded } from './inputs';
import { stepArtifactName } from '../inputs';
import { isEphemeral, longOf, relPath, statToJson } from './paths';
import { walkTree } from './walk';
import type { ZookeeperDeps } from './deps';

/** Reads the tree under `root` into a backup document (no I/O besides ZooKeeper). */
export async function exportTree(
  client: ZkClient,
  root: string,
  ctx?: ActionContext,
  exclude: string[] = [],
): Promise<ZkBackup> {
  const walked = await walkTree(client, root, {
    withAcl: true,
    signal: ctx?.signal,
    onProgress: (n) => ctx?.heartbeat({ phase: 'export', nodes: n }),
  });
  let maxZxid = 0n;
  const nodes: ZkBackupNode[] = [];
  for (const n of walked) {
    if (isEphemeral(n.stat) || userExcluded(relPath(root, n.path), exclude)) continue;
    const m = longOf(n.stat.mzxid);
    if (m > maxZxid) maxZxid = m;
    nodes.push({
      path: relPath(root, n.path),
      data: n.data.toString('base64'),
      acl: (n.acl ?? []).map(aclToJson),
      stat: statToJson(n.stat),
    });
  }
  nodes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    format: ZK_BACKUP_FORMAT,
    root,
    connect: client.connect,
    exportedAt: new Date().toISOString(),
    maxZxid: `0x${maxZxid.toString(16)}`,
    nodeCount: nodes.length,
    nodes,
  };
}

/** Where the export goes: `destination` (absolute, or in the store; a directory gets `zookeeper.json`), else `<store>/zookeeper/<workflow>-<step>.json`. */
function destinationFile(deps: ZookeeperDeps, request: ActionRequest, dest: string | undefined): string {
  if (!dest) {
    const name = stepArtifactName(request);
    return join(storeDir(request, deps.backupStore), 'zookeeper', `${name}.json`);
  }
  const path = isAbsolute(dest) ? dest : join(storeDir(request, deps.backupStore), dest);
  const isDir = dest.endsWith('/') || (existsSync(path) && statSync(path).isDirectory());
  return isDir ? join(path, SET_EXPORT_NAME) : path;
}

/** The action: the tree under `chroot` (default the Kafka chroot) minus `exclude`, written to `destination`. */
export async function zookeeperExport(
  deps: ZookeeperDeps,
  inp: ActionInputs<'zookeeper.export'>,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ResultOf<'zookeeper.export'>> {
  const { zk, root, exclude } = treeScope(request, inp);
  const file = destinationFile(deps, request, inp.destination);

  const existing = await readBackup(file).catch(() => undefined);
  if (existing && existing.backup.root === root) {
    const b = existing.backup;
    return {
      changed: false,
      outputs: {
        path: file,
        file,
        sha256: existing.sha256,
        bytes: existing.bytes,
        root,
        znodes: b.nodeCount,
        nodeCount: b.nodeCount,
        zxid: b.maxZxid,
        maxZxid: b.maxZxid,
        exportedAt: b.exportedAt,
      },
      summary: `backup ${file} already holds ${b.nodeCount} znodes of ${root}`,
    };
  }
  const client = await deps.pool.get(zk.connect);
  const started = Date.now();
  const backup = await exportTree(client, root, ctx, exclude);
  const written = await writeBackup(file, backup);
  return {
    changed: true,
    outputs: {
      path: file,
      ...written,
      root,
      znodes: backup.nodeCount,
      nodeCount: backup.nodeCount,
      zxid: backup.maxZxid,
      maxZxid: backup.maxZxid,
      exportedAt: backup.exportedAt,
      durationMs: Date.now() - started,
    },
    summary: `exported ${backup.nodeCount} znodes of ${root} to ${file}`,
  };
}
