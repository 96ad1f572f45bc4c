/**
 * Runs `rekindle worker` as a child process and restarts it when it dies, as systemd would on a real
 * worker host. The e2e crash test kills it by pid mid-restore and expects the run to carry on.
 * It is stopped with SIGTERM alone; SIGKILL is only a fallback, counted in `sigkills` for the report.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface WorkerProcessOptions {
  env: Record<string, string>;
  logFile: string;
  log: (s: string) => void;
  /** How long after SIGTERM the SIGKILL fallback fires (default 25 s: the drill's 10 s grace plus closing). */
  killAfterMs?: number;
}

/** The drill worker's grace period: a step interrupted by a restart is retried by the next worker anyway. */
const DRILL_SHUTDOWN_GRACE = '10s';
/**
 * The node arguments that run the CLI the way this module itself runs: compiled (dist/cli/main.js, what
 * bin/rekindle.js runs) or from source (cli/main.ts through tsx's CommonJS and ESM hooks, in one process
 * so that killing the pid kills the worker). Running from source never starts a stale compiled worker.
 */
export function workerArgs(): string[] {
  if (!__filename.endsWith('.ts')) return [join(__dirname, '..', 'cli', 'main.js')];
  return [
    '--require',
    require.resolve('tsx/cjs'),
    '--import',
    require.resolve('tsx/esm'),
    join(__dirname, '..', 'cli', 'main.ts'),
  ];
}

export class SupervisedWorker {
  private child?: ChildProcess;
  private stopping = false;
  /** How many times the worker was (re)started. */
  starts = 0;
  /** How many times stop() had to fall back to SIGKILL because SIGTERM did not end the worker. */
  sigkills = 0;
  /** The worker's health and metrics endpoint (`http://127.0.0.1:PORT`), once it started. */
  url?: string;

  constructor(private readonly opts: WorkerProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the worker and resolves once it polls its task queue. Throws if it exits first. */
  async start(): Promise<void> {
    mkdirSync(dirname(this.opts.logFile), { recursive: true });
    const out = createWriteStream(this.opts.logFile, { flags: 'a' });
    const env = {
      REKINDLE_HTTP_ADDRESS: '127.0.0.1:0',
      REKINDLE_SHUTDOWN_GRACE: DRILL_SHUTDOWN_GRACE,
      ...this.opts.env,
    };
    const child = spawn(process.execPath, [...workerArgs(), 'worker'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    child.stderr!.pipe(out);
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const onData = (d: Buffer) => {
        out.write(d);
        seen += d.toString();
        this.url = /(http:\/\/[^\s"/]+)\/healthz/.exec(seen)?.[1] ?? this.url;
        if (/rekindle worker ready/.test(seen)) {
          child.stdout!.off('data', onData);
          child.stdout!.pipe(out);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) =>
        reject(new Error(`the worker exited during start-up (code ${code}); see ${this.opts.logFile}`)),
      );
    });
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.opts.log(`worker pid ${child.pid} died (${signal ?? `exit ${code}`}); starting a new one`);
      this.start().catch((err: Error) => this.opts.log(`could not restart the worker: ${err.message}`));
    });
  }

  /** Stops the worker with SIGTERM and does not restart it; SIGKILL only when it has not exited after killAfterMs. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const killAfterMs = this.opts.killAfterMs ?? 25_000;
    const timer = setTimeout(() => {
      this.sigkills++;
      this.opts.log(
        `⚠ worker pid ${child.pid} still running ${killAfterMs} ms after SIGTERM: SIGKILL (fallback used ${this.sigkills}×); see ${this.opts.logFile}`,
      );
      child.kill('SIGKILL');
    }, killAfterMs);
    await exited;
    clearTimeout(timer);
  }
}

export const workerLogFile = (stateDir: string) => join(stateDir, 'logs', 'drill-worker.log');
