/**
 * What `zookeeper.restore` checks before it changes anything: that pruning never runs at the ensemble
 * root unless the step asked for it, and that the backup was taken of this subtree, on this ensemble,
 * of this Kafka cluster. Each refusal has its own stable type and happens before the first write.
 */
import type { ZkClient } from './client';
import { ZkBackupMismatchError, ZkPruneRootRefusedError } from './errors';
import type { ZkBackup } from './format';
import { absPath } from './paths';

export type MismatchCheck = 'root' | 'ensemble' | 'clusterId';

/** The servers of a connect string as a sorted set, without a chroot suffix. */
export function ensembleOf(connect: string): string[] {
  const hosts = connect.split('/')[0];
  return [
    ...new Set(
      hosts
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  ].sort();
}

/** The `id` of a `/cluster/id` znode's JSON, or undefined. */
function clusterIdOf(data: Buffer | undefined): string | undefined {
  if (!data || data.length === 0) return undefined;
  try {
    const id = (JSON.parse(data.toString('utf8')) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The backup's Kafka cluster id (its `/cluster/id` node), or undefined. */
function backupClusterId(backup: ZkBackup): string | undefined {
  const node = backup.nodes.find((n) => n.path === '/cluster/id');
  return node ? clusterIdOf(Buffer.from(node.data, 'base64')) : undefined;
}

/** The live Kafka cluster id under `target`, or undefined when there is none (a wiped ensemble). */
async function liveClusterId(client: ZkClient, target: string): Promise<string | undefined> {
  const path = absPath(target, '/cluster/id');
  if (!(await client.exists(path))) return undefined;
  return clusterIdOf((await client.getData(path)).data);
}

/**
 * Refuses a restore that could damage what is not its own.
 * @throws ZkPruneRootRefusedError, ZkBackupMismatchError (root, ensemble, clusterId), before any change.
 */
export async function guardRestore(
  client: ZkClient,
  backup: ZkBackup,
  opts: { target: string; connect: string; prune: boolean; pruneRoot: boolean; allowMismatch: MismatchCheck[] },
): Promise<{ clusterId?: string }> {
  const skip = new Set(opts.allowMismatch);
  if (opts.prune && opts.target === '/' && !opts.pruneRoot) throw new ZkPruneRootRefusedError();
  if (!skip.has('root') && backup.root !== opts.target)
    throw new ZkBackupMismatchError('root', backup.root, opts.target);
  const [mine, theirs] = [ensembleOf(opts.connect), ensembleOf(backup.connect ?? '')];
  if (!skip.has('ensemble') && mine.join(',') !== theirs.join(',')) {
    throw new ZkBackupMismatchError('ensemble', theirs.join(','), mine.join(','));
  }
  const [want, live] = [backupClusterId(backup), await liveClusterId(client, opts.target)];
  if (!skip.has('clusterId') && want !== undefined && live !== undefined && want !== live) {
    throw new ZkBackupMismatchError('clusterId', want, live);
  }
  return { clusterId: live ?? want };
}
