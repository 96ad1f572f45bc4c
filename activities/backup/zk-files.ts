/**
 * ZooKeeper's own data files in a backup set, for `zookeeper.restore-files`: the snapshots and
 * transaction logs of one node's `version-2` dirs (dataDir and dataLogDir, from the inventory), copied
 * over SSH into `zookeeper-files/` and listed in the manifest. Snapshots are fuzzy and the logs complete
 * them, so a running server can be copied; every server holds the whole committed history.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Inventory } from '../../compiler/inventory';
import type { ActionContext } from '../errors';
import { InvalidInputError } from '../errors';
import type { BackupHosts } from './deps';
import { q } from './logs';
import { fileSha256 } from '../file-sha256';
import type { ManifestFile } from './manifest';

export const ZK_FILES_DIR = 'zookeeper-files';

/** Copies the first ZooKeeper node's snapshot.* and log.* files into `<setDir>/zookeeper-files/`. Throws INVALID_INPUT without a node. */
export async function copyZkFiles(
  hosts: BackupHosts,
  inv: Record<string, unknown>,
  setDir: string,
  ctx: ActionContext,
): Promise<ManifestFile[]> {
  const node = (inv as Partial<Inventory>).zookeeper?.nodes?.[0];
  if (!node)
    throw new InvalidInputError('backup.create: zookeeperFiles needs inventory.zookeeper.nodes', {
      field: 'zookeeperFiles',
    });
  mkdirSync(join(setDir, ZK_FILES_DIR), { recursive: true });
  const out: ManifestFile[] = [];
  for (const dir of [...new Set([node.dataDir, node.dataLogDir])].map((d) => `${d}/version-2`)) {
    const r = await hosts.run(inv, node.host, `ls -1 ${q(dir)} 2>/dev/null || true`);
    for (const name of r.stdout.split('\n').filter((n) => /^(snapshot|log)\.[0-9a-f]+$/.test(n))) {
      ctx.heartbeat({ phase: 'zookeeper-files', file: name });
      const local = join(setDir, ZK_FILES_DIR, name);
      await hosts.download(inv, node.host, `${dir}/${name}`, local);
      out.push({ path: `${ZK_FILES_DIR}/${name}`, sha256: await fileSha256(local), bytes: statSync(local).size });
    }
  }
  return out;
}
