/** The compiled CLI as a child process, pointed at a rehearsal's Temporal and task queue. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Rehearsal } from './rehearsal-env';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

const BIN = join(__dirname, '..', '..', 'bin', 'rekindle.js');

/**
 * A `cli(...args)` for the rehearsal `env()` returns (read at each call, so it can be set in beforeAll).
 * Asynchronous: a synchronous spawn would block the test process's in-process worker.
 */
export function rehearsalCli(env: () => Rehearsal, extraEnv: Record<string, string> = {}) {
  return (...args: string[]): Promise<CliResult> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        {
          env: {
            ...process.env,
            REKINDLE_TEMPORAL_ADDRESS: env().address,
            REKINDLE_TASK_QUEUE: env().taskQueue,
            ...extraEnv,
          },
          encoding: 'utf8',
          timeout: 60_000,
        },
        (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, out: stdout, err: stderr }),
      );
    });
}
