/**
 * One rehearsal environment per test file: a real Worker (workflows bundled once) on a unique task
 * queue of the lab's Temporal server, with the `test.*` family, and a Client to start runs.
 */
import { Client, Connection } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Plan } from '../../compiler/plan';
import { createRekindleWorker, WORKFLOWS_PATH } from '../../worker/create';
import { startRun } from '../../client/start';
import type { runRunbook } from '../../workflows';
import type { RunOptions } from '../../workflows/types';
import { temporalAddress, uniqueName } from './lab';
import { Journal, rehearsalActivities } from './rehearsal';

export interface Rehearsal {
  client: Client;
  taskQueue: string;
  journal: Journal;
  address: string;
  /** Starts `plan` as a run; returns its handle. */
  start(
    plan: Plan,
    options?: Partial<RunOptions>,
    params?: Record<string, unknown>,
  ): Promise<WorkflowHandle<typeof runRunbook>>;
  close(): Promise<void>;
}

let bundle: Promise<{ code: string }> | undefined;

/** The workflow bundle, built once per test file (process). */
export function workflowBundle(): Promise<{ code: string }> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  return bundle;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (m: string) => console.error(m),
};

let runtimeInstalled = false;

/** Keeps test output readable: only SDK errors are logged (failed runs are expected in rehearsals). Once per process. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed by an earlier environment in this process.
  }
}

/** Starts the environment: bundle, worker running in the background, client. */
export async function startRehearsal(prefix = 'rehearsal'): Promise<Rehearsal> {
  quietRuntime();
  const address = temporalAddress();
  const taskQueue = uniqueName(prefix);
  const journal = new Journal();
  const config = {
    temporalAddress: address,
    namespace: 'default',
    taskQueue,
    maxConcurrentActivities: 50,
    sources: [],
  };
  const { worker, connection, resources } = await createRekindleWorker({
    config,
    extraActivities: rehearsalActivities(journal),
    workflowBundle: await workflowBundle(),
    tuning: { shutdownGraceTime: '1s' },
  });
  const running = worker.run();
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace: 'default' });
  const started: Array<WorkflowHandle<typeof runRunbook>> = [];
  return {
    client,
    taskQueue,
    journal,
    address,
    start: async (plan, options = {}, params = {}) => {
      const { handle } = await startRun(client, {
        plan,
        params,
        taskQueue,
        options: { mode: 'recovery', dryRun: false, initiator: 'tester', ...options },
      });
      started.push(handle);
      return handle;
    },
    close: async () => {
      // A failed test may leave its run waiting for a decision: terminate it so no orphan stays running.
      for (const h of started) {
        const d = await h.describe().catch(() => undefined);
        if (d?.status.name === 'RUNNING') await h.terminate('rehearsal test ended').catch(() => undefined);
      }
      await shutdown(worker, running, connection);
      await clientConnection.close();
      // The built-in activities' pools (a test that runs real actions opens ZooKeeper sessions, SSH, Kafka).
      await Promise.all([resources.sshPool.close(), resources.zkPool.close(), resources.kafkaPool.close()]);
    },
  };
}

async function shutdown(worker: Worker, running: Promise<void>, connection: NativeConnection): Promise<void> {
  worker.shutdown();
  await running.catch(() => undefined);
  await connection.close();
}
