/** Turns what the drill knows (seeded facts, incident, recovery status, independent checks) into the report. */
import { readFileSync } from 'node:fs';
import { isEvidenceRef } from '../compiler/expr';
import type { Plan } from '../compiler/plan';
import type { RunStatus } from '../workflows/types';
import { ALTERED_CONFIG_PATH, DELETED_TOPIC, ROGUE_ACL_PATH } from './incident';
import type { IncidentFacts } from './incident';
import type { ClusterFacts } from './inspect';
import type { Stuck } from './deadline';
import { outcomeOf, scenarioCheckFailures } from './outcome';
import type { DrillReport, Expected, PartitionFigures, RogueChange } from './report';
import type { SeedFacts } from './seed';

/** What the report knows of the scenario; without one, the default incident's expectations. */
export interface ScenarioInput {
  name: string;
  expected: Expected;
  stuck: Stuck | null;
  /** The newest backup set taken (the damaged one in corrupt-backup). */
  newestBackupSet?: string;
  /** Failures the drill found outside the run (unreadable cluster, chaos that did not happen). */
  extraFailures?: string[];
}

export const DEFAULT_EXPECTED: Expected = {
  outcome: 'recovered',
  findings: [],
  checks: ['backup-data', 'backup-offsets', 'rogue-removed'],
};

export interface ReportInput {
  facts: SeedFacts;
  incident: IncidentFacts;
  cluster: ClusterFacts;
  recovery: { status: RunStatus; runId: string; workflowId: string; plan: Plan };
  backupRunId: string;
  recoveryMs: number;
  drillWallMs: number;
  scenario?: ScenarioInput;
  /** zookeeper.diff's outputs as its activity returned them (the status query caps outputs for display). */
  diffOutputs?: Record<string, unknown>;
}

const ms = (a: string | null, b: string | null) => (a && b ? Date.parse(b) - Date.parse(a) : 0);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Total length of the union of intervals: parallel steps are not counted twice. */
function unionMs(intervals: Array<[number, number]>): number {
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0])) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

/** The incident's changes that the scope assessment's ZooKeeper diff reported. */
function rogueFound(status: RunStatus, incident: IncidentFacts, full?: Record<string, unknown>): RogueChange[] {
  const diff = full ?? status.steps.find((s) => s.action === 'zookeeper.diff')?.outputs ?? {};
  // A long list was stored in the evidence store (on this machine, for the drill): read it from there.
  const value = (key: string) =>
    isEvidenceRef(diff[key]) ? JSON.parse(readFileSync(diff[key].$evidence.path, 'utf8')) : diff[key];
  const listed = (key: string) => new Set((Array.isArray(value(key)) ? (value(key) as unknown[]) : []).map(String));
  const [added, removed, changed] = [listed('added'), listed('removed'), listed('changed')];
  const found: RogueChange[] = [];
  for (const p of incident.znodesAdded) if (added.has(p)) found.push({ path: p, kind: 'added' });
  const topicRoot = `/brokers/topics/${DELETED_TOPIC}`;
  if (removed.has(topicRoot)) found.push({ path: topicRoot, kind: 'removed' });
  for (const p of incident.znodesAltered) if (changed.has(p)) found.push({ path: p, kind: 'changed' });
  return found;
}

function rogueRemoved(found: RogueChange[], cluster: ClusterFacts): RogueChange[] {
  return found.filter((c) => {
    if (c.path === ROGUE_ACL_PATH) return !cluster.rogueAclPresent;
    if (c.path === ALTERED_CONFIG_PATH)
      return cluster.alteredConfig !== null && !cluster.alteredConfig.includes('"retention.ms":"1"');
    if (c.path.startsWith(`/brokers/topics/${DELETED_TOPIC}`)) return cluster.deletedTopicRestored;
    return false;
  });
}

