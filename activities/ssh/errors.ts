/**
 * The SSH family's failure kinds, and the mapping of ssh2 / socket errors onto them.
 * Codes are stable: the workflow branches on them. Each class decides whether a retry can help.
 */
import { ActionError } from '../errors';

/** The host presented a key that is not the pinned one (or not in known_hosts). Never retried. */
export class SshHostKeyMismatchError extends ActionError {
  constructor(host: string, details: Record<string, unknown> = {}) {
    super('SSH_HOST_KEY_MISMATCH', `host key of ${host} does not match the pinned key`, false, { host, ...details });
  }
}

/** The host is not in the inventory, or no key is pinned for it: we refuse to connect blind. */
export class SshUnknownHostError extends ActionError {
  constructor(host: string, reason: string) {
    super('SSH_HOST_UNKNOWN', `unknown host ${host}: ${reason}`, false, { host, reason });
  }
}

/** The server refused our key. */
export class SshAuthError extends ActionError {
  constructor(host: string, message: string) {
    super('SSH_AUTH_FAILED', `authentication to ${host} failed: ${message}`, false, { host });
  }
}

/** TCP or handshake failure (refused, reset, handshake timeout): transient, retryable. */
export class SshConnectError extends ActionError {
  constructor(host: string, message: string, details: Record<string, unknown> = {}) {
    super('SSH_CONNECT_FAILED', `cannot connect to ${host}: ${message}`, true, { host, ...details });
  }
}

/** A channel (exec/sftp) could not be opened or broke mid-way: retryable. */
export class SshChannelError extends ActionError {
  constructor(host: string, message: string) {
    super('SSH_CHANNEL_FAILED', `channel to ${host} failed: ${message}`, true, { host });
  }
}

/** The command ran past its timeout and was killed on the remote side (and the channel closed). */
export class SshTimeoutError extends ActionError {
  constructor(host: string, timeoutMs: number, details: Record<string, unknown> = {}) {
    super('SSH_TIMEOUT', `command on ${host} timed out after ${timeoutMs} ms`, true, { host, timeoutMs, ...details });
  }
}

/** The command exited non-zero; details carry the exit code and the output tails. */
export class SshCommandFailedError extends ActionError {
  constructor(host: string, exitCode: number | null, details: Record<string, unknown> = {}) {
    super('SSH_COMMAND_FAILED', `command on ${host} exited with ${exitCode}`, false, { host, exitCode, ...details });
  }
}

/** A file transfer failed (remote file missing, permission denied, short write). */
export class SshTransferError extends ActionError {
  constructor(host: string, message: string, retryable: boolean, details: Record<string, unknown> = {}) {
    super('SSH_TRANSFER_FAILED', `transfer with ${host} failed: ${message}`, retryable, { host, ...details });
  }
}

/** Maps an error emitted by an ssh2 Client during connect onto a typed error. */
export function mapConnectError(host: string, err: unknown): ActionError {
  if (err instanceof ActionError) return err;
  const e = err as Error & { level?: string; code?: string };
  if (e.level === 'client-authentication') return new SshAuthError(host, e.message);
  return new SshConnectError(host, e.message ?? String(err), { code: e.code, level: e.level });
}

/** ssh.put: the local source file does not exist. */
export class SshLocalFileNotFoundError extends ActionError {
  constructor(path: string) {
    super('SSH_LOCAL_FILE_NOT_FOUND', `local file ${path} does not exist`, false, { path });
  }
}

/** ssh.get: the remote file does not exist. */
export class SshRemoteFileNotFoundError extends ActionError {
  constructor(host: string, path: string) {
    super('SSH_REMOTE_FILE_NOT_FOUND', `${host}:${path} does not exist`, false, { host, path });
  }
}

/**
 * Another attempt holds the fence lock on this target (docs/fencing.md), or the processes of a dead holder
 * could not be ended. Retryable: the holder finishes, is cancelled, or dies and is taken over.
 */
export class TargetLockedError extends ActionError {
  constructor(host: string, key: string, holder: string, details: Record<string, unknown> = {}) {
    super('TARGET_LOCKED', `${host}: ${key} is locked by ${holder || 'another attempt'}`, true, {
      host,
      key,
      holder,
      ...details,
    });
  }
}

/**
 * This attempt's fence lock on the target was taken over (its holder was presumed gone): the command was
 * refused before it ran. Retryable: the engine's current attempt, not this one, owns the target now.
 */
export class TargetLockLostError extends ActionError {
  constructor(host: string, key: string) {
    super('TARGET_LOCK_LOST', `${host}: this attempt no longer holds ${key}; the command was not run`, true, {
      host,
      key,
    });
  }
}
