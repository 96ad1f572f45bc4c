/**
 * End-to-end: the same drill `npm run drill` runs, on the real lab, asserting on the report's figures.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRILL_TOPICS } from '../../drill/dataset';
import { ALTERED_CONFIG_PATH, ROGUE_ACL_PATH } from '../../drill/incident';
import type { DrillReport } from '../../drill/report';
import { DRILL_APPROVER, runDrill } from '../../drill/run';

jest.setTimeout(20 * 60_000);

describe('npm run drill', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'rekindle-drill-'));
  const lines: string[] = [];
  let report: DrillReport;

  beforeAll(async () => {
    report = await runDrill({ outDir, log: (s) => lines.push(s) });
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
    for (const key of ['ok', 'runId', 'rtoMs', 'rtoObjectiveMs', 'phases', 'messagesInBackup', 'messagesRestored', 'rpoMessages', 'dataVerified', 'groups', 'rogueChangesFound', 'rogueChangesRemoved', 'approvals']) {
      expect(json).toHaveProperty(key);
    }
    expect(report.rtoObjectiveMs).toBe(45 * 60_000);
    const md = readFileSync(join(outDir, 'drill-report.md'), 'utf8');
    expect(md).toContain('# Drill report: PASSED');
    expect(md).toContain(`**${report.rpoMessages} messages lost**`);
  });

  it("shares its cluster: other tenants' topics, groups, configs and ACLs are left as they were at backup time", () => {
    const scale = report.scale!;
    expect(scale.bystanders.differences).toEqual([]);
    // Hundreds of committed offsets: the offsets export is far over the engine's 16 KB per-step output cap.
    expect(scale.bystanders.atBackup.offsets).toBeGreaterThanOrEqual(400);
    expect(scale.bystanders.atBackup.acls).toBe(4);
    expect(scale.drillPhases.map((p) => p.name)).toEqual(['seed', 'backup', 'rpo-window', 'incident', 'recovery', 'checks']);
    for (const h of scale.histories) expect(h.events > 0 && h.bytes > 0 && h.largestOutput !== null).toBe(true);
  });

  it('showed progress one line per step change, like a build tool', () => {
    expect(lines.some((l) => /✓\s+restore-zookeeper\s+succeeded\s+attempt 1/.test(l))).toBe(true);
  });
});
