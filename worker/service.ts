/**
 * `rekindle worker` as a production service: structured logs, the optional health and metrics endpoint,
 * and a shutdown that ends the process.
 *
 * Shutdown: the first SIGTERM or SIGINT stops polling; running activities get the grace period to finish,
 * then the SDK cancels them (they fail as WORKER_SHUTDOWN, which Temporal retries on another worker). Once
 * the worker has drained, every pool is closed (SSH connections, ZooKeeper sessions, Kafka admins, the
 * Temporal connection, the HTTP endpoint): before this, the pooled SSH connections kept the process alive
 * after `STOPPED` until a SIGKILL. The resolved exit code is 0. A second signal exits at once.
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger as Pino } from 'pino';
import { createResources } from '../activities';
import type { ActivityResources } from '../activities';
import type { WorkerConfig } from './config';
import { DEFAULT_SHUTDOWN_GRACE_MS } from './config';
import { createRekindleWorker } from './create';
import { freeLoopbackPort, startEndpoint } from './http';
import type { Endpoint, Health } from './http';
import { activityInterceptors } from './interceptors';
import { createWorkerLogger, PinoSdkLogger } from './logging';
import { WorkerMetrics } from './metrics';
import type { Redactor } from './redact';
import { secretFileValues } from './redact';

/** How long closing the pools may take before the worker gives up on a stuck one. */
const CLOSE_TIMEOUT_MS = 10_000;
/** If something still holds the event loop this long after everything was closed, exit anyway (and say what). */
const LINGER_LIMIT_MS = 5_000;
const SECRET_ENV = /PASSWORD|PASSPHRASE|SECRET|TOKEN|API_KEY|PRIVATE_KEY/i;

/** Masks the values the worker resolves from secret references: the codec key file, secret-named variables. */
function registerSecrets(redactor: Redactor, config: WorkerConfig, env: NodeJS.ProcessEnv): void {
  for (const [k, v] of Object.entries(env)) if (SECRET_ENV.test(k)) redactor.addValue(v);
  if (config.codecKeyFile) {
    try {
      for (const v of secretFileValues(readFileSync(config.codecKeyFile, 'utf8'))) redactor.addValue(v);
    } catch {
      // Unreadable here means the codec fails to load too, with its own error.
    }
  }
}

function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Closes every pool; a stuck one is logged and left behind. */
async function closeAll(
  log: Pino,
  resources: ActivityResources,
  connection: NativeConnection,
  endpoint?: Endpoint,
): Promise<void> {
  const steps: Array<[string, () => Promise<void>]> = [
    ['SSH connections', () => resources.sshPool.close()],
    ['ZooKeeper sessions', () => resources.zkPool.close()],
    ['Kafka admins', () => resources.kafkaPool.close()],
    ['Temporal connection', () => connection.close()],
    ['HTTP endpoint', () => endpoint?.close() ?? Promise.resolve()],
  ];
  const open = { ssh: resources.sshPool.size, zookeeper: resources.zkPool.size, kafka: resources.kafkaPool.size };
  log.info({ open }, 'closing SSH, ZooKeeper, Kafka and Temporal connections');
  for (const [what, close] of steps) {
    const r = await within(
      close().then(() => 'ok' as const),
      CLOSE_TIMEOUT_MS,
    ).catch((err: Error) => err);
    if (r === 'timeout') log.warn(`closing the ${what} took over ${CLOSE_TIMEOUT_MS} ms; leaving them`);
    else if (r instanceof Error) log.warn({ err: r }, `closing the ${what} failed`);
  }
}

/** Installs the Temporal runtime once per process, wired to our logger and (optionally) Core's Prometheus exporter. */
function installRuntime(log: Pino, coreMetricsAddress: string | undefined): void {
  Runtime.install({
    logger: new PinoSdkLogger(log),
    // Signals are ours: the SDK's handler would stop the worker but never close our pools or exit.
    shutdownSignals: [],
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      ...(coreMetricsAddress ? { metrics: { prometheus: { bindAddress: coreMetricsAddress } } } : {}),
    },
  });
}

