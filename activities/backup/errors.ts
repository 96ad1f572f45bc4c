/** The backup family's failure kinds. */
import { ActionError } from '../errors';

export { BackupCorruptError, BackupNotFoundError } from '../backup-errors';

/** The ZooKeeper and Kafka parts closest in time are further apart than the limit. */
export class BackupSetsOutOfSyncError extends ActionError {
  constructor(skewMs: number, maxSkewMs: number, details: Record<string, unknown> = {}) {
    super(
      'BACKUP_SETS_OUT_OF_SYNC',
      `ZooKeeper and Kafka backups are ${skewMs} ms apart (limit ${maxSkewMs} ms)`,
      false,
      {
        skewMs,
        maxSkewMs,
        ...details,
      },
    );
  }
}

/** The store cannot be written (permissions, full disk). */
export class BackupStoreUnwritableError extends ActionError {
  constructor(path: string, message: string) {
    super('BACKUP_STORE_UNWRITABLE', `backup store ${path} is not writable: ${message}`, false, { path });
  }
}

/** Log dirs cannot be restored while the broker runs. */
export class ServiceRunningError extends ActionError {
  constructor(host: string) {
    super('SERVICE_RUNNING', `${host}: the broker is running; stop it before restoring its log dirs`, false, { host });
  }
}

/** The set holds another number of log dirs for a broker than the inventory gives it. */
export class BackupLayoutMismatchError extends ActionError {
  constructor(host: string, inventory: string[], manifest: string[]) {
    super(
      'BACKUP_LAYOUT_MISMATCH',
      `${host}: the inventory has ${inventory.length} log dir(s), the backup ${manifest.length}`,
      false,
      {
        host,
        inventory,
        manifest,
      },
    );
  }
}

/** The named set belongs to another cluster (name or cluster id) than the inventory's. */
export class BackupOtherClusterError extends ActionError {
  constructor(ref: string, owner: { cluster: string; clusterId: string | null }) {
    super(
      'BACKUP_OTHER_CLUSTER',
      `backup ${ref} belongs to another cluster than ${owner.cluster} (${owner.clusterId ?? 'cluster id unreadable'})`,
      false,
      {
        ref,
        ...owner,
      },
    );
  }
}

/** The set's manifest is not the one its backup run recorded: the store was written since. */
export class BackupManifestTamperedError extends ActionError {
  constructor(setId: string, expected: string, actual: string, source: string) {
    super(
      'BACKUP_MANIFEST_TAMPERED',
      `manifest of backup ${setId} has SHA-256 ${actual.slice(0, 12)}…, ${source} recorded ${expected.slice(0, 12)}…: the backup store was altered`,
      false,
      {
        setId,
        expected,
        actual,
        source,
      },
    );
  }
}

/** No trusted hash of the set's manifest is known: its run's history is gone and none was given. */
export class BackupManifestUnrecordedError extends ActionError {
  constructor(setId: string, createdBy: { workflowId: string; runId?: string }) {
    super(
      'BACKUP_MANIFEST_UNRECORDED',
      `no recorded hash for the manifest of backup ${setId}: the history of ${createdBy.workflowId} is not available; pass manifestSha256 from that run's audit report`,
      false,
      { setId, createdBy },
    );
  }
}
