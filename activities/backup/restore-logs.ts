/**
 * `backup.restore-logs`: puts a broker's log dirs back from a backup set, over SSH, with the broker
 * stopped. Checks each archive against the manifest first and each restored file after; a marker
 * beside each log dir makes a second call a no-op (`changed: false`).
 */
import { basename } from 'node:path';
import type { InventoryBroker } from '../../compiler/inventory';
import { InvalidInputError, type ActionImpl } from '../errors';
import type { BackupDeps } from './deps';
import { BackupLayoutMismatchError, BackupNotFoundError, ServiceRunningError } from './errors';
import { actionSpec } from '../../compiler/actions';
import { actionImpl, requireTargetHost } from '../inputs';
import { checkArchive, restoreLogDir } from './logs';
import type { LogDirCopy } from './manifest';
import { readTrustedManifest } from './trust';

/**
 * The log dirs to wipe and refill: the inventory's, never the manifest's (whoever can write the store
 * could otherwise aim the wipe anywhere on the host). The manifest's copies pair with the inventory's
 * log dirs by position; a manifest that names another path is ignored with a finding.
 * @throws BackupLayoutMismatchError when the counts differ.
 */
function inventoryTargets(broker: InventoryBroker, copies: LogDirCopy[]) {
  if (copies.length !== broker.logDirs.length)
    throw new BackupLayoutMismatchError(
      broker.host,
      broker.logDirs,
      copies.map((c) => c.logDir),
    );
  const targets = copies.map((c, i) => ({ ...c, logDir: broker.logDirs[i] }));
  const findings = copies.flatMap((c, i) =>
    c.logDir === broker.logDirs[i]
      ? []
      : [
          {
            kind: 'manifest-path-ignored',
            message: `the manifest names log dir ${c.logDir}; restoring into the inventory's ${broker.logDirs[i]} instead`,
          },
        ],
  );
  return { targets, findings };
}

/**
 * Builds `backup.restore-logs`. Throws BACKUP_NOT_FOUND, BACKUP_REF_OUTSIDE_STORE, BACKUP_MANIFEST_TAMPERED,
 * BACKUP_MANIFEST_UNRECORDED, BACKUP_LAYOUT_MISMATCH,
 * BACKUP_CORRUPT, SERVICE_RUNNING and the SSH errors, each before anything on the host changes.
 */
export function backupRestoreLogs(deps: BackupDeps): ActionImpl {
  return actionImpl(actionSpec('backup.restore-logs'), async (inp, req, ctx) => {
    const host = requireTargetHost(inp.host, req.item);
    deps.hosts.host(req.inventory, host);
    const store = deps.store(req.inventory);
    const dir = await store.open(inp.backup);
    if (!dir) throw new BackupNotFoundError(inp.backup, { store: store.location });
    // Before anything else: the manifest (every path and checksum below comes from it) must be the recorded one.
    const { m } = await readTrustedManifest(deps, basename(dir), dir, inp.manifestSha256);
    const brokers = ((req.inventory.kafka as { brokers?: InventoryBroker[] })?.brokers ?? []) as InventoryBroker[];
    const broker = brokers.find((b) => b.host === host);
    if (!broker) throw new InvalidInputError(`${host} is not a broker of the inventory`, { field: 'host', host });
    const copy = m.kafka?.brokers.find((b) => b.id === broker.id);
    if (!copy) throw new BackupNotFoundError(`${inp.backup} (no log dirs of broker ${broker.id})`, { host });
    const { targets, findings } = inventoryTargets(broker, copy.logDirs);
    if (req.dryRun) {
      return {
        changed: false,
        outputs: { dryRun: true, logDirs: targets.map((l) => l.logDir), findings },
        summary: `would restore ${host}`,
      };
    }
    for (const l of targets) await checkArchive(dir, l);
    if (await deps.isRunning(req.inventory, host)) throw new ServiceRunningError(host);
    let changed = false;
    let files = 0;
    let bytes = 0;
    const movedAside: string[] = [];
    for (const l of targets) {
      const r = await restoreLogDir(
        deps.hosts,
        req.inventory,
        host,
        l,
        dir,
        { wipe: inp.wipe, verify: inp.verify, setId: m.id },
        ctx,
      );
      changed ||= r.changed;
      files += r.files;
      bytes += r.bytes;
      if (r.movedAside) movedAside.push(r.movedAside);
    }
    return {
      changed,
      outputs: { files, bytes, movedAside, backupSet: m.id, findings },
      summary: changed ? `${host}: restored ${files} files from ${m.id}` : `${host}: already restored from ${m.id}`,
    };
  });
}
