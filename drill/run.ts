/**
 * `npm run drill`: the whole recovery chain, for real, on the lab. Lab up → worker → seed → backup
 * runbook → more traffic (the RPO window) → cyber incident → recovery runbook with every gate
 * answered through the operator's Update API → independent checks → report.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { Kafka, logLevel } from 'kafkajs';
import type { Inventory } from '../compiler/inventory';
import { compileFile } from '../compiler/load';
import { hasErrors } from '../compiler';
import type { Plan } from '../compiler/plan';
import { SshPool, SshShell } from '../activities/ssh';
import { connect } from '../cli/client/connection';
import { startRun } from '../cli/client/start';
import { up } from '../lab';
import { labConfig, paths } from '../lab/config';
import { loadInventoryFile } from './inventory-file';
import { followRun } from './progress';
import type { GateStatus, RunStatus, StepStatus } from '../workflows/types';
import { approveUpdate } from '../workflows/messages';
import { produceAfterBackup, seedBeforeBackup } from './seed';
import { simulateIncident } from './incident';
import { inspectCluster } from './inspect';
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
export const DRILL_TASK_QUEUE = 'rekindle-drill';

export interface DrillOptions {
  /** Ask the person at the terminal at each gate instead of the drill approver. */
  interactive?: boolean;
  /** Where drill-report.md/.json go (default: the current directory). */
  outDir?: string;
  log?: (s: string) => void;
  /** Called on every step state change of the recovery run (the crash e2e test kills the worker here). */
  onRecoveryStep?: (step: StepStatus, worker: SupervisedWorker) => void;
  askGate?: (gate: GateStatus) => Promise<{ approve: boolean; by: string; comment: string }>;
  /** `large`: also seed a realistically large cluster (drill/bystanders.ts) that must be left correct. */
  size?: DrillSize;
}

function compileOrThrow(file: string, params: Record<string, unknown>): Plan {
  const result = compileFile(file, { params, mode: 'drill', requireParams: true, root: resolve(__dirname, '..') });
  if (!result.plan || hasErrors(result.diagnostics)) {
    const lines = result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
    throw new Error(`${file} does not compile:\n${lines.join('\n')}`);
  }
  return result.plan;
}

async function runToEnd(
  client: Client,
  file: string,
  params: Record<string, unknown>,
  opts: DrillOptions & { log: (s: string) => void },
  onStep?: (s: StepStatus) => void,
): Promise<{ status: RunStatus; runId: string; workflowId: string; plan: Plan }> {
  const plan = compileOrThrow(file, params);
  const { handle, runId, workflowId } = await startRun(client, {
    plan,
    params,
    options: { mode: 'drill', dryRun: false, initiator: 'drill-runner' },
    taskQueue: DRILL_TASK_QUEUE,
  });
  opts.log(`started ${plan.runbook.name} as ${workflowId} (run ${runId})`);
  const status = await followRun(handle, {
    log: opts.log,
    onStep,
    onGate: async (gate) => {
      const answer = opts.askGate
        ? await opts.askGate(gate)
        : { approve: true, by: DRILL_APPROVER, comment: `Drill: evidence reviewed by the drill approver. ${gate.evidence ?? ''}`.slice(0, 500) };
      opts.log(`  ⏵ gate ${gate.id}: ${answer.approve ? 'approved' : 'rejected'} by ${answer.by}`);
      await handle.executeUpdate(approveUpdate, { args: [gate.id, answer.approve ? 'approve' : 'reject', answer.by, answer.comment] });
    },
  });
  return { status, runId, workflowId, plan };
}

