/**
 * `npm run drill`: the whole recovery chain, for real, on the lab. Lab up → worker → seed → backup
 * runbook → more traffic (the RPO window) → the scenario's incident → recovery runbook with every gate
 * answered through the operator's Update API → independent checks → report. The scenario
 * (drill/scenarios/NAME.yaml, `default` unless named) sets the incident, the runbook, deadlines and
 * the expected outcome; a non-interactive drill never waits for a human past its deadline.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { Kafka, logLevel } from 'kafkajs';
import type { Inventory } from '../compiler/inventory';
import { compileFile } from '../compiler/load';
import { hasErrors } from '../compiler';
import type { Plan } from '../compiler/plan';
import { SshPool, SshShell } from '../activities/ssh';
import { connect } from '../client/connection';
import { startRun } from '../client/start';
import { labConfig, packageRoot, paths } from '../lab/config';
import { loadInventoryFile } from './inventory-file';
import { followRun } from './progress';
import type { GateStatus, RunStatus, StepStatus } from '../workflows/types';
import { approveUpdate } from '../workflows/messages';
import { produceAfterBackup, seedBeforeBackup } from './seed';
import type { SeedFacts } from './seed';
import { inspectCluster } from './inspect';
import type { ClusterFacts } from './inspect';
import { runIncident } from './incident-steps';
import { loadScenario } from './scenario';
import type { Scenario } from './scenario';
import { DrillWatchdog } from './deadline';
import { drillLockFile, lockLabForDrill } from './drill-lock';
import type { Stuck } from './deadline';
import { WorkerChaos } from './chaos';
import { damageBackupSet, moveSetsAside } from './damage';
import { ensureLab } from './lab-shape';
import { buildReport } from './build-report';
import type { DrillReport } from './report';
import { renderMarkdown } from './report';
import { SupervisedWorker, workerLogFile } from './worker-process';
import type { DrillSize } from './bystanders';
import { bystanderSpec } from './bystanders';
import { captureBystanders } from './bystander-facts';
import { measureHistory, PhaseClock, stepOutputsFromHistory } from './measure';
import { addScale } from './scale-report';
import { seedBystanders } from './seed-bystanders';

export const DRILL_APPROVER = 'drill-approver';
/**
 * Each drill's own task queue: no other worker (one left polling by an earlier drill, another drill's)
 * can take its activities, so its worker runs all of them and its /metrics count all of them.
 */
export function drillTaskQueue(): string {
  return `rekindle-drill-${process.pid}-${Date.now().toString(36)}`;
}
/** The worker's final /metrics scrape, written next to drill-report.json. */
export const WORKER_METRICS_FILE = 'worker-metrics.prom';

export interface DrillOptions {
  /** Ask the person at the terminal at each gate instead of the drill approver. */
  interactive?: boolean;
  /** Where drill-report.md/.json go (default: the current directory). */
  outDir?: string;
  log?: (s: string) => void;
  /** Called on every step state change of the recovery run (the crash e2e test kills the worker here). */
  onRecoveryStep?: (step: StepStatus, worker: SupervisedWorker) => void;
  askGate?: (gate: GateStatus) => Promise<{ approve: boolean; by: string; comment: string }>;
  /** The scenario: a name in drill/scenarios/ or a loaded one (default: `default`). */
  scenario?: string | Scenario;
  /** `large`: also seed a realistically large cluster (drill/bystanders.ts) that must be left correct. */
  size?: DrillSize;
}

/** The options of a drill under way: its log and its own task queue. */
type RunningDrill = DrillOptions & {
  log: (s: string) => void;
  taskQueue: string;
  openRun?: { terminate(reason: string): Promise<unknown> };
};

