/** The drill report: its JSON shape (stable; scripts depend on it) and its Markdown rendering. */
import type { Stuck } from './deadline';
import type { Check } from './scenario';

/** How a scenario's recovery ended: recovered and checked, refused for a reason, ended by a deadline, or failed. */
export type Outcome = 'recovered' | 'refused' | 'stuck' | 'failed';

/** What the scenario expects (from its file). */
export interface Expected {
  outcome: 'recovered' | 'refused';
  refusedAt?: { step: string; error: string };
  findings: string[];
  checks: Check[];
}

import type { ScaleSection } from './scale-report';
import { renderScale } from './scale-report';

export interface PartitionFigures {
  topic: string;
  partition: number;
  inBackup: number;
  restored: number;
  producedAfterBackup: number;
}

export interface RogueChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
}

export interface DrillReport {
  /** True only when the outcome matches the scenario's expectation (the exit code follows it). */
  ok: boolean;
  scenario: string;
  expected: Expected;
  outcome: Outcome;
  /** One line: why this outcome (the refusal, the deadline, the failed check). */
  outcomeDetail: string;
  /** Set when the drill's deadline ended the run: the step, the error and what a human would have been asked. */
  stuck: Stuck | null;
  /** How the recovery run itself ended (succeeded, cancelled, aborted, ...). */
  runPhase: string;
  /** Rollback steps that ran (succeeded) when the run was cancelled or aborted. */
  rolledBack: string[];
  runId: string;
  workflowId: string;
  backupRunId: string;
  startedAt: string;
  rtoMs: number;
  rtoObjectiveMs: number | null;
  /** Each step that started: its id, action (`approval` for a gate), how many activities it ran (its forEach items, else 1) and its time. */
  phases: Array<{ name: string; action: string; items: number; ms: number }>;
  messagesInBackup: number;
  messagesRestored: number;
  /** Messages produced after the backup and lost by the recovery, counted on the cluster. */
  rpoMessages: number;
  /** What the seeder produced after the backup; equals rpoMessages when nothing else was lost. */
  messagesProducedAfterBackup: number;
  partitions: PartitionFigures[];
  dataVerified: boolean;
  groups: Array<{ groupId: string; topic: string; partition: number; offset: number; backupOffset: number }>;
  rogueChangesFound: RogueChange[];
  rogueChangesRemoved: RogueChange[];
  approvals: Array<{ gate: string; by: string; at: string }>;
  /** Wall time of the whole drill, and the engine's own share: recovery time minus the sum of activity times. */
  drillWallMs: number;
  activityMs: number;
  engineOverheadMs: number;
  auditCommand: string;
  failures: string[];
  /** Times the drill had to SIGKILL its worker because SIGTERM did not stop it (0 when it shut down cleanly). */
  workerSigkills?: number;
  /** Other data on the cluster and whether it was left correct, drill phase times, history sizes. */
  scale?: ScaleSection;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function renderMarkdown(r: DrillReport): string {
  const out: string[] = [];
  out.push(`# Drill report: ${r.ok ? 'PASSED' : 'FAILED'}`, '');
  out.push(
    `Scenario **${r.scenario}**: expected ${r.expected.outcome}${r.expected.refusedAt ? ` at ${r.expected.refusedAt.step} with ${r.expected.refusedAt.error}` : ''}, outcome **${r.outcome}**: ${r.outcomeDetail}`,
    '',
  );
  if (r.stuck) {
    out.push('## Ended by the drill deadline', '');
    out.push(
      `- ${r.stuck.kind === 'run' ? 'Running' : 'Waiting'}: \`${r.stuck.step}\` for ${s(r.stuck.waitedMs)}`,
      `- Error: ${r.stuck.error}`,
      `- A human would have been asked: \`${r.stuck.question}\``,
      `- The run ended ${r.runPhase}; rollback steps that ran: ${r.rolledBack.join(', ') || 'none'}.`,
      '',
    );
  }
  out.push(
    `Recovery run \`${r.workflowId}\` (run id \`${r.runId}\`), started ${r.startedAt}; backup run \`${r.backupRunId}\`.`,
    '',
  );
  if (r.failures.length) out.push('**What failed:**', ...r.failures.map((f) => `- ${f}`), '');
  const objective = r.rtoObjectiveMs
    ? ` against an objective of ${s(r.rtoObjectiveMs)} (${r.rtoMs <= r.rtoObjectiveMs ? 'met' : 'MISSED'})`
    : '';
  out.push('## Recovery time (RTO)', '', `Recovery took **${s(r.rtoMs)}**${objective}.`, '');
  out.push('| phase | time |', '|---|---:|', ...r.phases.map((p) => `| ${p.name} | ${s(p.ms)} |`), '');
  out.push(
    `Activities took ${s(r.activityMs)} in all; the engine's own overhead (recovery time minus activity time, approvals included) was ${s(r.engineOverheadMs)}. The whole drill (seed, backup, incident, recovery, checks) took ${s(r.drillWallMs)}.`,
    '',
  );
  out.push('## Data loss (RPO)', '');
  out.push(
    `**${r.rpoMessages} messages lost**: the ones produced after the backup (the seeder produced ${r.messagesProducedAfterBackup}).`,
    '',
  );
  out.push('## Data verified', '');
  out.push(
    `${r.messagesRestored} messages restored of ${r.messagesInBackup} in the backup: ${r.dataVerified ? 'every partition matches' : 'MISMATCH'}.`,
    '',
  );
  out.push('| topic | partition | in backup | restored | produced after backup (lost) |', '|---|---:|---:|---:|---:|');
  out.push(
    ...r.partitions.map(
      (p) => `| ${p.topic} | ${p.partition} | ${p.inBackup} | ${p.restored} | ${p.producedAfterBackup} |`,
    ),
    '',
  );
  out.push(
    '## Consumer groups',
    '',
    '| group | topic | partition | offset now | offset at backup |',
    '|---|---|---:|---:|---:|',
  );
  out.push(
    ...r.groups.map((g) => `| ${g.groupId} | ${g.topic} | ${g.partition} | ${g.offset} | ${g.backupOffset} |`),
    '',
  );
  out.push('## Rogue changes', '');
  out.push(
    `Found ${r.rogueChangesFound.length} by the scope assessment; ${r.rogueChangesRemoved.length} removed by the restore.`,
    '',
  );
  const removed = new Set(r.rogueChangesRemoved.map((c) => c.path));
  out.push(
    '| znode | change | removed |',
    '|---|---|---|',
    ...r.rogueChangesFound.map((c) => `| \`${c.path}\` | ${c.kind} | ${removed.has(c.path) ? 'yes' : 'NO'} |`),
    '',
  );
  if (r.scale) out.push(...renderScale(r.scale));
  out.push(
    '## Approvals',
    '',
    '| gate | by | at |',
    '|---|---|---|',
    ...r.approvals.map((a) => `| ${a.gate} | ${a.by} | ${a.at} |`),
    '',
  );
  out.push('## Audit', '', `\`${r.auditCommand}\``, '');
  if (r.workerSigkills !== undefined)
    out.push(
      '## Worker',
      '',
      r.workerSigkills
        ? `SIGTERM did not stop the worker: the SIGKILL fallback was used ${r.workerSigkills} time(s).`
        : 'The worker stopped on SIGTERM alone (no SIGKILL fallback).',
      '',
    );
  return out.join('\n');
}
