/**
 * `zookeeper.restore`: writes a logical backup back under a target root (default the Kafka chroot).
 * Refuses while brokers are registered there, a prune of `/` the step did not ask for, and a backup of
 * another subtree, ensemble or Kafka cluster (guards.ts); leaves out what Kafka must not see restored, creates
 * parents first in batched transactions, keeps /controller_epoch at least as high as any partition
 * state's epoch, then verifies node by node. What already matches is not written, so a second run is a no-op.
 */
import type { ActionRequest } from '../../compiler/plan';
import type { ActionContext } from '../errors';
import { commitBatches, planBatches, toAcl } from './batch';
import type { WriteOp } from './batch';
import type { ZkClient } from './client';
import { diffTrees, readLive } from './compare';
import type { ZookeeperDeps } from './deps';
import {
  BackupCorruptError,
  BackupUnverifiedError,
  ZkBrokersRegisteredError,
  ZkNoNodeError,
  ZkVerifyFailedError,
} from './errors';
import { readBackup } from './format';
import type { ZkBackupNode } from './format';
import type { ActionInputs, ResultOf } from '../../compiler/actions';
import { backupFile, SET_EXPORT_NAME, setDirOf, treeScope, userExcluded } from './inputs';
import { InvalidInputError } from '../errors';
import { absPath, childPath, depth, restoreExclusion } from './paths';
import { guardRestore } from './guards';

const PARTITION_STATE = /^\/brokers\/topics\/[^/]+\/partitions\/\d+\/state$/;

