/** Failures of a backup reference shared by the backup and zookeeper families: missing, or not matching its checksums. */
import { ActionError } from './errors';

/** No backup set or export matches the reference (or the store is empty). */
export class BackupNotFoundError extends ActionError {
  constructor(ref: string, details: Record<string, unknown> = {}) {
    super('BACKUP_NOT_FOUND', `backup ${ref} not found`, false, { ref, ...details });
  }
}

/** A backup file is unreadable, not a backup, or does not match the checksum recorded for it. */
export class BackupCorruptError extends ActionError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('BACKUP_CORRUPT', message, false, details);
  }
}
