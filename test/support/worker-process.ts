/** Rehearsal workers as child processes (test/support/rehearsal-worker.ts), for tests that SIGKILL them. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { temporalAddress } from './lab';

const ROOT = join(__dirname, '..', '..');

/** Every worker this process started, so a suite's afterAll can end them all. */
const started: ChildProcess[] = [];

/** Starts a rehearsal worker on `taskQueue`, journaling to `journal`; resolves once it polls. */
export function startWorkerProcess(taskQueue: string, journal: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'test', 'support', 'rehearsal-worker.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      REKINDLE_TEMPORAL_ADDRESS: temporalAddress(),
      REKINDLE_TASK_QUEUE: taskQueue,
      REHEARSAL_JOURNAL: journal,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`rehearsal worker exited during start-up (${code})`)));
  });
}

/** SIGKILLs `child` (by its pid) and resolves once it has exited. */
export function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Ends every worker started here. */
export async function killAllWorkers(): Promise<void> {
  for (const c of started) await killed(c);
}
