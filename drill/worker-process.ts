/**
 * Runs `rekindle worker` as a child process and restarts it when it dies, as systemd would on a real
 * worker host. The e2e crash test kills it by pid mid-restore and expects the run to carry on.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface WorkerProcessOptions {
  env: Record<string, string>;
  logFile: string;
  log: (s: string) => void;
}

/**
 * The node arguments that run the CLI the way this module itself runs: compiled (dist/cli/main.js, what
 * bin/rekindle.js runs) or from source (cli/main.ts through tsx's CommonJS and ESM hooks, in one process
 * so that killing the pid kills the worker). Running from source never starts a stale compiled worker.
 */
export function workerArgs(): string[] {
  if (!__filename.endsWith('.ts')) return [join(__dirname, '..', 'cli', 'main.js')];
  return ['--require', require.resolve('tsx/cjs'), '--import', require.resolve('tsx/esm'), join(__dirname, '..', 'cli', 'main.ts')];
}

export class SupervisedWorker {
  private child?: ChildProcess;
  private stopping = false;
  /** How many times the worker was (re)started. */
  starts = 0;

  constructor(private readonly opts: WorkerProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the worker and resolves once it polls its task queue. Throws if it exits first. */
  async start(): Promise<void> {
    mkdirSync(dirname(this.opts.logFile), { recursive: true });
    const out = createWriteStream(this.opts.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [...workerArgs(), 'worker'], { env: { ...process.env, ...this.opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.starts++;
    child.stderr!.pipe(out);
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const onData = (d: Buffer) => {
        out.write(d);
        seen += d.toString();
        if (/RUNNING|polling|ready/i.test(seen)) {
          child.stdout!.off('data', onData);
          child.stdout!.pipe(out);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`the worker exited during start-up (code ${code}); see ${this.opts.logFile}`)));
    });
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.opts.log(`worker pid ${child.pid} died (${signal ?? `exit ${code}`}); starting a new one`);
      this.start().catch((err: Error) => this.opts.log(`could not restart the worker: ${err.message}`));
    });
  }

  /** Stops the worker (SIGTERM, then SIGKILL after 10 s) and does not restart it. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

export const workerLogFile = (stateDir: string) => join(stateDir, 'logs', 'drill-worker.log');
