/**
 * `backup.select`: picks the Kafka part (the named set, or the newest before a time) and the ZooKeeper
 * export closest in time to it (from any set), and refuses when they are further apart than maxSkew.
 * A chosen set whose files do not match its manifest (or whose manifest is unreadable) is refused with
 * the reason: a named set fails BACKUP_CORRUPT; with `latest`, selection falls back to the previous
 * consistent set and says so in `refused` and the summary (which a later gate shows the approver).
 * Only sets of the inventory's cluster are considered: the same cluster name and, when the live
 * `/cluster/id` is readable, the same cluster id; a named set of another cluster is BACKUP_OTHER_CLUSTER.
 * Each chosen manifest must hash to what its backup run recorded in its workflow history (or, for the
 * named set, to the `manifestSha256` input); the verified hash is an output the restore steps check again.
 */
import { join } from 'node:path';
import type { ActionImpl } from '../errors';
import { InvalidInputError } from '../errors';
import type { BackupDeps } from './deps';
import { BackupCorruptError, BackupNotFoundError, BackupOtherClusterError, BackupSetsOutOfSyncError } from './errors';
import { setDamage } from './integrity';
import { readTrustedManifest } from './trust';
import { actionSpec, type ActionInputs } from '../../compiler/actions';
import { actionImpl } from '../inputs';
import { kafkaTime, readManifest, type BackupManifest } from './manifest';
import type { BackupStore } from './store';

interface Loaded {
  dir: string;
  m: BackupManifest;
  /** The manifest's SHA-256, once checked against the trusted record. */
  sha256?: string;
}

/** Pure choice over loaded manifests; exported for table tests. Throws BACKUP_NOT_FOUND / BACKUP_SETS_OUT_OF_SYNC. */
export function choose(sets: Loaded[], inp: ActionInputs<'backup.select'>, beforeMs: number) {
  const timed = sets.map((s) => ({ ...s, k: kafkaTime(s.m) }));
  let kafka;
  if (inp.backupSet !== 'latest') {
    kafka = timed.find((s) => s.m.id === inp.backupSet);
    if (!kafka) throw new BackupNotFoundError(inp.backupSet);
  } else {
    kafka = timed.filter((s) => s.k !== undefined && s.k <= beforeMs).sort((a, b) => b.k! - a.k!)[0];
    if (!kafka)
      throw new BackupNotFoundError('latest', { before: new Date(beforeMs).toISOString(), sets: sets.length });
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
  /** The stable type of the refusal: BACKUP_CORRUPT, BACKUP_MANIFEST_TAMPERED, BACKUP_MANIFEST_UNRECORDED. */
  code: string;
}

/** Which cluster the sets must belong to: the inventory's name, and its live `/cluster/id` when readable. */
interface Owner {
  cluster: string;
  clusterId: string | null;
}

/**
 * Every set of `owner` with a readable manifest; the unreadable ones are refused with the reason. Sets of
 * another cluster (a shared store) are left out, and counted in `foreign`.
 */
async function loadAll(
  store: BackupStore,
  owner: Owner,
  refused: Refusal[],
): Promise<{ sets: Loaded[]; foreign: string[] }> {
  const sets: Loaded[] = [];
  const foreign: string[] = [];
  for (const id of await store.list()) {
    const dir = (await store.open(id))!;
    let m: BackupManifest;
    try {
      m = readManifest(dir);
    } catch (err) {
      refused.push({ backupSet: id, reason: (err as Error).message, code: 'BACKUP_CORRUPT' });
      continue;
    }
    const mine = m.cluster === owner.cluster && (owner.clusterId === null || m.clusterId === owner.clusterId);
    if (mine) sets.push({ dir, m });
    else foreign.push(id);
  }
  return { sets, foreign };
}

const TRUST_CODES = new Set(['BACKUP_MANIFEST_TAMPERED', 'BACKUP_MANIFEST_UNRECORDED', 'BACKUP_CORRUPT']);

/**
 * What is wrong with a set, or null: a manifest that is not the one its backup run recorded (or the
 * `manifestSha256` input, for the named set), or files that do not match the manifest. For the named
 * set a manifest problem is thrown as is, so the run fails with its own type.
 */
async function problemOf(deps: BackupDeps, s: Loaded, inp: ActionInputs<'backup.select'>): Promise<Refusal | null> {
  const named = s.m.id === inp.backupSet;
  try {
    const trusted = await readTrustedManifest(deps, s.m.id, s.dir, named ? inp.manifestSha256 : undefined);
    s.sha256 = trusted.sha256;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (named || !code || !TRUST_CODES.has(code)) throw err;
    return { backupSet: s.m.id, reason: (err as Error).message, code };
  }
  const why = await setDamage(s.dir, s.m);
  return why ? { backupSet: s.m.id, reason: why, code: 'BACKUP_CORRUPT' } : null;
}

/** choose() over the sets that are trusted and whole, refusing the others until a consistent choice remains. */
async function chooseConsistent(
  deps: BackupDeps,
  sets: Loaded[],
  inp: ActionInputs<'backup.select'>,
  beforeMs: number,
  refused: Refusal[],
) {
  const damage = new Map<string, Refusal | null>();
  const check = async (s: Loaded) => {
    if (!damage.has(s.m.id)) damage.set(s.m.id, await problemOf(deps, s, inp));
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
      const problem = await check(part);
      if (problem) {
        refused.push(problem);
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
    if (Number.isNaN(beforeMs))
      throw new InvalidInputError(`backup.select: before '${inp.before}' is not an ISO-8601 time`, { field: 'before' });
    const refused: Refusal[] = [];
    const owner = {
      cluster: String(req.inventory.cluster ?? ''),
      clusterId: await deps.clusterId(req.inventory).catch(() => null),
    };
    const { sets, foreign } = await loadAll(deps.store(req.inventory), owner, refused);
    if (inp.backupSet !== 'latest' && foreign.includes(inp.backupSet))
      throw new BackupOtherClusterError(inp.backupSet, owner);
    const { kafka, zk, at, skewMs } = await chooseConsistent(deps, sets, inp, beforeMs, refused);
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
        manifestSha256: kafka.sha256,
        timestamp: new Date(at).toISOString(),
        skewMs,
        clusterId: kafka.m.clusterId,
        offsets: kafka.m.offsets ? join(kafka.dir, kafka.m.offsets.file) : null,
        zookeeper: {
          backupSet: zk.m.id,
          path: join(zk.dir, zk.m.zookeeper!.file),
          exportedAt: zk.m.zookeeper!.exportedAt,
          manifestSha256: zk.sha256,
        },
        refused,
        otherClusters: foreign.length,
        fallback: newer.length > 0,
        summary,
      },
      summary,
    };
  });
}
