/**
 * `backup.create`: a consistent backup set — the ZooKeeper export of Kafka's chroot, every broker's
 * log dirs copied over SSH with the broker stopped (one at a time, or all in a cold window), group
 * offsets when the kafka family provides them, and a manifest with timestamps, checksums and the
 * cluster id, written last. A second call from the same workflow step returns the same set.
 */
import { copyFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { InventoryBroker } from '../../compiler/inventory';
import type { ActionContext, ActionImpl } from '../errors';
import { InvalidInputError } from '../errors';
import type { BackupDeps, ExportedPart } from './deps';
import { actionSpec, type ActionInputs } from '../../compiler/actions';
import { actionImpl } from '../inputs';
import { copyLogDir } from './logs';
import { fileSha256 } from '../file-sha256';
import { copyZkFiles } from './zk-files';
import {
  MANIFEST_FORMAT,
  kafkaTime,
  readManifestBytes,
  type BackupManifest,
  type BrokerCopy,
  type ManifestFile,
} from './manifest';

type Inv = Record<string, unknown>;

/** Finds a complete set this workflow step already made. */
async function existingSet(
  deps: BackupDeps,
  inv: Inv,
  workflowId: string,
  runId: string | undefined,
  stepId: string,
  label?: string,
) {
  const store = deps.store(inv);
  for (const id of (await store.list()).reverse()) {
    const dir = (await store.open(id))!;
    const { m, sha256 } = readManifestBytes(dir);
    const by = m.createdBy;
    if (by.workflowId === workflowId && by.runId === runId && by.stepId === stepId && m.label === label)
      return { dir, m, sha256 };
  }
  return undefined;
}

/** Copies a part another action already wrote into the set. */
async function reusePart(source: string, dest: string): Promise<ExportedPart> {
  try {
    copyFileSync(source, dest);
  } catch (err) {
    throw new InvalidInputError(`cannot reuse ${source}: ${(err as Error).message}`, { path: source });
  }
  const sha256 = await fileSha256(dest);
  // Readers of a set's files check them against a `<file>.sha256` sidecar, as the exports write them.
  writeFileSync(`${dest}.sha256`, `${sha256}  ${basename(dest)}\n`);
  return { sha256, exportedAt: statSync(source).mtime.toISOString() };
}

async function copyBroker(
  deps: BackupDeps,
  inv: Inv,
  b: InventoryBroker,
  setDir: string,
  ctx: ActionContext,
): Promise<BrokerCopy> {
  const logDirs = [];
  for (const [i, logDir] of b.logDirs.entries()) {
    logDirs.push(
      await copyLogDir(deps.hosts, inv, b.host, logDir, setDir, `kafka/broker-${b.id}/logdir-${i}.tar`, ctx),
    );
  }
  return { id: b.id, host: b.host, logDirs };
}

/** Copies the brokers' log dirs, stopping each (rolling) or all (cold), and restarting those that ran. */
async function copyLogs(
  deps: BackupDeps,
  inv: Inv,
  brokers: InventoryBroker[],
  inp: ActionInputs<'backup.create'>,
  setDir: string,
  ctx: ActionContext,
  onQuiet: () => Promise<void>,
) {
  const copies: BrokerCopy[] = [];
  const running = new Map<number, boolean>();
  for (const b of brokers) running.set(b.id, await deps.isRunning(inv, b.host));
  const stop = (b: InventoryBroker) =>
    running.get(b.id) ? deps.stopBroker(inv, b.host, inp.waitTimeout, ctx) : Promise.resolve();
  const start = (b: InventoryBroker) =>
    running.get(b.id) ? deps.startBroker(inv, b.host, inp.waitTimeout, ctx) : Promise.resolve();
  if (inp.window === 'rolling') {
    for (const b of brokers) {
      await stop(b);
      try {
        copies.push(await copyBroker(deps, inv, b, setDir, ctx));
      } finally {
        await start(b);
      }
    }
    return copies;
  }
  try {
    for (const b of brokers) await stop(b);
    await onQuiet();
    for (const b of brokers) copies.push(await copyBroker(deps, inv, b, setDir, ctx));
  } finally {
    for (const b of brokers) await start(b);
  }
  return copies;
}

function compactTime(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Builds `backup.create`. Throws BACKUP_STORE_UNWRITABLE, INVALID_INPUT, BACKUP_CORRUPT and the SSH/service errors. */
export function backupCreate(deps: BackupDeps): ActionImpl {
  return actionImpl(actionSpec('backup.create'), async (inp, req, ctx) => {
    const inv = req.inventory;
    const found = await existingSet(deps, inv, req.workflowId, req.runId, req.stepId, inp.label);
    if (found)
      return {
        changed: false,
        outputs: outputsOf(found.m, found.dir, found.sha256),
        summary: `backup set ${found.m.id} already made by this step`,
      };
    const all = ((inv.kafka as { brokers?: InventoryBroker[] })?.brokers ?? []) as InventoryBroker[];
    const brokers = inp.brokers ? all.filter((b) => inp.brokers!.includes(b.id)) : all;
    if (inp.brokers && brokers.length !== inp.brokers.length) {
      throw new InvalidInputError('backup.create: brokers names ids that are not in the inventory', {
        field: 'brokers',
      });
    }
    if (req.dryRun) {
      return {
        changed: false,
        outputs: { dryRun: true, brokers: brokers.map((b) => b.id), window: inp.window },
        summary: 'would create a backup set',
      };
    }
    const store = deps.store(inv);
    const created = new Date();
    const id = `${compactTime(created)}-${inp.label ?? 'set'}`;
    const setDir = await store.stage(id);
    const clusterId = await deps.clusterId(inv);
    const zkFile = join(setDir, 'zookeeper.json');
    const offFile = join(setDir, 'offsets.csv');
    let offsets: ExportedPart | undefined;
    if (inp.groupOffsets) offsets = await reusePart(inp.groupOffsets, offFile);
    else if (inp.offsets && deps.exportOffsets) offsets = await deps.exportOffsets(inv, offFile, ctx);
    let zk: ExportedPart | undefined = inp.zookeeper ? await reusePart(inp.zookeeper, zkFile) : undefined;
    const exportZk = async () => {
      zk ??= await deps.exportZookeeper(inv, zkFile, ctx);
    };
    // Rolling: export ZooKeeper just before the roll. Cold: once every broker is stopped (onQuiet).
    if (!inp.logs || inp.window === 'rolling') await exportZk();
    // Digest while the brokers still serve: the copy that follows holds exactly this data when producers are quiet.
    const partitions = inp.logs && deps.digestData ? await deps.digestData(inv, ctx) : undefined;
    const startedAt = new Date().toISOString();
    const copies = inp.logs ? await copyLogs(deps, inv, brokers, inp, setDir, ctx, exportZk) : [];
    await exportZk();
    if (!zk) throw new Error('unreachable: ZooKeeper export missing');
    const finishedAt = new Date().toISOString();
    const files: ManifestFile[] = [];
    const add = async (path: string) =>
      files.push({ path, sha256: await fileSha256(join(setDir, path)), bytes: statSync(join(setDir, path)).size });
    await add('zookeeper.json');
    if (offsets) await add('offsets.csv');
    for (const c of copies)
      for (const l of c.logDirs) files.push({ path: l.archive, sha256: l.sha256, bytes: l.bytes });
    if (inp.zookeeperFiles) files.push(...(await copyZkFiles(deps.hosts, inv, setDir, ctx)));
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      id,
      ...(inp.label ? { label: inp.label } : {}),
      cluster: String(inv.cluster ?? ''),
      clusterId,
      createdAt: created.toISOString(),
      completedAt: new Date().toISOString(),
      createdBy: { workflowId: req.workflowId, ...(req.runId ? { runId: req.runId } : {}), stepId: req.stepId },
      zookeeper: { file: 'zookeeper.json', sha256: zk.sha256, exportedAt: zk.exportedAt, ...zk.details },
      ...(inp.logs
        ? {
            kafka: {
              window: inp.window,
              startedAt,
              finishedAt,
              brokers: copies,
              ...(partitions ? { partitions } : {}),
            },
          }
        : {}),
      ...(offsets
        ? {
            offsets: {
              file: 'offsets.csv',
              sha256: offsets.sha256,
              exportedAt: offsets.exportedAt,
              ...offsets.details,
            },
          }
        : {}),
      files,
    };
    const { sha256 } = await store.commit(id, manifest);
    return {
      changed: true,
      outputs: outputsOf(manifest, setDir, sha256),
      summary: `backup set ${id}: ${files.length} files, cluster ${clusterId}`,
    };
  });
}

/** The outputs; `manifestSha256` lands in this run's history, where a later restore looks it up (trust.ts). */
function outputsOf(m: BackupManifest, dir: string, manifestSha256: string) {
  const t = kafkaTime(m);
  return {
    backupSet: m.id,
    path: dir,
    manifest: join(dir, 'manifest.json'),
    manifestSha256,
    timestamp: t !== undefined ? new Date(t).toISOString() : (m.zookeeper?.exportedAt ?? m.createdAt),
    clusterId: m.clusterId,
    brokers: m.kafka?.brokers.map((b) => b.id) ?? [],
    offsets: m.offsets !== undefined,
  };
}
