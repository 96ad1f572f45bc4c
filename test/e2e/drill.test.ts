/**
 * End-to-end: the drill `npm run drill` runs, on the real lab, asserting on the report's figures. It runs
 * the way a user runs it: `rekindle drill run` of the package as `npm pack` ships it, installed into a
 * temporary prefix (test/support/installed.ts), compiled JavaScript only.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRILL_TOPICS } from '../../drill/dataset';
import { ALTERED_CONFIG_PATH, ROGUE_ACL_PATH } from '../../drill/incident';
import type { DrillReport } from '../../drill/report';
import { DRILL_APPROVER, WORKER_METRICS_FILE } from '../../drill/run';
import { exec, installedPackage } from '../support/installed';
import { labConfigOrThrow } from '../support/lab';
import { sample } from '../support/worker-service';

jest.setTimeout(20 * 60_000);

describe('npm run drill', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'rekindle-drill-'));
  const lines: string[] = [];
  let report: DrillReport;
  let metrics = '';

  beforeAll(async () => {
    const installed = await installedPackage();
    const env = { ...process.env, REKINDLE_LAB_STATE: labConfigOrThrow().stateDir };
    const r = await exec(installed.bin, ['drill', 'run', '--out', outDir], {
      cwd: outDir,
      env,
      timeoutMs: 18 * 60_000,
    });
    lines.push(...r.out.split('\n'));
    if (r.code !== 0 && r.code !== 1) throw new Error(`rekindle drill run exited ${r.code}\n${r.out}\n${r.err}`);
    report = JSON.parse(readFileSync(join(outDir, 'drill-report.json'), 'utf8')) as DrillReport;
    expect(installed.bin.startsWith(tmpdir())).toBe(true);
    expect(r.code).toBe(report.ok ? 0 : 1);
    metrics = readFileSync(join(outDir, WORKER_METRICS_FILE), 'utf8');
  });

  it('recovers with every step succeeded and data verified', () => {
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.dataVerified).toBe(true);
  });

  it('restores exactly the messages in the backup, per partition', () => {
    for (const p of report.partitions) expect({ ...p, restored: p.restored }).toEqual({ ...p, restored: p.inBackup });
    expect(report.messagesRestored).toBe(report.messagesInBackup);
    expect(report.messagesInBackup).toBe(DRILL_TOPICS.reduce((n, t) => n + t.messagesBeforeBackup, 0));
  });

  it('counts the RPO exactly: the messages produced after the backup', () => {
    const after = DRILL_TOPICS.reduce((n, t) => n + t.messagesAfterBackup, 0);
    expect(report.messagesProducedAfterBackup).toBe(after);
    expect(report.rpoMessages).toBe(after);
  });

  it('puts every consumer group back at its backup-time offsets', () => {
    expect(report.groups.length).toBeGreaterThan(0);
    for (const g of report.groups) expect(g.offset).toBe(g.backupOffset);
  });

  it('finds the rogue ACL and config change, and removes them', () => {
    const found = report.rogueChangesFound.map((c) => c.path);
    expect(found).toEqual(expect.arrayContaining([ROGUE_ACL_PATH, ALTERED_CONFIG_PATH]));
    expect(report.rogueChangesRemoved.map((c) => c.path).sort()).toEqual([...found].sort());
  });

  it('records every gate as approved by the drill approver', () => {
    expect(report.approvals.length).toBeGreaterThanOrEqual(3);
    for (const a of report.approvals) expect(a.by).toBe(DRILL_APPROVER);
  });

  it('writes drill-report.json and drill-report.md with the stable fields', () => {
    const json = JSON.parse(readFileSync(join(outDir, 'drill-report.json'), 'utf8')) as Record<string, unknown>;
    for (const key of [
      'ok',
      'runId',
      'rtoMs',
      'rtoObjectiveMs',
      'phases',
      'messagesInBackup',
      'messagesRestored',
      'rpoMessages',
      'dataVerified',
      'groups',
      'rogueChangesFound',
      'rogueChangesRemoved',
      'approvals',
    ]) {
      expect(json).toHaveProperty(key);
    }
    expect(report.rtoObjectiveMs).toBe(45 * 60_000);
    const md = readFileSync(join(outDir, 'drill-report.md'), 'utf8');
    expect(md).toContain('# Drill report: PASSED');
    expect(md).toContain(`**${report.rpoMessages} messages lost**`);
  });

  it("shows Rekindle's and Temporal's metrics on the worker's /metrics for every activity the drill ran", () => {
    // Every step of the recovery that ran an activity (gates and timers run none), with one attempt per forEach item.
    const ran = report.phases.filter((p) => !['approval', 'wait'].includes(p.action));
    expect(ran.map((p) => p.action)).toEqual(
      expect.arrayContaining(['zookeeper.restore', 'backup.restore-logs', 'kafka.smoke-test', 'service.stop']),
    );
    const short = ran
      .map((p) => ({
        p,
        done:
          sample(metrics, 'rekindle_step_duration_seconds_count', {
            action: p.action,
            step: p.name,
            outcome: 'succeeded',
          }) ?? 0,
      }))
      .filter(({ p, done }) => done < p.items)
      .map(({ p, done }) => `${p.name} (${p.action}): ${done} of ${p.items} succeeded attempts on /metrics`);
    expect(short).toEqual([]);
    // The backup runbook's own activities ran on the same worker.
    for (const action of ['zookeeper.check', 'zookeeper.export', 'kafka.offsets-export', 'backup.create'])
      expect([action, sample(metrics, 'rekindle_activities_total', { action, outcome: 'succeeded' })]).toEqual([
        action,
        expect.any(Number),
      ]);
    expect(sample(metrics, 'rekindle_activities_in_flight')).toBe(0);
    expect(sample(metrics, 'rekindle_ssh_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'temporal_worker_task_slots_available', { worker_type: 'ActivityWorker' })).toBeGreaterThan(
      0,
    );
  });

  it('stops its worker with SIGTERM alone', () => {
    expect(report.workerSigkills).toBe(0);
    expect(lines).toContain('▶ worker: stopped by SIGTERM alone');
  });

  it("shares its cluster: other tenants' topics, groups, configs and ACLs are left as they were at backup time", () => {
    const scale = report.scale!;
    expect(scale.bystanders.differences).toEqual([]);
    // Hundreds of committed offsets: the offsets export is far over the engine's 16 KB per-step output cap.
    expect(scale.bystanders.atBackup.offsets).toBeGreaterThanOrEqual(400);
    expect(scale.bystanders.atBackup.acls).toBe(4);
    expect(scale.drillPhases.map((p) => p.name)).toEqual([
      'seed',
      'backup',
      'rpo-window',
      'incident',
      'recovery',
      'checks',
    ]);
    for (const h of scale.histories) expect(h.events > 0 && h.bytes > 0 && h.largestOutput !== null).toBe(true);
  });

  it('showed progress one line per step change, like a build tool', () => {
    expect(lines.some((l) => /✓\s+restore-zookeeper\s+succeeded\s+attempt 1/.test(l))).toBe(true);
  });
});
