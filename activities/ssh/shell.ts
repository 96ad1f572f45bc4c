/**
 * The SSH family's facade over the pool: run commands and move files on inventory hosts by name.
 * Other families (service, backup) receive it through createActivities, typed by their own interfaces.
 */
import type { SFTPWrapper } from 'ssh2';
import type { InventoryHost } from '../../compiler/inventory';
import { ActionCancelledError } from '../errors';
import { SshCommandFailedError, SshTimeoutError, SshTransferError, TargetLockLostError } from './errors';
import type { ExecOptions, ExecOutcome } from './exec';
import { FENCED_MARK, heldOn } from './fence';
import type { SshPool } from './pool';
import { shellQuote } from './quote';
import { inventoryHost, resolveTarget, type PathResolver, type SshTarget } from './target';

export type RunOptions = Partial<ExecOptions> & { okExitCodes?: number[] };

const TAIL = 4096;
const tail = (s: string) => (s.length > TAIL ? s.slice(-TAIL) : s);

/** Commands and files on inventory hosts, over pooled verified connections. */
export class SshShell {
  constructor(
    readonly pool: SshPool,
    private readonly resolvePath: PathResolver = (p) => p,
  ) {}

  /** The verified target for a host name. Throws SshUnknownHostError. */
  target(inventory: Record<string, unknown>, host: string): SshTarget {
    return resolveTarget(inventoryHost(inventory, host), this.resolvePath);
  }

  /** The inventory entry for a host name. Throws SshUnknownHostError. */
  host(inventory: Record<string, unknown>, host: string): InventoryHost {
    return inventoryHost(inventory, host);
  }

  /**
   * Runs a command and returns the outcome whatever its exit code; throws the transport errors, and
   * TargetLockLostError when the command runs under a fence lock this attempt no longer holds.
   */
  async exec(
    inventory: Record<string, unknown>,
    host: string,
    command: string,
    opts: Partial<ExecOptions> = {},
  ): Promise<ExecOutcome> {
    const target = this.target(inventory, host);
    const fence = heldOn(host);
    try {
      const r = await this.pool.exec(target, command, { timeoutMs: 60_000, ...opts, ...(fence ? { fence } : {}) });
      if (fence && r.exitCode === 75 && r.stderr.startsWith(FENCED_MARK))
        throw new TargetLockLostError(host, fence.key);
      return r;
    } catch (err) {
      const pid = (err as { remotePid?: unknown }).remotePid;
      if (err instanceof ActionCancelledError && typeof pid === 'number' && pid > 1) {
        // Closing the channel does not stop a process without a tty: kill the wrapper's process group.
        const kill = `kill -TERM -${pid} 2>/dev/null; sleep 1; kill -KILL -${pid} 2>/dev/null; true`;
        await this.pool.exec(target, kill, { timeoutMs: 10_000 }).catch(() => undefined);
      }
      throw err;
    }
  }

  /**
   * Runs a command and requires an accepted exit code. Throws SshTimeoutError, SshCommandFailedError
   * (with output tails), or the transport errors.
   */
  async run(
    inventory: Record<string, unknown>,
    host: string,
    command: string,
    opts: RunOptions = {},
  ): Promise<ExecOutcome> {
    const r = await this.exec(inventory, host, command, opts);
    return checkOutcome(host, r, opts.timeoutMs ?? 60_000, opts.okExitCodes ?? [0]);
  }

  /** SHA-256 of a remote file, or undefined when it does not exist. */
  async remoteSha256(inventory: Record<string, unknown>, host: string, path: string): Promise<string | undefined> {
    const q = shellQuote(path);
    const r = await this.run(inventory, host, `if [ -f ${q} ]; then sha256sum -- ${q}; else echo MISSING; fi`);
    const word = r.stdout.trim().split(/\s+/)[0];
    return word === 'MISSING' ? undefined : word;
  }

  /** Runs `fn` with an SFTP session on the host. */
  sftp<T>(inventory: Record<string, unknown>, host: string, fn: (s: SFTPWrapper) => Promise<T>): Promise<T> {
    return this.pool.sftp(this.target(inventory, host), fn);
  }

  /** Copies a local file to the host (SFTP), then moves it into place atomically. Throws SshTransferError. */
  async upload(inventory: Record<string, unknown>, host: string, localPath: string, remotePath: string): Promise<void> {
    const tmp = `${remotePath}.rekindle-${process.pid}-${Date.now()}`;
    await this.sftp(inventory, host, (s) => sftpCall(host, (cb) => s.fastPut(localPath, tmp, cb)));
    await this.run(inventory, host, `mv -f -- ${shellQuote(tmp)} ${shellQuote(remotePath)}`);
  }

  /** Copies a remote file to a local path (SFTP). Throws SshTransferError (non-retryable when missing). */
  async download(
    inventory: Record<string, unknown>,
    host: string,
    remotePath: string,
    localPath: string,
  ): Promise<void> {
    await this.sftp(inventory, host, (s) => sftpCall(host, (cb) => s.fastGet(remotePath, localPath, cb)));
  }
}

/** Applies the exit-code policy to an outcome. Throws SshTimeoutError or SshCommandFailedError. */
export function checkOutcome(host: string, r: ExecOutcome, timeoutMs: number, okExitCodes: number[]): ExecOutcome {
  const details = { stdoutTail: tail(r.stdout), stderrTail: tail(r.stderr), durationMs: r.durationMs };
  if (r.timedOut) throw new SshTimeoutError(host, timeoutMs, details);
  if (r.exitCode === null || !okExitCodes.includes(r.exitCode)) {
    throw new SshCommandFailedError(host, r.exitCode, { ...details, exitSignal: r.exitSignal });
  }
  return r;
}

function sftpCall(host: string, op: (cb: (err: Error | null | undefined) => void) => void): Promise<void> {
  return new Promise((resolve, reject) =>
    op((err) => {
      if (!err) return resolve();
      const code = (err as Error & { code?: number }).code;
      // SFTP status 2 = NO_SUCH_FILE, 3 = PERMISSION_DENIED: retrying will not help.
      reject(new SshTransferError(host, err.message, !(code === 2 || code === 3), { sftpCode: code }));
    }),
  );
}
