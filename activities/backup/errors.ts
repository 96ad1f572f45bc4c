/** The backup family's failure kinds. */
import { ActionError } from '../errors';

/** No backup set matches the reference (or the store is empty). */
export class BackupNotFoundError extends ActionError {
  constructor(ref: string, details: Record<string, unknown> = {}) {
    super('BACKUP_NOT_FOUND', `backup ${ref} not found`, false, { ref, ...details });
  }
}

/** A file of the set does not match the checksum its manifest records. */
export class BackupCorruptError extends ActionError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('BACKUP_CORRUPT', message, false, details);
  }
}

/** The ZooKeeper and Kafka parts closest in time are further apart than the limit. */
export class BackupSetsOutOfSyncError extends ActionError {
  constructor(skewMs: number, maxSkewMs: number, details: Record<string, unknown> = {}) {
    super('BACKUP_SETS_OUT_OF_SYNC', `ZooKeeper and Kafka backups are ${skewMs} ms apart (limit ${maxSkewMs} ms)`, false, {
      skewMs,
      maxSkewMs,
      ...details,
    });
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
