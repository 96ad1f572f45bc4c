/**
 * `--verify`: replays a history against the current workflow code (Worker.runReplayHistory) and
 * reports whether it replays cleanly, with the history's SHA-256 so a stored copy can be checked.
 */
import type { DataConverter } from '@temporalio/common';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { History } from './history';
import { historySha256 } from './history';

export interface VerifyResult {
  replayed: boolean;
  historySha256: string;
  /** Why replay failed: DeterminismViolationError, or another replay error. */
  error?: { type: string; message: string };
}

export interface VerifyOptions {
  /** A pre-built bundle (tests); otherwise the workflows are bundled from `workflowsPath`. */
  workflowBundle?: { code: string };
  workflowsPath?: string;
  dataConverter?: DataConverter;
  workflowId?: string;
}

/** The workflow entry point the worker bundles (same as worker/create.ts). */
export const DEFAULT_WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * Keeps replay noise off stdout (the CLI prints reports there): the SDK's and core's logs go to stderr,
 * errors only. A no-op when the process already installed a Runtime (tests, the worker).
 */
function quietRuntime(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('ERROR', (entry) => process.stderr.write(`${entry.level} ${entry.message}\n`)),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
    });
  } catch {
    // A Runtime is already installed; keep it.
  }
}

/**
 * Replays `history`. Never throws for a replay failure: it is reported in the result.
 * @throws only when the workflow code cannot be bundled.
 */
export async function verifyHistory(history: History, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const sha = historySha256(history);
  quietRuntime();
  const code = opts.workflowBundle
    ? { workflowBundle: opts.workflowBundle }
    : { workflowsPath: opts.workflowsPath ?? DEFAULT_WORKFLOWS_PATH };
  try {
    await Worker.runReplayHistory(
      {
        ...code,
        ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
        replayName: 'rekindle-audit-verify',
      },
      history,
      opts.workflowId,
    );
    return { replayed: true, historySha256: sha };
  } catch (err) {
    const e = err as Error;
    if (/bundle|webpack/i.test(e.name ?? '')) throw err;
    return { replayed: false, historySha256: sha, error: { type: e.name || 'Error', message: e.message } };
  }
}