/** The backup's nodes minus the Kafka exclusions, with /controller_epoch raised where needed. */
export function desiredNodes(
  nodes: ZkBackupNode[],
  liveEpoch: number | undefined,
  exclude: string[] = [],
): { desired: ZkBackupNode[]; excluded: string[]; controllerEpoch?: number } {
  const excluded: string[] = [];
  const desired: ZkBackupNode[] = [];
  let maxPartitionEpoch = -1;
  for (const n of nodes) {
    if (restoreExclusion(n.path) || userExcluded(n.path, exclude)) {
      excluded.push(n.path);
      continue;
    }
    if (PARTITION_STATE.test(n.path)) {
      const epoch = Number(
        (JSON.parse(Buffer.from(n.data, 'base64').toString('utf8') || '{}') as { controller_epoch?: unknown })
          .controller_epoch,
      );
      if (Number.isFinite(epoch) && epoch > maxPartitionEpoch) maxPartitionEpoch = epoch;
    }
    desired.push(n);
  }
  const epochNode = desired.find((n) => n.path === '/controller_epoch');
  const backupEpoch = epochNode ? Number(Buffer.from(epochNode.data, 'base64').toString('utf8')) : -1;
  const want = Math.max(maxPartitionEpoch, Number.isFinite(backupEpoch) ? backupEpoch : -1, liveEpoch ?? -1);
  if (want < 0) return { desired, excluded };
  const data = Buffer.from(String(want)).toString('base64');
  if (epochNode) epochNode.data = data;
  else if (maxPartitionEpoch >= 0) {
    desired.push({ path: '/controller_epoch', data, acl: [] });
    desired.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  return { desired, excluded, controllerEpoch: want };
}

async function registeredBrokers(client: ZkClient, target: string): Promise<string[]> {
  try {
    return await client.getChildren(absPath(target, '/brokers/ids'));
  } catch (err) {
    if (err instanceof ZkNoNodeError) return [];
    throw err;
  }
}

async function liveControllerEpoch(client: ZkClient, target: string): Promise<number | undefined> {
  const stat = await client.exists(absPath(target, '/controller_epoch'));
  if (!stat) return undefined;
  const v = Number((await client.getData(absPath(target, '/controller_epoch'))).data.toString('utf8'));
  return Number.isFinite(v) ? v : undefined;
}

/** Missing ancestors of `target` itself (e.g. /a and /a/b for /a/b/c), created open and empty. */
async function missingAncestors(client: ZkClient, target: string): Promise<WriteOp[]> {
  const ops: WriteOp[] = [];
  let p = '/';
  for (const seg of target.split('/').filter(Boolean).slice(0, -1)) {
    p = childPath(p, seg);
    if (!(await client.exists(p))) ops.push({ kind: 'create', path: p, data: Buffer.alloc(0), acl: [] });
  }
  return ops;
}

/**
 * Checks the export against a trusted record before anything changes: in a backup set, the manifest's
 * hash (the input, else the backup run's record) and the export's entry in it; a bare export file,
 * the `sha256` input (the hash its zookeeper.export recorded).
 * @throws BACKUP_MANIFEST_TAMPERED, BACKUP_MANIFEST_UNRECORDED, BACKUP_CORRUPT.
 */
async function trustBackup(
  deps: ZookeeperDeps,
  file: string,
  sha256: string,
  inp: ActionInputs<'zookeeper.restore'>,
): Promise<{ manifestSha256?: string }> {
  const setDir = setDirOf(file);
  if (!setDir) {
    if (!inp.sha256) throw new BackupUnverifiedError(file);
    if (inp.sha256 !== sha256)
      throw new BackupCorruptError(`backup ${file} has SHA-256 ${sha256}, the input sha256 says ${inp.sha256}`, {
        file,
      });
    return {};
  }
  if (!deps.trustedSet) throw new InvalidInputError('zookeeper.restore needs the backup family (not wired)', {});
  const set = await deps.trustedSet(setDir, inp.manifestSha256);
  const entry = set.files.find((f) => f.path === SET_EXPORT_NAME);
  if (entry?.sha256 !== sha256) {
    throw new BackupCorruptError(`${file} does not match the SHA-256 its set's manifest records`, {
      file,
      expected: entry?.sha256,
      actual: sha256,
    });
  }
  return { manifestSha256: set.manifestSha256 };
}

/** The action: `backup` into `chroot` (default the Kafka chroot) in batched transactions; see the registry for the rest. */
export async function zookeeperRestore(
  deps: ZookeeperDeps,
  inp: ActionInputs<'zookeeper.restore'>,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ResultOf<'zookeeper.restore'>> {
  const { zk, root: target, exclude } = treeScope(request, inp);
  const file = backupFile(request, inp.backup, deps.backupStore);
  const prune = inp.prune;
  const limits = { maxBytes: inp.maxBatchBytes, maxOps: inp.batchSize };
  const { backup, sha256 } = await readBackup(file);
  const trust = await trustBackup(deps, file, sha256, inp);
  const client = await deps.pool.get(zk.connect);
  const started = Date.now();
  const { clusterId } = await guardRestore(client, backup, {
    target,
    connect: zk.connect,
    prune,
    pruneRoot: inp.pruneRoot,
    allowMismatch: inp.allowMismatch,
  });

  const brokers = await registeredBrokers(client, target);
  if (brokers.length > 0) throw new ZkBrokersRegisteredError(target, brokers);

  const { desired, excluded, controllerEpoch } = desiredNodes(
    backup.nodes,
    await liveControllerEpoch(client, target),
    exclude,
  );
  const live = await readLive(client, target, {
    signal: ctx.signal,
    onProgress: (n) => ctx.heartbeat({ phase: 'read', nodes: n }),
  });
  const diff = diffTrees(desired, live);
  const byPath = new Map(desired.map((n) => [n.path, n]));
  const keep = (p: string) => p === '' || !!restoreExclusion(p) || userExcluded(p, exclude);
  const extra = prune ? diff.extra.filter((p) => !keep(p)) : [];

  const ops: WriteOp[] = [...(live.size === 0 ? await missingAncestors(client, target) : [])];
  for (const p of diff.missing) {
    const n = byPath.get(p) as ZkBackupNode;
    ops.push({ kind: 'create', path: absPath(target, p), data: Buffer.from(n.data, 'base64'), acl: n.acl });
  }
  for (const p of diff.dataChanged)
    ops.push({
      kind: 'setData',
      path: absPath(target, p),
      data: Buffer.from((byPath.get(p) as ZkBackupNode).data, 'base64'),
    });
  for (const p of [...extra].sort((a, b) => depth(b) - depth(a)))
    ops.push({ kind: 'remove', path: absPath(target, p) });
  const batches = planBatches(ops, limits);
  const planned = {
    create: diff.missing.length,
    setData: diff.dataChanged.length,
    setAcl: diff.aclChanged.length,
    remove: extra.length,
  };

  if (request.dryRun) {
    return {
      changed: false,
      outputs: {
        dryRun: true,
        backup: file,
        target,
        planned,
        batches: batches.length,
        excluded: excluded.length,
        controllerEpoch,
      },
      summary: `would create ${planned.create}, update ${planned.setData + planned.setAcl}, remove ${planned.remove} znodes under ${target}`,
    };
  }

  const writeStarted = Date.now();
  await commitBatches(client, batches, ctx);
  for (const p of diff.aclChanged) {
    await client.setACL(absPath(target, p), toAcl((byPath.get(p) as ZkBackupNode).acl));
  }
  const writeMs = Date.now() - writeStarted;

  let verified = 0;
  if (inp.verify) {
    const after = diffTrees(desired, await readLive(client, target, { signal: ctx.signal }));
    const bad = [
      ...after.missing,
      ...after.dataChanged,
      ...after.aclChanged,
      ...(prune ? after.extra.filter((p) => !keep(p)) : []),
    ];
    if (bad.length > 0) throw new ZkVerifyFailedError(bad, { target, backup: file });
    verified = desired.length;
  }
  const changed = ops.length + diff.aclChanged.length > 0;
  return {
    changed,
    outputs: {
      backup: file,
      backupSha256: sha256,
      ...trust,
      target,
      clusterId,
      created: planned.create,
      updated: planned.setData,
      aclUpdated: planned.setAcl,
      removed: planned.remove,
      deleted: planned.remove,
      skipped: excluded.length,
      excluded: excluded.length,
      excludedSample: excluded.slice(0, 20),
      batches: batches.length,
      controllerEpoch,
      verified,
      writeMs,
      durationMs: Date.now() - started,
    },
    summary: changed
      ? `restored ${target} from ${file}: ${planned.create} created, ${planned.setData + planned.setAcl} updated, ${planned.remove} removed in ${batches.length} transactions; ${verified} verified`
      : `${target} already matches ${file} (${verified} znodes verified)`,
  };
}
