/**
 * `backup.restore-logs`: puts a broker's log dirs back from a backup set, over SSH, with the broker
 * stopped. Checks each archive against the manifest first and each restored file after; a marker
 * beside each log dir makes a second call a no-op (`changed: false`).
 */
import type { InventoryBroker } from '../../compiler/inventory';
import type { ActionImpl } from '../errors';
import type { BackupDeps } from './deps';
import { BackupNotFoundError, ServiceRunningError } from './errors';
import { actionSpec } from '../../compiler/actions';
import { actionImpl, requireTargetHost } from '../inputs';
import { checkArchive, restoreLogDir } from './logs';
import { readManifest } from './manifest';


/** Builds `backup.restore-logs`. Throws BACKUP_NOT_FOUND, BACKUP_CORRUPT, SERVICE_RUNNING and the SSH errors. */
export function backupRestoreLogs(deps: BackupDeps): ActionImpl {
  return actionImpl(actionSpec('backup.restore-logs'), async (inp, req, ctx) => {
    const host = requireTargetHost(inp.host, req.item);
    deps.hosts.host(req.inventory, host);
    const store = deps.store(req.inventory);
    const dir = await store.open(inp.backup);
    if (!dir) throw new BackupNotFoundError(inp.backup, { store: store.location });
    const m = readManifest(dir);
    const brokers = ((req.inventory.kafka as { brokers?: InventoryBroker[] })?.brokers ?? []) as InventoryBroker[];
    const broker = brokers.find((b) => b.host === host);
    const copy = m.kafka?.brokers.find((b) => b.host === host || b.id === broker?.id);
    if (!copy) throw new BackupNotFoundError(`${inp.backup} (no log dirs of ${host})`, { host });
    if (req.dryRun) {
      return { changed: false, outputs: { dryRun: true, logDirs: copy.logDirs.map((l) => l.logDir) }, summary: `would restore ${host}` };
    }
    for (const l of copy.logDirs) await checkArchive(dir, l);
    if (await deps.isRunning(req.inventory, host)) throw new ServiceRunningError(host);
    let changed = false;
    let files = 0;
    let bytes = 0;
    const movedAside: string[] = [];
    for (const l of copy.logDirs) {
      const r = await restoreLogDir(deps.hosts, req.inventory, host, l, dir, { wipe: inp.wipe, verify: inp.verify, setId: m.id }, ctx);
      changed ||= r.changed;
      files += r.files;
      bytes += r.bytes;
      if (r.movedAside) movedAside.push(r.movedAside);
    }
    return {
      changed,
      outputs: { files, bytes, movedAside, backupSet: m.id },
      summary: changed ? `${host}: restored ${files} files from ${m.id}` : `${host}: already restored from ${m.id}`,
    };
  });
}
