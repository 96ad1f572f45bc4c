/**
 * One pooled, verified connection per host per worker, with sessions queued under sshd's MaxSessions.
 * A broken connection is dropped from the pool and reopened on next use.
 */
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { ActionCancelledError } from '../errors';
import { connect, DEFAULT_CONNECT_OPTIONS, type ConnectOptions } from './connection';
import { SshChannelError } from './errors';
import { execOnClient, type ExecOptions, type ExecOutcome } from './exec';
import { Semaphore } from './semaphore';
import type { SshTarget } from './target';

export interface SshPoolOptions extends Partial<ConnectOptions> {
  /** Concurrent sessions per connection; OpenSSH's MaxSessions defaults to 10, keep a margin. */
  maxSessions?: number;
}

interface Pooled {
  client: Client;
  sessions: Semaphore;
}

/** The SSH connection pool of one worker. Call close() when the worker shuts down. */
export class SshPool {
  private readonly conns = new Map<string, Promise<Pooled>>();
  private readonly connectOptions: ConnectOptions;
  private readonly maxSessions: number;
  /** Connections opened so far (for tests and metrics). */
  opened = 0;

  constructor(options: SshPoolOptions = {}) {
    this.connectOptions = { ...DEFAULT_CONNECT_OPTIONS, ...options };
    this.maxSessions = options.maxSessions ?? 8;
  }

  /** The pooled connection for a target, opening it if needed. Rejects with the connect errors. */
  private get(target: SshTarget): Promise<Pooled> {
    let entry = this.conns.get(target.poolKey);
    if (!entry) {
      entry = connect(target, this.connectOptions).then((client) => {
        this.opened++;
        const drop = () => {
          if (this.conns.get(target.poolKey) === entry) this.conns.delete(target.poolKey);
        };
        client.on('close', drop);
        client.on('error', drop);
        client.on('end', drop);
        return { client, sessions: new Semaphore(this.maxSessions) };
      });
      // A failed connect must not poison the pool.
      entry.catch(() => this.conns.delete(target.poolKey));
      this.conns.set(target.poolKey, entry);
    }
    return entry;
  }

  /** Runs a command (see execOnClient), queued under the session limit. */
  async exec(target: SshTarget, command: string, opts: ExecOptions): Promise<ExecOutcome> {
    const pooled = await this.get(target);
    return pooled.sessions.run(() => {
      if (opts.signal?.aborted) throw new ActionCancelledError('cancelled while queued for a session');
      return execOnClient(target.host, pooled.client, command, opts);
    });
  }

  /**
   * Opens a raw exec channel (no wrapper, stdin left open) and runs `fn` with it, holding a session slot
   * until `fn` settles: for a remote process whose life is bound to the channel (the fence keeper).
   */
  async channel<T>(target: SshTarget, command: string, fn: (stream: ClientChannel) => Promise<T>): Promise<T> {
    const pooled = await this.get(target);
    return pooled.sessions.run(async () => {
      const stream = await new Promise<ClientChannel>((resolve, reject) =>
        pooled.client.exec(command, (err, s) =>
          err ? reject(new SshChannelError(target.host, err.message)) : resolve(s),
        ),
      );
      return fn(stream);
    });
  }

  /** Opens an SFTP session, runs `fn`, and always closes the session. */
  async sftp<T>(target: SshTarget, fn: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    const pooled = await this.get(target);
    return pooled.sessions.run(async () => {
      const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
        pooled.client.sftp((err, s) => (err ? reject(new SshChannelError(target.host, err.message)) : resolve(s))),
      );
      try {
        return await fn(sftp);
      } finally {
        sftp.end();
      }
    });
  }

  /** Number of open (or opening) connections. */
  get size(): number {
    return this.conns.size;
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    const all = [...this.conns.values()];
    this.conns.clear();
    await Promise.all(all.map((p) => p.then((c) => c.client.end()).catch(() => undefined)));
  }
}