/**
 * Runs the worker until a signal stops it; resolves to the exit code (0 after a graceful shutdown, 1 when
 * the worker failed or its shutdown overran the grace period by SHUTDOWN_FORCE_MARGIN_MS).
 * @throws when Temporal is unreachable at start, the endpoint cannot bind, or the bundle fails to build.
 */
export async function runWorkerService(config: WorkerConfig, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const graceMs = config.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  const { log, redactor } = createWorkerLogger({ format: config.logFormat, level: config.logLevel });
  registerSecrets(redactor, config, env);
  let worker: Worker | undefined;
  let stopRequested = false;
  let stopStarted = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested) {
      log.warn({ signal }, 'second signal: exiting now, without waiting for running activities');
      process.exit(128 + (constants.signals[signal] ?? 15));
    }
    stopRequested = true;
    stopStarted = performance.now();
    log.info(
      { signal, graceMs },
      `${signal}: stopping; running activities get ${graceMs} ms to finish (a second signal exits at once)`,
    );
    if (worker?.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const coreMetricsAddress = config.httpAddress ? `127.0.0.1:${await freeLoopbackPort()}` : undefined;
    installRuntime(log, coreMetricsAddress);
    const resources = createResources({ ...(config.backupStore ? { backupStore: config.backupStore } : {}) });
    const metrics = new WorkerMetrics(
      { taskQueue: config.taskQueue, namespace: config.namespace },
      {
        ssh: () => resources.sshPool.size,
        zookeeper: () => resources.zkPool.size,
        kafka: () => resources.kafkaPool.size,
      },
      () => worker?.getState() ?? 'INITIALIZED',
    );
    const created = await createRekindleWorker({
      config,
      resources,
      activityInterceptors: [activityInterceptors(metrics)],
    });
    worker = created.worker;
    const connection = created.connection;
    let endpoint: Endpoint | undefined;
    let code = 0;
    try {
      if (config.httpAddress) {
        endpoint = await startEndpoint({
          address: config.httpAddress,
          metrics,
          coreMetricsAddress,
          health: () => health(created.worker, connection),
        });
        log.info({ url: endpoint.url }, `health and metrics endpoint: ${endpoint.url}/healthz ${endpoint.url}/metrics`);
      }
      if (!stopRequested)
        log.info(
          { taskQueue: config.taskQueue, address: config.temporalAddress, namespace: config.namespace, graceMs },
          `rekindle worker ready: polling task queue '${config.taskQueue}' on ${config.temporalAddress} (namespace ${config.namespace}; config from ${config.sources.join(', ') || 'defaults'})`,
        );
      const running = worker.run();
      // A signal that came during start-up (bundling takes seconds) still stops the worker cleanly.
      if (stopRequested) worker.shutdown();
      await running;
    } catch (err) {
      log.error({ err }, 'the worker stopped with an error');
      code = 1;
    } finally {
      await closeAll(log, resources, connection, endpoint);
    }
    const ms = stopStarted ? Math.round(performance.now() - stopStarted) : undefined;
    log.info({ exitCode: code, shutdownMs: ms }, `worker shut down${ms !== undefined ? ` in ${ms} ms` : ''}`);
    // Everything is closed, so the process should end by itself; if a handle we do not know of holds it,
    // exit anyway rather than make systemd wait out its stop timeout. unref(): this timer holds nothing.
    setTimeout(() => {
      log.warn({ handles: process.getActiveResourcesInfo() }, 'still running after shutdown; exiting anyway');
      process.exit(code);
    }, LINGER_LIMIT_MS).unref();
    return code;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** /healthz: polling (state RUNNING) and Temporal answering within 3 s. */
async function health(worker: Worker, connection: NativeConnection): Promise<Health> {
  const state = worker.getState();
  try {
    await connection.withDeadline(Date.now() + 3000, () => connection.workflowService.getSystemInfo({}));
    return { ok: state === 'RUNNING', worker: state, temporal: 'connected' };
  } catch (err) {
    return { ok: false, worker: state, temporal: 'unreachable', error: (err as Error).message };
  }
}
