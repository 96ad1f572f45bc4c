/**
 * The composition root: connects to Temporal and creates a Worker with the engine's workflows and
 * every activity family (plus extra activities, e.g. the test-only rehearsal family).
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';
import { createActivities, createResources } from '../activities';
import type { ActionActivity, ActivityResources } from '../activities';
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
  /** The activity pools (SSH, ZooKeeper, Kafka); created when absent. The caller closes them after the worker stops. */
  resources?: ActivityResources;
  /** Activity interceptors (the worker service's logging and metrics). */
  activityInterceptors?: ActivityInterceptorsFactory[];
  /** Extra Worker options (e.g. shutdownGraceTime in tests). */
  tuning?: Partial<
    Pick<WorkerOptions, 'shutdownGraceTime' | 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions'>
  >;
}

/** How long past the grace period a shutdown may take before the SDK gives up on it (the run() rejects). */
export const SHUTDOWN_FORCE_MARGIN_MS = 15_000;

/** The path the bundler starts from: the workflow entry point. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * Creates a Worker; call `.run()` to start polling.
 * @throws when Temporal is unreachable or the workflow bundle fails to build.
 */
export async function createRekindleWorker(
  opts: CreateWorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection; resources: ActivityResources }> {
  const connection = opts.connection ?? (await NativeConnection.connect({ address: opts.config.temporalAddress }));
  const deps = { ...(opts.config.backupStore ? { backupStore: opts.config.backupStore } : {}) };
  const resources = opts.resources ?? createResources(deps);
  const grace = opts.config.shutdownGraceMs;
  const activities = {
    ...createActivities(deps, resources),
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
    ...(grace !== undefined ? { shutdownGraceTime: grace, shutdownForceTime: grace + SHUTDOWN_FORCE_MARGIN_MS } : {}),
    ...(opts.activityInterceptors ? { interceptors: { activity: opts.activityInterceptors } } : {}),
    ...(opts.tuning ?? {}),
  });
  return { worker, connection, resources };
}