function compileOrThrow(file: string, params: Record<string, unknown>): Plan {
  const namedInventories = { lab: paths.inventory(labConfig()) };
  const result = compileFile(file, {
    params,
    mode: 'drill',
    requireParams: true,
    root: packageRoot(__dirname),
    namedInventories,
  });
  if (!result.plan || hasErrors(result.diagnostics)) {
    const lines = result.diagnostics.map(
      (d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`,
    );
    throw new Error(`${file} does not compile:\n${lines.join('\n')}`);
  }
  return result.plan;
}

async function runToEnd(
  client: Client,
  file: string,
  params: Record<string, unknown>,
  opts: RunningDrill,
  scenario: Scenario,
  onStep?: (s: StepStatus) => void,
): Promise<{ status: RunStatus; runId: string; workflowId: string; plan: Plan; stuck: Stuck | null }> {
  const plan = compileOrThrow(file, params);
  const { handle, runId, workflowId } = await startRun(client, {
    plan,
    params,
    options: { mode: 'drill', dryRun: false, initiator: 'drill-runner' },
    taskQueue: opts.taskQueue,
  });
  opts.log(`started ${plan.runbook.name} as ${workflowId} (run ${runId})`);
  opts.openRun = handle;
  // --interactive keeps asking at the terminal; without a human, every wait has a deadline.
  const watchdog = opts.interactive
    ? undefined
    : new DrillWatchdog(handle, {
        decisionDeadlineMs: scenario.decisionDeadlineMs,
        runDeadlineMs: scenario.runDeadlineMs,
        log: opts.log,
      });
  try {
    const status = await followRun(handle, {
      log: opts.log,
      onStep: (step) => {
        watchdog?.onStep(step);
        onStep?.(step);
      },
      onGate: async (gate) => {
        const answer = opts.askGate
          ? await opts.askGate(gate)
          : {
              approve: true,
              by: DRILL_APPROVER,
              comment: `Drill: evidence reviewed by the drill approver. ${gate.evidence ?? ''}`.slice(0, 500),
            };
        opts.log(`  ⏵ gate ${gate.id}: ${answer.approve ? 'approve' : 'reject'} by ${answer.by}`);
        try {
          await handle.executeUpdate(approveUpdate, {
            args: [gate.id, answer.approve ? 'approve' : 'reject', answer.by, answer.comment],
          });
        } catch (err) {
          if (!watchdog) throw err;
          opts.log(`  ⏵ gate ${gate.id}: refused: ${(err as Error).message}; nobody else can decide it in this drill`);
          watchdog.gateRefused(gate, err);
        }
      },
    });
    return { status, runId, workflowId, plan, stuck: watchdog?.stuck ?? null };
  } catch (err) {
    // Its task queue is this drill's alone: a run left open here would never move again and would hold
    // the cluster's workflow id against the next drill.
    await handle.terminate(`the drill stopped following this run: ${(err as Error).message}`).catch(() => undefined);
    throw err;
  } finally {
    opts.openRun = undefined;
    watchdog?.stop();
  }
}

const NO_CLUSTER: ClusterFacts = {
  counts: {},
  groupOffsets: {},
  rogueAclPresent: false,
  deletedTopicRestored: false,
  alteredConfig: null,
};

/** Runs the drill and writes the report. Resolves to the report (ok only when the outcome is the expected one). */
export async function runDrill(opts: DrillOptions = {}): Promise<DrillReport> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const taskQueue = drillTaskQueue();
  const o = { ...opts, log, taskQueue };
  const scenario = typeof opts.scenario === 'object' ? opts.scenario : loadScenario(opts.scenario ?? 'default');
  const t0 = Date.now();
  log(`▶ scenario ${scenario.name}: ${scenario.description}`);
  const cfg = labConfig();
  mkdirSync(cfg.stateDir, { recursive: true });
  const unlock = lockLabForDrill(cfg.stateDir);
  try {
    return await drillOnLockedLab(o, scenario, t0);
  } finally {
    unlock();
  }
}

/** The drill once it holds the lab: lab up, worker, seed, backups, incident, recovery, checks, report. */
async function drillOnLockedLab(opts: RunningDrill, scenario: Scenario, t0: number): Promise<DrillReport> {
  const { log, taskQueue } = opts;
  const o = opts;
  log('▶ lab: bringing it up (or reusing it)');
  await ensureLab(scenario.lab.zkNodes, (s) => log(`  ${s}`));
  const cfg = labConfig();
  // A reset (another ZooKeeper ensemble size) wiped the state directory and the lock in it: take it again
  // (runDrill's release removes it, as the lock holds this same pid).
  if (!existsSync(drillLockFile(cfg.stateDir))) lockLabForDrill(cfg.stateDir);
  const inventory: Inventory = loadInventoryFile(paths.inventory(cfg));
  const env = {
    REKINDLE_TEMPORAL_ADDRESS: inventory.temporal!.address,
    REKINDLE_TASK_QUEUE: taskQueue,
    REKINDLE_BACKUP_STORE: inventory.backupStore,
  };
  const worker = new SupervisedWorker({ env, logFile: workerLogFile(cfg.stateDir), log });
  const kafka = new Kafka({
    clientId: 'rekindle-drill',
    brokers: inventory.kafka.bootstrap,
    logLevel: logLevel.NOTHING,
  });
  const shell = new SshShell(new SshPool());
  const { client, close } = await connect();
  // Ctrl-C or a kill must not orphan the worker child: stop it, then exit as the signal would.
  // Its run, if one is open, goes too: nothing else polls this drill's task queue, so it would hold the
  // cluster's workflow id against the next drill.
  const onSignal = (sig: NodeJS.Signals) =>
    void Promise.all([
      worker.stop(),
      o.openRun?.terminate(`the drill was interrupted (${sig})`).catch(() => undefined),
    ]).finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await worker.start();
    log(`▶ worker: pid ${worker.pid}, task queue ${taskQueue}`);
    const size = opts.size ?? 'normal';
    const clock = new PhaseClock();
    clock.start('seed');
    let facts: SeedFacts = { startTs: Date.now(), topics: [], groups: [] };
    const spec = bystanderSpec(size);
    let tenants:
      | { seeded: Awaited<ReturnType<typeof seedBystanders>>; atBackup: Awaited<ReturnType<typeof captureBystanders>> }
      | undefined;
    if (scenario.seed) {
      log('▶ seed: topics, keyed messages with known timestamps, consumer groups, configs, canary');
      facts = await seedBeforeBackup(kafka, Date.now() - 2 * 3600_000);
      log(
        `  ${facts.topics.map((t) => `${t.topic}: ${t.beforeBackup.reduce((a, b) => a + b, 0)}`).join(', ')} messages`,
      );
      log(
        `▶ seed: other tenants${size === 'large' ? ' and a large cluster' : ''} (${spec.topics.length} topics, ${spec.groups.length} groups), only what is missing`,
      );
      const seeded = await seedBystanders(kafka, inventory, spec, (s) => log(`  ${s}`));
      tenants = { seeded, atBackup: await captureBystanders(kafka, inventory, spec) };
    }
    clock.start('backup');
    const sets: string[] = [];
    let backupRun = { workflowId: '', runId: '' };
    const aside = scenario.backups.freshStore ? moveSetsAside(inventory.backupStore) : null;
    if (aside) log(`▶ backup store: earlier drills' sets moved aside to ${aside}`);
    for (let i = 1; i <= scenario.backups.count; i++) {
      log(`▶ backup ${i} of ${scenario.backups.count}: runbooks/kafka-backup.yaml`);
      const backup = await runToEnd(
        client,
        join(packageRoot(__dirname), 'runbooks', 'kafka-backup.yaml'),
        { cluster: 'lab', label: 'drill' },
        o,
        scenario,
      );
      sets.push(backupSetOf(backup.status));
      backupRun = { workflowId: backup.workflowId, runId: backup.runId };
      log(`  backup set ${sets[sets.length - 1]}`);
    }
    if (scenario.backups.damageNewest) {
      const damaged = damageBackupSet(join(inventory.backupStore, sets[sets.length - 1]));
      log(`▶ damage: flipped a byte of ${damaged} in the newest backup set ${sets[sets.length - 1]}`);
    }
    clock.start('rpo-window');
    if (scenario.seed) {
      facts = await produceAfterBackup(kafka, facts);
      log(
        `▶ RPO window: ${facts.topics.reduce((n, t) => n + t.afterBackup.reduce((a, b) => a + b, 0), 0)} messages produced after the backup; groups moved on`,
      );
    }
    clock.start('incident');
    log('▶ incident: destructive, for real');
    const incident = await runIncident(scenario.incident, inventory, shell, (s) => log(`  ${s}`));
    clock.start('recovery');
    log(`▶ recovery: ${scenario.recovery.runbook}`);
    const chaos = scenario.chaos.workerKills
      ? new WorkerChaos(scenario.chaos.workerKills, Date.now() % 1_000_000, log)
      : undefined;
    if (chaos) log(`  chaos: ${chaos.planned} worker kills planned (seed ${chaos.seed})`);
    const params = {
      cluster: 'lab',
      ...(sets.length ? { backupSet: sets[sets.length - 1] } : {}),
      ...scenario.recovery.params,
    };
    const recoveryStart = Date.now();
    const recovery = await runToEnd(
      client,
      join(packageRoot(__dirname), scenario.recovery.runbook),
      params,
      o,
      scenario,
      (step) => {
        chaos?.onStep(step, worker);
        opts.onRecoveryStep?.(step, worker);
      },
    );
    const recoveryMs = Date.now() - recoveryStart;
    clock.start('checks');
    log('▶ checks: counting what the brokers and ZooKeeper hold now');
    const extraFailures: string[] = [];
    const readOrNote = <T>(what: string, p: Promise<T>): Promise<T | undefined> =>
      p.catch(
        (err: Error) => (
          extraFailures.push(`the independent checks could not read ${what}: ${err.message}`),
          undefined
        ),
      );
    const cluster = scenario.seed
      ? ((await readOrNote('the cluster', inspectCluster(kafka, inventory))) ?? NO_CLUSTER)
      : NO_CLUSTER;
    const afterRecovery = tenants
      ? await readOrNote("the other tenants' data", captureBystanders(kafka, inventory, spec))
      : undefined;
    if (chaos && chaos.kills.length < chaos.planned)
      extraFailures.push(`only ${chaos.kills.length} of ${chaos.planned} planned worker kills happened`);
    const histories = [
      ...(backupRun.runId ? [await measureHistory(client, 'backup', backupRun.workflowId, backupRun.runId)] : []),
      await measureHistory(client, 'recovery', recovery.workflowId, recovery.runId),
    ];
    clock.end();
    const diffOutputs = await stepOutputsFromHistory(client, recovery.workflowId, recovery.runId, 'zookeeper.diff');
    const base = buildReport({
      facts,
      incident,
      cluster,
      recovery,
      backupRunId: backupRun.runId,
      recoveryMs,
      drillWallMs: Date.now() - t0,
      diffOutputs,
      scenario: {
        name: scenario.name,
        expected: scenario.expected,
        stuck: recovery.stuck,
        newestBackupSet: sets[sets.length - 1],
        extraFailures,
      },
    });
    const report =
      tenants && afterRecovery
        ? addScale(base, {
            size,
            drillPhases: clock.phases,
            histories,
            seeded: tenants.seeded,
            atBackup: tenants.atBackup,
            afterRecovery,
          })
        : base;
    const outDir = opts.outDir ?? process.cwd();
    mkdirSync(outDir, { recursive: true });
    await saveWorkerMetrics(worker, join(outDir, WORKER_METRICS_FILE), log);
    await worker.stop();
    report.workerSigkills = worker.sigkills;
    log(
      worker.sigkills ? `⚠ worker: SIGKILL fallback needed ${worker.sigkills}×` : '▶ worker: stopped by SIGTERM alone',
    );
    writeFileSync(join(outDir, 'drill-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(outDir, 'drill-report.md'), renderMarkdown(report));
    log(`\n${renderMarkdown(report)}`);
    log(`report written to ${join(outDir, 'drill-report.md')} and drill-report.json`);
    return report;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await worker.stop();
    await close();
    await shell.pool.close();
  }
}

/** Keeps the worker's last /metrics scrape beside the report: what the drill's activities did, by action and step. */
async function saveWorkerMetrics(worker: SupervisedWorker, file: string, log: (s: string) => void): Promise<void> {
  if (!worker.url) return log('⚠ worker: no metrics endpoint seen; worker-metrics.prom not written');
  const res = await fetch(`${worker.url}/metrics`);
  if (!res.ok) return log(`⚠ worker: /metrics answered ${res.status}; worker-metrics.prom not written`);
  writeFileSync(file, await res.text());
}

function backupSetOf(status: RunStatus): string {
  const step = status.steps.find((s) => s.action === 'backup.create');
  const id = step?.outputs?.backupSet;
  if (typeof id !== 'string') throw new Error(`the backup run did not report a backup set (phase ${status.phase})`);
  return id;
}
