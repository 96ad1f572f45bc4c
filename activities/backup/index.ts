/** The backup family: `backup.create`, `backup.select`, `backup.restore-logs`, over an injectable store. */
import type { ActionImpl } from '../errors';
import { backupCreate } from './create';
import type { BackupDeps } from './deps';
import { backupRestoreLogs } from './restore-logs';
import { backupSelect } from './select';

export type { BackupDeps, BackupHosts, ExportedPart } from './deps';
export { LocalBackupStore, type BackupStore } from './store';
export { readManifest, type BackupManifest } from './manifest';
export { readTrustedManifest } from './trust';

/** The backup actions by registry name. */
export function createBackupActivities(deps: BackupDeps): Record<string, ActionImpl> {
  return {
    'backup.create': backupCreate(deps),
    'backup.select': backupSelect(deps),
    'backup.restore-logs': backupRestoreLogs(deps),
  };
}