export function buildReport(input: ReportInput): DrillReport {
  const { facts, cluster, recovery } = input;
  const status = recovery.status;
  const failures: string[] = [];
  const partitions: PartitionFigures[] = facts.topics.flatMap((t) =>
    t.beforeBackup.map((inBackup, partition) => ({
      topic: t.topic,
      partition,
      inBackup,
      restored: cluster.counts[t.topic]?.[partition] ?? 0,
      producedAfterBackup: t.afterBackup[partition] ?? 0,
    })),
  );
  const messagesInBackup = sum(partitions.map((p) => p.inBackup));
  const messagesRestored = sum(partitions.map((p) => p.restored));
  const produced = sum(partitions.map((p) => p.inBackup + p.producedAfterBackup));
  const messagesProducedAfterBackup = sum(partitions.map((p) => p.producedAfterBackup));
  const scenario = input.scenario ?? { name: 'default', expected: DEFAULT_EXPECTED, stuck: null };
  const checks = scenario.expected.checks;
  const verifyStep = status.steps.find((s) => s.action === 'kafka.verify-data');
  const wantAll = checks.includes('all-data');
  const dataVerified =
    partitions.every((p) => p.restored === p.inBackup + (wantAll ? p.producedAfterBackup : 0)) &&
    (wantAll || verifyStep?.state === 'succeeded');
  if ((checks.includes('backup-data') || wantAll) && !dataVerified) {
    failures.push(
      wantAll
        ? 'some messages were lost: a partition holds fewer than were produced'
        : 'restored messages differ from the backup on some partition, or verify-data did not succeed',
    );
  }
  const groups = facts.groups.flatMap((g) =>
    g.beforeBackup.map((backupOffset, partition) => ({
      groupId: g.groupId,
      topic: g.topic,
      partition,
      offset: cluster.groupOffsets[g.groupId]?.[partition] ?? -1,
      backupOffset,
    })),
  );
  if (checks.includes('backup-offsets') && groups.some((g) => g.offset !== g.backupOffset))
    failures.push('some consumer group offsets differ from their backup-time offsets');
  const found = rogueFound(status, input.incident, input.diffOutputs);
  const removed = rogueRemoved(found, cluster);
  if (checks.includes('rogue-removed')) {
    if (found.length < 3) failures.push(`the scope assessment found ${found.length} of the 3 rogue changes`);
    if (removed.length !== found.length) failures.push('some rogue changes are still present');
  }
  failures.push(
    ...scenarioCheckFailures(scenario.expected, status, scenario.newestBackupSet),
    ...(scenario.extraFailures ?? []),
  );
  if (status.phase !== 'succeeded') failures.push(`the recovery run ended ${status.phase}`);
  const notOk = status.steps.filter((s) => s.state !== 'succeeded' && s.state !== 'skipped');
  if (notOk.length) failures.push(`steps not succeeded: ${notOk.map((s) => `${s.id} (${s.state})`).join(', ')}`);
  if (scenario.stuck)
    failures.push(
      `ended by the drill deadline: ${scenario.stuck.kind} ${scenario.stuck.step}: ${scenario.stuck.error}`,
    );
  const verdict = outcomeOf(scenario.expected, status, scenario.stuck, failures);
  const rtoMs = ms(status.startedAt, status.endedAt) || input.recoveryMs;
  const actionSteps = status.steps.filter((s) => s.kind === 'action' && s.startedAt && s.endedAt);
  const activityMs = unionMs(actionSteps.map((s) => [Date.parse(s.startedAt!), Date.parse(s.endedAt!)]));
  return {
    ok: verdict.matches,
    scenario: scenario.name,
    expected: scenario.expected,
    outcome: verdict.outcome,
    outcomeDetail: verdict.detail,
    stuck: scenario.stuck,
    runPhase: status.phase,
    rolledBack: status.rollback.filter((s) => s.state === 'succeeded').map((s) => s.id),
    runId: recovery.runId,
    workflowId: recovery.workflowId,
    backupRunId: input.backupRunId,
    startedAt: status.startedAt,
    rtoMs,
    rtoObjectiveMs: recovery.plan.runbook.rtoMs ?? null,
    phases: status.steps
      .filter((s) => s.startedAt)
      .map((s) => ({ name: s.id, action: s.action, items: s.items?.total ?? 1, ms: ms(s.startedAt, s.endedAt) })),
    messagesInBackup,
    messagesRestored,
    rpoMessages: produced - messagesRestored,
    messagesProducedAfterBackup,
    partitions,
    dataVerified,
    groups,
    rogueChangesFound: found,
    rogueChangesRemoved: removed,
    approvals: status.gates.flatMap((g) => g.approvals.map((a) => ({ gate: g.id, by: a.by, at: a.at }))),
    drillWallMs: input.drillWallMs,
    activityMs,
    engineOverheadMs: rtoMs - activityMs,
    auditCommand: `npx rekindle audit ${recovery.workflowId} --format md --verify`,
    failures,
  };
}
