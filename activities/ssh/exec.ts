/**
 * Runs one command on a connected client with the double timeout: `timeout --kill-after` on the remote
 * side (ssh2's stream.signal() is unreliable) and a local timer that closes the channel. Output is
 * captured into tail buffers. Cancellation closes the channel and kills the remote process group.
 */
import type { Client, ClientChannel } from 'ssh2';
import { ActionCancelledError } from '../errors';
import { SshChannelError } from './errors';
import { fencePrelude, type FenceHold } from './fence';
import { shellQuote } from './quote';
import { TailBuffer } from './tail-buffer';

export interface ExecOptions {
  timeoutMs: number;
  /** Grace between the remote TERM and KILL. */
  killAfterMs?: number;
  maxOutputBytes?: number;
  stdin?: Buffer;
  signal?: AbortSignal;
  /** Run only while this attempt holds the target's fence lock (activities/ssh/fence.ts). */
  fence?: FenceHold;
  /** Called on every output chunk with byte counts so far (the caller throttles heartbeats). */
  onProgress?: (p: { stdoutBytes: number; stderrBytes: number; lastLine: string }) => void;
}

export interface ExecOutcome {
  exitCode: number | null;
  exitSignal?: string;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  timedOut: boolean;
  /** The remote process group id (the wrapper's pid), when it reported it. */
  remotePid?: number;
}

const PID_MARK = '__REKINDLE_PID=';

/**
 * The remote wrapper: under a fence, first checks the lock is still this attempt's and registers its pid
 * (else prints FENCED_MARK and exits 75 without running anything); then reports its pid on stderr and
 * execs `timeout` (which makes itself a group leader, so the pid names the command's process group).
 */
export function wrapCommand(command: string, timeoutMs: number, killAfterMs: number, fence?: FenceHold): string {
  const secs = (ms: number) => `${Math.max(0.1, ms / 1000).toFixed(1)}s`;
  const run = `echo ${PID_MARK}$$ >&2; exec timeout --kill-after=${secs(killAfterMs)} ${secs(timeoutMs)} sh -c "$1"`;
  const script = fence ? `${fencePrelude()} ${run}` : run;
  const args = fence ? [command, fence.dir, fence.key, fence.token] : [command];
  return `exec sh -c ${shellQuote(script)} rekindle ${args.map(shellQuote).join(' ')}`;
}

/**
 * Runs `command`. Resolves with the outcome whatever the exit code; rejects with SshChannelError when
 * the channel cannot open or drops, ActionCancelledError when `signal` aborts.
 */
export function execOnClient(host: string, client: Client, command: string, opts: ExecOptions): Promise<ExecOutcome> {
  const killAfterMs = opts.killAfterMs ?? 5_000;
  const cap = opts.maxOutputBytes ?? 1_048_576;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new ActionCancelledError('cancelled before the command started'));
    client.exec(wrapCommand(command, opts.timeoutMs, killAfterMs, opts.fence), (err, stream) => {
      if (err) return reject(new SshChannelError(host, err.message));
      const out = new TailBuffer(cap);
      const errOut = new TailBuffer(cap);
      let stderrHead: Buffer | undefined = Buffer.alloc(0);
      let remotePid: number | undefined;
      let exitCode: number | null = null;
      let exitSignal: string | undefined;
      let localTimeout = false;
      let cancelled = false;
      let lastLine = '';
      const progress = (chunk: Buffer) => {
        const lines = chunk.toString('utf8').trimEnd().split('\n');
        lastLine = lines[lines.length - 1] || lastLine;
        opts.onProgress?.({ stdoutBytes: out.total, stderrBytes: errOut.total, lastLine });
      };
      stream.on('data', (chunk: Buffer) => {
        out.push(chunk);
        progress(chunk);
      });
      stream.stderr.on('data', (chunk: Buffer) => {
        if (stderrHead) {
          // The wrapper's first stderr line carries its pid; strip it from what the caller sees.
          stderrHead = Buffer.concat([stderrHead, chunk]);
          const nl = stderrHead.indexOf(10);
          if (nl < 0 && stderrHead.length < 64) return;
          const first = stderrHead.subarray(0, nl < 0 ? 0 : nl).toString();
          const rest = first.startsWith(PID_MARK) ? stderrHead.subarray(nl + 1) : stderrHead;
          if (first.startsWith(PID_MARK)) remotePid = Number(first.slice(PID_MARK.length));
          stderrHead = undefined;
          chunk = rest;
          if (chunk.length === 0) return;
        }
        errOut.push(chunk);
        progress(chunk);
      });
      stream.on('exit', (code: number | null, signal?: string) => {
        exitCode = code;
        exitSignal = signal ?? undefined;
      });
      // sshd answers our channel close only once its child exits, so neither path waits for 'close'.
      const timer = setTimeout(
        () => {
          localTimeout = true;
          closeChannel(stream);
          finish();
        },
        opts.timeoutMs + killAfterMs + 2_000,
      );
      const onAbort = () => {
        cancelled = true;
        closeChannel(stream);
        finish();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      let settled = false;
      stream.on('close', () => finish());
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        const durationMs = Date.now() - started;
        if (stderrHead && stderrHead.length > 0) errOut.push(stderrHead);
        if (cancelled) {
          return reject(Object.assign(new ActionCancelledError('command cancelled; channel closed'), { remotePid }));
        }
        // `timeout` exits 124 after TERM, and 137 (128+KILL) when the command ignored TERM.
        const remoteTimeout = (exitCode === 124 || exitCode === 137) && durationMs >= opts.timeoutMs;
        if (exitCode === null && !localTimeout && !exitSignal) {
          return reject(new SshChannelError(host, 'channel closed without an exit status'));
        }
        resolve({
          exitCode,
          exitSignal,
          stdout: out.text(),
          stderr: errOut.text(),
          stdoutTruncated: out.truncated,
          stderrTruncated: errOut.truncated,
          durationMs,
          timedOut: localTimeout || remoteTimeout,
          remotePid,
        });
      };
      if (opts.stdin) stream.end(opts.stdin);
      else stream.end();
    });
  });
}

function closeChannel(stream: ClientChannel): void {
  try {
    stream.signal('KILL');
  } catch {
    // Best effort only: many servers ignore signal requests.
  }
  stream.close();
}
