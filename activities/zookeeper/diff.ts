/**
 * `zookeeper.diff`: the live tree under a root vs a backup, for scope identification: added (live,
 * not in backup), removed (in backup, not live) and changed (data or ACL) znodes. Ephemeral nodes
 * are ignored, and the restore's exclusions are reported apart (`volatile`). Read-only. Lists are whole (`limit`, default
 * 100,000): a long list goes to the run's evidence store with its hash, so history stays small; counts are exact.
 */
import type { ActionRequest, ActionResult } from '../../compiler/plan';
import type { ActionContext } from '../errors';
import { diffTrees, readLive } from './compare';
import type { ZookeeperDeps } from './deps';
import { readBackup } from './format';
import { backupFile, excludeInput, optNumber, rootInput, userExcluded, zkInventory } from './inputs';
import { restoreExclusion } from './paths';

/** The action. Inputs: `backup`, `chroot` (default the Kafka chroot), `exclude`, `limit`. */
export async function zookeeperDiff(
  deps: ZookeeperDeps,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ActionResult> {
  const zk = zkInventory(request);
  const root = rootInput(request);
  const exclude = excludeInput(request);
  const file = backupFile(request, 'backup', deps.backupStore);
  const limit = optNumber(request, 'limit') ?? 100_000;
  const { backup } = await readBackup(file);
  const client = await deps.pool.get(zk.connect);
  const live = await readLive(client, root, {
    signal: ctx.signal,
    onProgress: (n) => ctx.heartbeat({ phase: 'read', nodes: n }),
  });
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
  return {
    changed: false,
    outputs: {
      backup: file,
      root,
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
    },
    summary: identical
      ? `${root} matches ${file}`
      : `${root} vs ${file}: ${d.extra.length} added, ${d.missing.length} removed, ${changed.length} changed`,
  };
}
