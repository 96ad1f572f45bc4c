/**
 * The execute half of `kafka.offsets-reset`: applies an approved plan exactly. Before committing
 * anything it re-reads every planned partition and refuses (OFFSETS_DRIFTED, naming the partitions)
 * when the committed offset moved since the dry run, or the log no longer holds the approved offset
 * (the tool would clamp it to something else). A partition already at its approved offset is done: a
 * retry after success, or a second execute running at the same time, commits nothing different.
 */
import type { Admin } from 'kafkajs';
import type { ActionContext } from '../../errors';
import { KafkaGroupNotEmptyError, mapKafkaError, OffsetsDriftedError } from '../errors';
import type { OffsetsDrift } from '../errors';
import { commitWithoutJoining, EARLIEST, LATEST, listOffsets } from '../protocol';
import type { KjsCluster } from '../protocol';
import type { OffsetsPlan } from './plan';

/** Groups committed at once on execute: each is one OffsetCommit request to its coordinator. */
const COMMIT_PARALLELISM = 16;

type PlanRow = OffsetsPlan['rows'][number];

/** Refuses groups that are not Empty or Dead (KAFKA_GROUP_NOT_EMPTY); returns each group's state. */
export async function checkGroupsInactive(admin: Admin, groups: string[]): Promise<Record<string, string>> {
  const { groups: described } = await admin.describeGroups(groups);
  const states: Record<string, string> = {};
  for (const g of described) {
    states[g.groupId] = g.state;
    if (g.state !== 'Empty' && g.state !== 'Dead')
      throw new KafkaGroupNotEmptyError(g.groupId, g.state, g.members.length);
  }
  return states;
}

/** Live committed offsets of the plan's partitions, keyed `group topic partition`. */
async function liveCommitted(admin: Admin, rows: PlanRow[]): Promise<Map<string, number>> {
  const byGroup = new Map<string, Set<string>>();
  for (const r of rows) byGroup.set(r.group, (byGroup.get(r.group) ?? new Set<string>()).add(r.topic));
  const out = new Map<string, number>();
  for (const [groupId, topics] of byGroup) {
    const fetched = await admin.fetchOffsets({ groupId, topics: [...topics] });
    for (const t of fetched)
      for (const p of t.partitions)
        if (Number(p.offset) >= 0) out.set(`${groupId} ${t.topic} ${p.partition}`, Number(p.offset));
  }
  return out;
}

/** Live log start and end (at the plan's isolation level) of the plan's partitions, keyed `topic partition`. */
async function liveBounds(cluster: KjsCluster, plan: OffsetsPlan): Promise<Map<string, { low: number; high: number }>> {
  const byTopic = new Map<string, Set<number>>();
  for (const r of plan.rows) byTopic.set(r.topic, (byTopic.get(r.topic) ?? new Set<number>()).add(r.partition));
  const out = new Map<string, { low: number; high: number }>();
  for (const [topic, set] of byTopic) {
    const ps = [...set];
    const [low, high] = await Promise.all([
      listOffsets(cluster, topic, ps, EARLIEST, 'read_uncommitted'),
      listOffsets(cluster, topic, ps, LATEST, plan.isolationLevel),
    ]).catch((err) => Promise.reject(mapKafkaError(err, { topic })));
    for (const p of ps) {
      const l = low.get(p);
      const h = high.get(p);
      if (l !== undefined && h !== undefined) out.set(`${topic} ${p}`, { low: l, high: h });
    }
  }
  return out;
}

/** What the live state means for one row: commit it, it is already done, or it drifted (and why). */
function classify(
  r: PlanRow,
  committed: number | undefined,
  bounds: { low: number; high: number } | undefined,
): 'apply' | 'done' | string {
  if (committed === r.new) return 'done';
  if ((committed ?? null) !== r.current)
    return `committed ${committed ?? 'none'}, the approved table saw ${r.current ?? 'none'}`;
  if (!bounds) return 'partition no longer exists';
  if (r.new < bounds.low || r.new > bounds.high)
    return `approved offset ${r.new} is outside the log now [${bounds.low}, ${bounds.high}]`;
  return 'apply';
}

/** Commits each group's rows without joining it, a few groups at a time; stops early when cancelled. */
async function commitRows(cluster: KjsCluster, rows: PlanRow[], ctx: ActionContext): Promise<void> {
  const byGroup = new Map<string, PlanRow[]>();
  for (const r of rows) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  const queue = [...byGroup];
  let done = 0;
  const worker = async () => {
    for (let next = queue.shift(); next && !ctx.signal.aborted; next = queue.shift()) {
      const [group, groupRows] = next;
      await commitWithoutJoining(
        cluster,
        group,
        groupRows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.new })),
      );
      ctx.heartbeat({ group, committed: ++done, of: byGroup.size });
    }
  };
  await Promise.all(Array.from({ length: Math.min(COMMIT_PARALLELISM, queue.length) }, worker));
}

/** The outcome of an execute: rows committed now and rows already at their approved offset. */
export interface ApplyOutcome {
  applied: PlanRow[];
  alreadyApplied: PlanRow[];
}

/**
 * Checks the plan against the live cluster and, unless `dryRun`, commits the rows that still need it.
 * @throws OffsetsDriftedError (nothing committed) when any row drifted; KAFKA_GROUP_NOT_EMPTY.
 */
export async function applyPlan(
  admin: Admin,
  cluster: KjsCluster,
  plan: OffsetsPlan,
  dryRun: boolean,
  ctx: ActionContext,
): Promise<ApplyOutcome> {
  await checkGroupsInactive(admin, plan.groups);
  const [committed, bounds] = await Promise.all([liveCommitted(admin, plan.rows), liveBounds(cluster, plan)]);
  const drifted: OffsetsDrift[] = [];
  const outcome: ApplyOutcome = { applied: [], alreadyApplied: [] };
  for (const r of plan.rows) {
    const verdict = classify(
      r,
      committed.get(`${r.group} ${r.topic} ${r.partition}`),
      bounds.get(`${r.topic} ${r.partition}`),
    );
    if (verdict === 'done') outcome.alreadyApplied.push(r);
    else if (verdict === 'apply') outcome.applied.push(r);
    else drifted.push({ group: r.group, topic: r.topic, partition: r.partition, reason: verdict });
  }
  if (drifted.length > 0) throw new OffsetsDriftedError(drifted);
  if (!dryRun) await commitRows(cluster, outcome.applied, ctx);
  return outcome;
}
