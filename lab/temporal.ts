/**
 * The lab's Temporal: the CLI's dev server (`temporal server start-dev`) with a SQLite file under the
 * state dir, so runs survive a restart of the server.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import type { LabConfig } from './config';
import { SEARCH_ATTRIBUTES, TEMPORAL_CLI_VERSION, paths } from './config';
import { LabError, livePid, portOpen, removeFile, startDetached, stopPid, waitFor } from './procs';

const pidFile = (c: LabConfig) => join(c.stateDir, 'temporal', 'temporal.pid');
const dbFile = (c: LabConfig) => join(c.stateDir, 'temporal', 'temporal.db');

/**
 * TEMPORAL_CLI if set, else `temporal` on PATH, else the cached build, else builds it with
 * `go install` into the cache. Throws with the build's output when that fails.
 */
export function resolveTemporalCli(c: LabConfig): string {
  if (process.env.TEMPORAL_CLI) return process.env.TEMPORAL_CLI;
  const onPath = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  const cached = paths.temporalBin(c);
  if (existsSync(cached)) return cached;
  console.log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (once; cached in ${cached})...`);
  mkdirSync(join(c.cacheDir, 'bin'), { recursive: true });
  execFileSync('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: join(c.cacheDir, 'bin') },
    stdio: 'inherit',
  });
  return cached;
}

export function temporalPid(c: LabConfig): number | undefined {
  return livePid(pidFile(c), dbFile(c));
}

export async function startTemporal(c: LabConfig): Promise<void> {
  if (temporalPid(c) === undefined) {
    const cli = resolveTemporalCli(c);
    mkdirSync(join(c.stateDir, 'temporal'), { recursive: true });
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(c.ports.temporal)];
    args.push('--ui-ip', '127.0.0.1', '--ui-port', String(c.ports.temporalUi), '--db-filename', dbFile(c));
    args.push('--namespace', 'default', '--log-level', 'warn');
    for (const name of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=Keyword`);
    args.push('--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true');
    startDetached(cli, args, join(paths.logs(c), 'temporal.log'), pidFile(c));
  }
  await waitTemporalReady(c);
}

export async function waitTemporalReady(c: LabConfig, timeoutMs = 60_000): Promise<void> {
  const address = `127.0.0.1:${c.ports.temporal}`;
  await waitFor(
    `Temporal at ${address}`,
    async () => {
      if (temporalPid(c) === undefined) {
        throw new LabError(`the Temporal server exited during start-up; see ${join(paths.logs(c), 'temporal.log')}`);
      }
      if (!(await portOpen(c.ports.temporal))) return false;
      const conn = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await conn.workflowService.describeNamespace({ namespace: 'default' });
        return true;
      } finally {
        await conn.close();
      }
    },
    timeoutMs,
    `; see ${join(paths.logs(c), 'temporal.log')}`,
  );
}

export async function stopTemporal(c: LabConfig): Promise<void> {
  const pid = temporalPid(c);
  if (pid !== undefined) await stopPid(pid);
  removeFile(pidFile(c));
}
