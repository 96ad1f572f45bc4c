/**
 * The composition root: connects to Temporal and creates a Worker with the engine's workflows and
 * every activity family (plus extra activities, e.g. the test-only rehearsal family).
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ActionActivity } from '../activities';
import type { WorkerConfig } from './config';
import { dataConverterFor } from '../codec';

export interface CreateWorkerOptions {
  config: WorkerConfig;
  /** Activities registered besides the built-in families (same name wins over a built-in). */
  extraActivities?: Record<string, ActionActivity>;
  /** A pre-built bundle (tests bundle once per suite); otherwise the workflows are bundled now. */
  workflowBundle?: { code: string };
  /** Reuse a connection; otherwise one is opened (and closed by `closeWorker`). */
  connection?: NativeConnection;
  identity?: string;
  /** Extra Worker options (e.g. shutdownGraceTime in tests). */
  tuning?: Partial<
    Pick<WorkerOptions, 'shutdownGraceTime' | 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions'>
  >;
}

/** The path the bundler starts from: the workflow entry point. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * Creates a Worker; call `.run()` to start polling.
 * @throws when Temporal is unreachable or the workflow bundle fails to build.
 */
export async function createRekindleWorker(
  opts: CreateWorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = opts.connection ?? (await NativeConnection.connect({ address: opts.config.temporalAddress }));
  const activities = {
    ...createActivities({ ...(opts.config.backupStore ? { backupStore: opts.config.backupStore } : {}) }),
    ...(opts.extraActivities ?? {}),
  };
  const worker = await Worker.create({
    connection,
    namespace: opts.config.namespace,
    taskQueue: opts.config.taskQueue,
    activities,
    ...(opts.config.codecKeyFile ? { dataConverter: dataConverterFor(opts.config.codecKeyFile) } : {}),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    maxConcurrentActivityTaskExecutions: opts.config.maxConcurrentActivities,
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(opts.tuning ?? {}),
  });
  return { worker, connection };
}
