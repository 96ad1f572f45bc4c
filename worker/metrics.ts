/**
 * Rekindle's own Prometheus metrics (names `rekindle_*`), in a registry of their own so tests and several
 * workers in one process never share counters. The Temporal SDK's runtime metrics (`temporal_*`) come from
 * Core's exporter and are appended by the HTTP endpoint (worker/http.ts).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How an activity attempt ended, as the `outcome` label says it. */
export type ActivityOutcome = 'succeeded' | 'failed' | 'cancelled' | 'worker_shutdown';

/** Pool sizes read at scrape time. */
export interface PoolSizes {
  ssh(): number;
  zookeeper(): number;
  kafka(): number;
}

/** Step (activity attempt) durations run from 50 ms to 30 min: a znode read up to a log-dir copy. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/** The worker's metrics. */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly activities: Counter<'action' | 'outcome'>;
  readonly failures: Counter<'action' | 'code'>;
  readonly inFlight: Gauge<'action'>;
  readonly stepDuration: Histogram<'action' | 'step' | 'outcome'>;
  readonly hostFailures: Counter<'host' | 'code'>;
  constructor(info: { taskQueue: string; namespace: string }, pools?: PoolSizes, state?: () => string) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'rekindle_worker_info',
      help: 'Always 1; the labels say which task queue and namespace this worker polls',
      labelNames: ['task_queue', 'namespace'],
      registers,
    }).set({ task_queue: info.taskQueue, namespace: info.namespace }, 1);
    if (state) {
      new Gauge({
        name: 'rekindle_worker_state',
        help: 'The Temporal worker state: 1 for the current one (RUNNING, DRAINING, STOPPED, ...)',
        labelNames: ['state'],
        registers,
        collect: function (this: Gauge<'state'>) {
          this.reset();
          this.set({ state: state() }, 1);
        },
      });
    }
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name, help, labelNames, registers });
    this.activities = counter(
      'rekindle_activities_total',
      'Activity attempts finished on this worker, by action and outcome',
      ['action', 'outcome'],
    );
    this.failures = counter(
      'rekindle_activity_failures_total',
      'Failed activity attempts by action and error code (the ApplicationFailure type)',
      ['action', 'code'],
    );
    this.hostFailures = counter(
      'rekindle_host_failures_total',
      'Failed activity attempts aimed at one inventory host, by host and error code',
      ['host', 'code'],
    );
    this.inFlight = new Gauge({
      name: 'rekindle_activities_in_flight',
      help: 'Activities running on this worker now, by action',
      labelNames: ['action'],
      registers,
    });
    this.stepDuration = new Histogram({
      name: 'rekindle_step_duration_seconds',
      help: 'Duration of one step attempt (one activity execution), by action, runbook step id and outcome',
      labelNames: ['action', 'step', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    if (pools) {
      const pool = (name: string, help: string, read: () => number) =>
        new Gauge({
          name,
          help,
          registers,
          collect: function (this: Gauge) {
            this.set(read());
          },
        });
      pool('rekindle_ssh_pool_connections', 'Pooled SSH connections (one per host), open or opening', () =>
        pools.ssh(),
      );
      pool('rekindle_zookeeper_pool_sessions', 'Pooled ZooKeeper sessions (one per connect string)', () =>
        pools.zookeeper(),
      );
      pool('rekindle_kafka_pool_admins', 'Pooled kafkajs admin clients (one per bootstrap list)', () => pools.kafka());
    }
  }

  /** Records one finished activity attempt. */
  finished(a: {
    action: string;
    step: string;
    host?: string;
    outcome: ActivityOutcome;
    code?: string;
    seconds: number;
  }): void {
    this.activities.inc({ action: a.action, outcome: a.outcome });
    this.stepDuration.observe({ action: a.action, step: a.step, outcome: a.outcome }, a.seconds);
    if (a.outcome === 'failed') {
      this.failures.inc({ action: a.action, code: a.code ?? 'UNKNOWN' });
      if (a.host) this.hostFailures.inc({ host: a.host, code: a.code ?? 'UNKNOWN' });
    }
  }

  /** The metrics in Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