/** Runs the drill and writes the report. Resolves to the report (ok false when a check failed). */
export async function runDrill(opts: DrillOptions = {}): Promise<DrillReport> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const o = { ...opts, log };
  const t0 = Date.now();
  log('▶ lab: bringing it up (or reusing it)');
  await up({}, (s) => log(`  ${s}`));
  const cfg = labConfig();
  const inventory: Inventory = loadInventoryFile(paths.inventory(cfg));
  const env = { REKINDLE_TEMPORAL_ADDRESS: inventory.temporal!.address, REKINDLE_TASK_QUEUE: DRILL_TASK_QUEUE, REKINDLE_BACKUP_STORE: inventory.backupStore };
  const worker = new SupervisedWorker({ env, logFile: workerLogFile(cfg.stateDir), log });
  const kafka = new Kafka({ clientId: 'rekindle-drill', brokers: inventory.kafka.bootstrap, logLevel: logLevel.NOTHING });
  const shell = new SshShell(new SshPool());
  const { client, close } = await connect();
  // Ctrl-C or a kill must not orphan the worker child: stop it, then exit as the signal would.
  const onSignal = (sig: NodeJS.Signals) => void worker.stop().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await worker.start();
    log(`▶ worker: pid ${worker.pid}, task queue ${DRILL_TASK_QUEUE}`);
    const size = opts.size ?? 'normal';
    const clock = new PhaseClock();
    clock.start('seed');
    log('▶ seed: topics, keyed messages with known timestamps, consumer groups, configs, canary');
    let facts = await seedBeforeBackup(kafka, Date.now() - 2 * 3600_000);
    log(`  ${facts.topics.map((t) => `${t.topic}: ${t.beforeBackup.reduce((a, b) => a + b, 0)}`).join(', ')} messages`);
    const spec = bystanderSpec(size);
    log(`▶ seed: other tenants${size === 'large' ? ' and a large cluster' : ''} (${spec.topics.length} topics, ${spec.groups.length} groups), only what is missing`);
    const seeded = await seedBystanders(kafka, inventory, spec, (s) => log(`  ${s}`));
    const atBackup = await captureBystanders(kafka, inventory, spec);
    clock.start('backup');
    log('▶ backup: runbooks/kafka-backup.yaml');
    const backup = await runToEnd(client, join(cfg.repoDir, 'runbooks', 'kafka-backup.yaml'), { cluster: 'lab', label: 'drill' }, o);
    const backupSet = backupSetOf(backup.status);
    log(`  backup set ${backupSet}`);
    clock.start('rpo-window');
    facts = await produceAfterBackup(kafka, facts);
    log(`▶ RPO window: ${facts.topics.reduce((n, t) => n + t.afterBackup.reduce((a, b) => a + b, 0), 0)} messages produced after the backup; groups moved on`);
    log('▶ incident: destructive, for real');
    clock.start('incident');
    const incident = await simulateIncident(inventory, shell, (s) => log(`  ${s}`));
    clock.start('recovery');
    log('▶ recovery: runbooks/zk-kafka-cyber-recovery.yaml');
    const recoveryStart = Date.now();
    const recovery = await runToEnd(
      client,
      join(cfg.repoDir, 'runbooks', 'zk-kafka-cyber-recovery.yaml'),
      { cluster: 'lab', backupSet },
      o,
      (step) => opts.onRecoveryStep?.(step, worker),
    );
    const recoveryMs = Date.now() - recoveryStart;
    clock.start('checks');
    log('▶ checks: counting what the brokers and ZooKeeper hold now');
    const cluster = await inspectCluster(kafka, inventory);
    const afterRecovery = await captureBystanders(kafka, inventory, spec);
    const histories = [
      await measureHistory(client, 'backup', backup.workflowId, backup.runId),
      await measureHistory(client, 'recovery', recovery.workflowId, recovery.runId),
    ];
    clock.end();
    const diffOutputs = await stepOutputsFromHistory(client, recovery.workflowId, recovery.runId, 'zookeeper.diff');
    const base = buildReport({ facts, incident, cluster, recovery, backupRunId: backup.runId, recoveryMs, drillWallMs: Date.now() - t0, diffOutputs });
    const report = addScale(base, { size, drillPhases: clock.phases, histories, seeded, atBackup, afterRecovery });
    const outDir = opts.outDir ?? process.cwd();
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

function backupSetOf(status: RunStatus): string {
  const step = status.steps.find((s) => s.action === 'backup.create');
  const id = step?.outputs?.backupSet;
  if (typeof id !== 'string') throw new Error(`the backup run did not report a backup set (phase ${status.phase})`);
  return id;
}
