/**
 * `backup.select`: picks the Kafka part (the named set, or the newest before a time) and the ZooKeeper
 * export closest in time to it (from any set), and refuses when they are further apart than maxSkew.
 * A chosen set whose files do not match its manifest (or whose manifest is unreadable) is refused with
 * the reason: a named set fails BACKUP_CORRUPT; with `latest`, selection falls back to the previous
 * consistent set and says so in `refused` and the summary (which a later gate shows the approver).
 */
import { join } from 'node:path';
import type { ActionImpl } from '../errors';
import { InvalidInputError } from '../errors';
import type { BackupDeps } from './deps';
import { BackupCorruptError, BackupNotFoundError, BackupSetsOutOfSyncError } from './errors';
import { setDamage } from './integrity';
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

interface Refusal {
  backupSet: string;
  reason: string;
}

/** Every set with a readable manifest; the unreadable ones are refused with the reason. */
async function loadAll(store: BackupStore, refused: Refusal[]): Promise<Loaded[]> {
  const out: Loaded[] = [];
  for (const id of await store.list()) {
    const dir = (await store.open(id))!;
    try {
      out.push({ dir, m: readManifest(dir) });
    } catch (err) {
      refused.push({ backupSet: id, reason: (err as Error).message });
    }
  }
  return out;
}

/** choose() over the sets whose files match their manifests, refusing damaged ones until a consistent choice remains. */
async function chooseConsistent(sets: Loaded[], inp: ActionInputs<'backup.select'>, beforeMs: number, refused: Refusal[]) {
  const damage = new Map<string, string | null>();
  const check = async (s: Loaded) => {
    if (!damage.has(s.m.id)) damage.set(s.m.id, await setDamage(s.dir, s.m));
    return damage.get(s.m.id)!;
  };
  for (;;) {
    const usable = sets.filter((s) => !refused.some((r) => r.backupSet === s.m.id));
    let choice;
    try {
      choice = choose(usable, inp, beforeMs);
    } catch (err) {
      const named = inp.backupSet !== 'latest' && refused.find((r) => r.backupSet === inp.backupSet);
      if (named || ((err as { code?: string }).code === 'BACKUP_NOT_FOUND' && refused.length)) {
        const why = refused.map((r) => `${r.backupSet}: ${r.reason}`).join('; ');
        throw new BackupCorruptError(`no consistent backup set to restore from; refused ${why}`, { refused });
      }
      throw err;
    }
    let bad = false;
    const parts = choice.zk.m.id === choice.kafka.m.id ? [choice.kafka] : [choice.kafka, choice.zk];
    for (const part of parts) {
      const why = await check(part);
      if (why) {
        refused.push({ backupSet: part.m.id, reason: why });
        bad = true;
      }
    }
    if (!bad) return choice;
  }
}

/** Builds `backup.select` (read-only). */
export function backupSelect(deps: BackupDeps): ActionImpl {
  return actionImpl(actionSpec('backup.select'), async (inp, req) => {
    const beforeMs = inp.before !== undefined ? Date.parse(inp.before) : Date.now();
    if (Number.isNaN(beforeMs)) throw new InvalidInputError(`backup.select: before '${inp.before}' is not an ISO-8601 time`, { field: 'before' });
    const refused: Refusal[] = [];
    const sets = await loadAll(deps.store(req.inventory), refused);
    const { kafka, zk, at, skewMs } = await chooseConsistent(sets, inp, beforeMs, refused);
    // Only refusals of sets newer than the chosen one mean the restore falls back to older data.
    const newer = refused.filter((r) => r.backupSet > kafka.m.id);
    const chosen = `selected ${kafka.m.id} (ZooKeeper from ${zk.m.id}, ${skewMs} ms apart)`;
    const summary = newer.length
      ? `${chosen}; REFUSED newer set${newer.length > 1 ? 's' : ''} ${newer.map((r) => `${r.backupSet} (${r.reason})`).join(', ')}: fell back to the previous consistent set`
      : chosen;
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
        refused,
        fallback: newer.length > 0,
        summary,
      },
      summary,
    };
  });
}
