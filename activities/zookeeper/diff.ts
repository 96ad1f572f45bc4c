/**
 * `zookeeper.diff`: the live tree under a root vs a backup, for scope identification: added (live,
 * not in backup), removed (in backup, not live) and changed (data or ACL) znodes. Ephemeral nodes
 * are ignored, and the restore's exclusions are reported apart (`volatile`). Read-only. Lists are whole (`limit`, default
 * 100,000): a long list goes to the run's evidence store with its hash, so history stays small; counts are exact.
 * An unreachable ensemble is a finding of the scope assessment, not a failure: the action succeeds with
 * `reachable: false`, a `zookeeper-unreachable` finding and a summary that says nothing was compared.
 */
import type { ActionRequest } from '../../compiler/plan';
import type { ActionContext } from '../errors';
import { diffTrees, readLive } from './compare';
import type { ZookeeperDeps } from './deps';
import { readBackup } from './format';
import type { ActionInputs, ResultOf } from '../../compiler/actions';
import { backupFile, treeScope, userExcluded } from './inputs';
import { restoreExclusion } from './paths';
import { ZkUnavailableError } from './errors';

/** The action: live tree under `chroot` (default the Kafka chroot) against `backup`, at most `limit` paths per kind. */
export async function zookeeperDiff(
  deps: ZookeeperDeps,
  inp: ActionInputs<'zookeeper.diff'>,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ResultOf<'zookeeper.diff'>> {
  const { zk, root, exclude } = treeScope(request, inp);
  const file = backupFile(request, inp.backup, deps.backupStore);
  const limit = inp.limit;
  const { backup } = await readBackup(file);
  let live;
  try {
    const client = await deps.pool.get(zk.connect);
    live = await readLive(client, root, {
      signal: ctx.signal,
      onProgress: (n) => ctx.heartbeat({ phase: 'read', nodes: n }),
    });
  } catch (err) {
    if (!(err instanceof ZkUnavailableError)) throw err;
    return unreachable(file, root, zk.connect, err, backup.nodeCount);
  }
  // Same exclusions as restore: volatile znodes (ephemeral, triggers, queues) are counted apart.
  const volatile = (p: string) => !!restoreExclusion(p) || userExcluded(p, exclude);
  const raw = diffTrees(backup.nodes, live);
  const keep = (l: string[]) => l.filter((p) => !volatile(p));
  const d = {
    missing: keep(raw.missing),
    extra: keep(raw.extra),
    dataChanged: keep(raw.dataChanged),
    aclChanged: keep(raw.aclChanged),
  };
  const changed = [...new Set([...d.dataChanged, ...d.aclChanged])].sort();
  const cap = (l: string[]) => l.slice(0, limit);
  const identical = d.missing.length + d.extra.length + changed.length === 0;
  const summary = identical
    ? `${root} matches ${file}`
    : `${root} vs ${file}: ${d.extra.length} added, ${d.missing.length} removed, ${changed.length} changed`;
  return {
    changed: false,
    outputs: {
      backup: file,
      root,
      reachable: true,
      identical,
      counts: {
        added: d.extra.length,
        removed: d.missing.length,
        changed: changed.length,
        live: live.size,
        backup: backup.nodeCount,
      },
      added: cap(d.extra),
      removed: cap(d.missing),
      changed: cap(changed),
      dataChanged: cap(d.dataChanged),
      aclChanged: cap(d.aclChanged),
      /** Differences in znodes a restore leaves alone (Kafka exclusions, `exclude`). */
      volatile: cap([...raw.extra, ...raw.missing, ...raw.dataChanged, ...raw.aclChanged].filter(volatile).sort()),
      summary,
    },
    summary,
  };
}

/** The result when the ensemble cannot be reached: nothing compared, said as a finding with its evidence. */
function unreachable(
  file: string,
  root: string,
  connect: string,
  err: ZkUnavailableError,
  backupNodes: number,
): ResultOf<'zookeeper.diff'> {
  const message = `ZooKeeper ${connect} unreachable since at least ${new Date().toISOString()}: ${err.message}`;
  const summary = `${root} NOT compared with ${file}: ${message}`;
  return {
    changed: false,
    outputs: {
      backup: file,
      root,
      reachable: false,
      identical: false,
      counts: { added: 0, removed: 0, changed: 0, live: null, backup: backupNodes },
      added: [],
      removed: [],
      changed: [],
      dataChanged: [],
      aclChanged: [],
      volatile: [],
      findings: [{ kind: 'zookeeper-unreachable', message }],
      summary,
    },
    summary,
  };
}
