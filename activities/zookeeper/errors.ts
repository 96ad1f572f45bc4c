/**
 * ZooKeeper failure kinds. `mapZkError` turns node-zookeeper-client exceptions (numeric codes) and
 * socket errors into these, so callers branch on `code`, never on message text.
 */
import { Exception } from 'node-zookeeper-client';
import { ActionError } from '../errors';

/** The ensemble did not answer in time, or the session dropped: worth retrying. */
export class ZkUnavailableError extends ActionError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('ZK_UNAVAILABLE', message, true, details);
  }
}

/** A znode the action needs does not exist. */
export class ZkNoNodeError extends ActionError {
  constructor(path: string, details: Record<string, unknown> = {}) {
    super('ZK_NO_NODE', `znode ${path} does not exist`, false, { path, ...details });
  }
}

/** A znode exists where the action must create one (a concurrent writer, usually). Retryable: the next attempt re-reads. */
export class ZkNodeExistsError extends ActionError {
  constructor(path: string, details: Record<string, unknown> = {}) {
    super('ZK_NODE_EXISTS', `znode ${path} already exists`, true, { path, ...details });
  }
}

/** ZooKeeper refused the operation for lack of rights (e.g. SASL-protected /config/users). */
export class ZkNoAuthError extends ActionError {
  constructor(path: string | undefined, details: Record<string, unknown> = {}) {
    super('ZK_NO_AUTH', `not authorised for znode ${path ?? '?'}`, false, { path, ...details });
  }
}

/** Any other server-side refusal (bad version, not empty, bad arguments...). */
export class ZkOperationError extends ActionError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('ZK_OPERATION_FAILED', message, false, details);
  }
}

/** Restore refused: brokers are registered under the chroot being restored. Stop them first. */
export class ZkBrokersRegisteredError extends ActionError {
  constructor(root: string, ids: string[]) {
    super('ZK_BROKERS_REGISTERED', `refusing to restore ${root}: brokers ${ids.join(', ')} are registered`, false, {
      root,
      brokerIds: ids,
    });
  }
}

export { BackupCorruptError, BackupNotFoundError } from '../backup-errors';

/** A bare export file (not in a backup set) named without the trusted `sha256` its export recorded. */
export class BackupUnverifiedError extends ActionError {
  constructor(file: string) {
    super(
      'BACKUP_MANIFEST_UNRECORDED',
      `backup ${file} is not in a backup set and no sha256 was given: pass the sha256 output its zookeeper.export recorded`,
      false,
      { file },
    );
  }
}

/** After a restore, the live tree differs from the backup. */
export class ZkVerifyFailedError extends ActionError {
  constructor(mismatches: string[], details: Record<string, unknown> = {}) {
    super('ZK_VERIFY_FAILED', `restore verification failed on ${mismatches.length} znode(s)`, false, {
      mismatches: mismatches.slice(0, 50),
      ...details,
    });
  }
}

/** A file-level restore needs every ZooKeeper server stopped, and one is still answering. */
export class ZkServersRunningError extends ActionError {
  constructor(running: string[]) {
    super('SERVICE_RUNNING', `refusing file restore: ZooKeeper still answers on ${running.join(', ')}`, false, {
      running,
    });
  }
}

/** A remote step of the file-level restore failed. */
export class ZkRemoteStepError extends ActionError {
  constructor(host: string, step: string, details: Record<string, unknown> = {}) {
    super('ZK_REMOTE_STEP_FAILED', `${step} failed on ${host}`, true, { host, step, ...details });
  }
}

const RETRYABLE_CODES = new Set([
  Exception.CONNECTION_LOSS,
  Exception.OPERATION_TIMEOUT,
  Exception.SESSION_EXPIRED,
  Exception.SYSTEM_ERROR,
]);

/** Maps anything a ZooKeeper call threw to an ActionError; ActionErrors pass through. */
export function mapZkError(err: unknown, path?: string): ActionError {
  if (err instanceof ActionError) return err;
  const e = err as { code?: unknown; name?: string; message?: string; path?: string };
  if (typeof e?.code === 'number') {
    const p = e.path ?? path;
    if (e.code === Exception.NO_NODE) return new ZkNoNodeError(p ?? '?');
    if (e.code === Exception.NODE_EXISTS) return new ZkNodeExistsError(p ?? '?');
    if (e.code === Exception.NO_AUTH || e.code === Exception.AUTH_FAILED) return new ZkNoAuthError(p);
    if (RETRYABLE_CODES.has(e.code))
      return new ZkUnavailableError(`${e.name ?? 'ZooKeeper error'} on ${p ?? '?'}`, { zkCode: e.code });
    return new ZkOperationError(`${e.name ?? 'ZooKeeper error'} (${e.code}) on ${p ?? '?'}`, {
      zkCode: e.code,
      path: p,
    });
  }
  if (typeof e?.code === 'string') {
    return new ZkUnavailableError(`${e.code}: ${e.message ?? ''}`.trim(), { errno: e.code });
  }
  return new ZkOperationError(e?.message ?? String(err));
}

/** A prune at the ensemble root `/` (no chroot) without the step's explicit `pruneRoot: true`. */
export class ZkPruneRootRefusedError extends ActionError {
  constructor() {
    super(
      'ZK_PRUNE_ROOT_REFUSED',
      "refusing to prune the ensemble root '/': it would delete every other tenant's znodes; give the inventory a chroot, set prune: false, or set pruneRoot: true if you mean it",
      false,
      { root: '/' },
    );
  }
}

const MISMATCH_CODES = {
  root: 'ZK_BACKUP_ROOT_MISMATCH',
  ensemble: 'ZK_BACKUP_ENSEMBLE_MISMATCH',
  clusterId: 'ZK_BACKUP_CLUSTER_ID_MISMATCH',
};

/** The backup was taken of another subtree, ensemble or Kafka cluster than the restore's target. */
export class ZkBackupMismatchError extends ActionError {
  constructor(check: keyof typeof MISMATCH_CODES, backup: string, target: string) {
    super(
      MISMATCH_CODES[check],
      `refusing to restore: the backup's ${check} is ${backup}, the target's is ${target} (allowMismatch: [${check}] restores anyway)`,
      false,
      { check, backup, target },
    );
  }
}
