/**
 * The report's account of scale: what else the cluster held (bystanders) and whether the runbooks
 * left it as it was at backup time, wall time per drill phase, and each run's history size and
 * largest step output. Added to every drill's report; `--size large` makes it matter.
 */
import type { BystanderFacts } from './bystander-facts';
import { bystanderTotals, compareBystanders } from './bystander-facts';
import type { DrillSize } from './bystanders';
import type { RunHistorySize } from './measure';
import type { BystanderSeeding } from './seed-bystanders';

export interface ScaleSection {
  size: DrillSize;
  /** Wall time of each drill phase (seed, backup, rpo-window, incident, recovery, checks). */
  drillPhases: Array<{ name: string; ms: number }>;
  histories: RunHistorySize[];
  bystanders: {
    seeded: BystanderSeeding;
    atBackup: ReturnType<typeof bystanderTotals>;
    /** Differences between the bystanders at backup time and after the recovery (none when left correct). */
    differences: string[];
  };
}

export interface ScaleInput {
  size: DrillSize;
  drillPhases: Array<{ name: string; ms: number }>;
  histories: RunHistorySize[];
  seeded: BystanderSeeding;
  atBackup: BystanderFacts;
  afterRecovery: BystanderFacts;
}

/** Adds the scale section to `report`, with a failure when a bystander changed. */
export function addScale<R extends { ok: boolean; failures: string[] }>(
  report: R,
  input: ScaleInput,
): R & { scale: ScaleSection } {
  const differences = compareBystanders(input.atBackup, input.afterRecovery);
  const failures = [...report.failures];
  if (differences.length)
    failures.push(
      `other data on the cluster was not left as it was at backup time (${differences.length} difference(s))`,
    );
  const scale: ScaleSection = {
    size: input.size,
    drillPhases: input.drillPhases,
    histories: input.histories,
    bystanders: { seeded: input.seeded, atBackup: bystanderTotals(input.atBackup), differences },
  };
  return { ...report, ok: failures.length === 0, failures, scale };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const kb = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(2)} MB`);

/** The scale section in Markdown. */
export function renderScale(x: ScaleSection): string[] {
  const b = x.bystanders.atBackup;
  const seeded = x.bystanders.seeded;
  return [
    `## Scale (${x.size})`,
    '',
    `Other data on the cluster at backup time: ${b.topics} topics with ${b.partitions} partitions and ${b.messages} messages, ` +
      `${b.groups} consumer groups with ${b.offsets} committed offsets, ${b.configs} topic config overrides, ${b.acls} ACL znodes ` +
      `(seeded now: ${seeded.topicsCreated} topics created, ${seeded.topicsFilled} filled, ${seeded.groupsCommitted} groups committed, ${seeded.aclsWritten} ACLs written).`,
    '',
    x.bystanders.differences.length
      ? `**Left incorrect** after the recovery:\n${x.bystanders.differences.map((d) => `- ${d}`).join('\n')}`
      : 'After the recovery every one of them is exactly as it was at backup time.',
    '',
    '| drill phase | time |',
    '|---|---:|',
    ...x.drillPhases.map((p) => `| ${p.name} | ${s(p.ms)} |`),
    '',
    '| run | workflow | history events | history bytes | largest step output |',
    '|---|---|---:|---:|---|',
    ...x.histories.map(
      (h) =>
        `| ${h.run} | \`${h.workflowId}\` | ${h.events} | ${kb(h.bytes)} | ${h.largestOutput ? `${h.largestOutput.step} (${h.largestOutput.activity}): ${kb(h.largestOutput.bytes)}` : '-'} |`,
    ),
    '',
  ];
}
