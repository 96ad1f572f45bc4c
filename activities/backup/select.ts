/**
 * `backup.select`: picks the Kafka part (the named set, or the newest before a time) and the ZooKeeper
 * export closest in time to it (from any set), and refuses when they are further apart than maxSkew.
 */
import { join } from 'node:path';
import type { ActionImpl } from '../errors';
import { InvalidInputError } from '../errors';
import type { BackupDeps } from './deps';
import { BackupNotFoundError, BackupSetsOutOfSyncError } from './errors';
import { actionSpec, type ActionInputs } from '../../compiler/actions';
import { actionImpl } from '../inputs';
import { kafkaTime, readManifest, type BackupManifest } from './manifest';
import type { BackupStore } from './store';

interface Loaded {
  dir: string;
  m: BackupManifest;
}

/** Pure choice over loaded manifests; exported for table tests. Throws BACKUP_NOT_FOUND / BACKUP_SETS_OUT_OF_SYNC. */
export function choose(sets: Loaded[], inp: ActionInputs<'backup.select'>, beforeMs: number) {
  const timed = sets.map((s) => ({ ...s, k: kafkaTime(s.m) }));
  let kafka;
  if (inp.backupSet !== 'latest') {
    kafka = timed.find((s) => s.m.id === inp.backupSet);
    if (!kafka) throw new BackupNotFoundError(inp.backupSet);
  } else {
    kafka = timed
      .filter((s) => s.k !== undefined && s.k <= beforeMs)
      .sort((a, b) => b.k! - a.k!)[0];
    if (!kafka) throw new BackupNotFoundError('latest', { before: new Date(beforeMs).toISOString(), sets: sets.length });
  }
  const at = kafka.k ?? Date.parse(kafka.m.createdAt);
  const zks = timed
    .filter((s) => s.m.zookeeper)
    .map((s) => ({ ...s, skew: Math.abs(Date.parse(s.m.zookeeper!.exportedAt) - at) }))
    // The closest wins; on a tie, the Kafka part's own set.
    .sort((a, b) => a.skew - b.skew || Number(b.m.id === kafka.m.id) - Number(a.m.id === kafka.m.id));
  const zk = zks[0];
  if (!zk) throw new BackupNotFoundError('a ZooKeeper export', { near: new Date(at).toISOString() });
  if (zk.skew > inp.maxSkew) {
    throw new BackupSetsOutOfSyncError(zk.skew, inp.maxSkew, { kafkaSet: kafka.m.id, zookeeperSet: zk.m.id });
  }
  return { kafka, zk, at, skewMs: zk.skew };
}

async function loadAll(store: BackupStore): Promise<Loaded[]> {
  const out: Loaded[] = [];
  for (const id of await store.list()) {
    const dir = (await store.open(id))!;
    out.push({ dir, m: readManifest(dir) });
  }
  return out;
}

/** Builds `backup.select` (read-only). */
export function backupSelect(deps: BackupDeps): ActionImpl {
  return actionImpl(actionSpec('backup.select'), async (inp, req) => {
    const beforeMs = inp.before !== undefined ? Date.parse(inp.before) : Date.now();
    if (Number.isNaN(beforeMs)) throw new InvalidInputError(`backup.select: before '${inp.before}' is not an ISO-8601 time`, { field: 'before' });
    const { kafka, zk, at, skewMs } = choose(await loadAll(deps.store(req.inventory)), inp, beforeMs);
    return {
      changed: false,
      outputs: {
        backupSet: kafka.m.id,
        path: kafka.dir,
        manifest: join(kafka.dir, 'manifest.json'),
        timestamp: new Date(at).toISOString(),
        skewMs,
        clusterId: kafka.m.clusterId,
        offsets: kafka.m.offsets ? join(kafka.dir, kafka.m.offsets.file) : null,
        zookeeper: { backupSet: zk.m.id, path: join(zk.dir, zk.m.zookeeper!.file), exportedAt: zk.m.zookeeper!.exportedAt },
      },
      summary: `selected ${kafka.m.id} (ZooKeeper from ${zk.m.id}, ${skewMs} ms apart)`,
    };
  });
}
