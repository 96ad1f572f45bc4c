/**
 * `kafka.offsets-reset`: every mode of `kafka-consumer-groups --reset-offsets`. It computes concrete
 * offsets (rows.ts, compute.ts) and commits them without joining the group (protocol.ts: OffsetCommit with
 * generation -1, as the tool's AdminClient does), never with kafkajs's setOffsets (which joins as a
 * temporary consumer) or resetOffsets (which commits the -1/-2 sentinels). Groups that are not Empty or
 * Dead are refused, also in dry-run. Dry-run (the default) returns the before/after table and its text.
 */
import { readFile } from 'node:fs/promises';
import type { Admin } from 'kafkajs';
import type { ActionRequest } from '../../../compiler/plan';
import { InvalidInputError } from '../../errors';
import type { ActionContext } from '../../errors';
import type { KafkaDeps } from '../deps';
import { KafkaBackupNotFoundError, KafkaGroupNotEmptyError, mapKafkaError } from '../errors';
import type { ActionInputs, ResultOf } from '../../../compiler/actions';
import { kafkaInventory, storePath } from '../inputs';
import { commitWithoutJoining } from '../protocol';
import type { KjsCluster } from '../protocol';
import { formatResetTable, parseOffsetsCsv } from './compute';
import type { FileRow, ResetRow, ResetSpec } from './compute';
import { groupRows, parseTopicArg } from './rows';
import { durationTimestamp, parseResetDatetime } from './time';
import { resetPreview } from './preview';

/** Groups committed at once on execute: each is one OffsetCommit request to its coordinator. */
const COMMIT_PARALLELISM = 16;

async function checkGroupsInactive(admin: Admin, groups: string[]): Promise<Record<string, string>> {
  const { groups: described } = await admin.describeGroups(groups);
  const states: Record<string, string> = {};
  for (const g of described) {
    states[g.groupId] = g.state;
    if (g.state !== 'Empty' && g.state !== 'Dead')
      throw new KafkaGroupNotEmptyError(g.groupId, g.state, g.members.length);
  }
  return states;
}

/**
 * The spec of the mode. The registry schema already refused a mode without its own input (INPUT_MISSING);
 * `need` only narrows the type and guards callers that bypass the door.
 */
function resetSpec(inp: ActionInputs<'kafka.offsets-reset'>): { spec: ResetSpec; timestamp?: number; file?: string } {
  const mode = inp.mode;
  const need = <T>(v: T | undefined, field: string): T => {
    if (v === undefined) throw new InvalidInputError(`mode '${mode}' needs the input '${field}'`, { field });
    return v;
  };
  if (mode === 'to-offset') return { spec: { mode, offset: need(inp.offset, 'offset') } };
  if (mode === 'shift-by') return { spec: { mode, shiftBy: need(inp.shiftBy, 'shiftBy') } };
  if (mode === 'to-datetime') return { spec: { mode }, timestamp: parseResetDatetime(need(inp.datetime, 'datetime')) };
  if (mode === 'by-duration')
    return { spec: { mode }, timestamp: durationTimestamp(need(inp.duration, 'duration'), Date.now()) };
  if (mode === 'from-file') return { spec: { mode }, file: need(inp.file, 'file') };
  return { spec: { mode } };
}

async function readRows(request: ActionRequest, deps: KafkaDeps, ref: string): Promise<FileRow[]> {
  const path = storePath(request, ref, deps.backupStore);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new KafkaBackupNotFoundError(path);
  });
  try {
    return parseOffsetsCsv(text);
  } catch (err) {
    throw new InvalidInputError(`offsets file ${path}: ${(err as Error).message}`, { field: 'file' });
  }
}

/** Commits each moved group's rows without joining it, a few groups at a time; stops early when cancelled. */
async function commitRows(cluster: KjsCluster, moved: ResetRow[], ctx: ActionContext): Promise<void> {
  const byGroup = new Map<string, ResetRow[]>();
  for (const r of moved) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  const queue = [...byGroup];
  let done = 0;
  const worker = async () => {
    for (let next = queue.shift(); next && !ctx.signal.aborted; next = queue.shift()) {
      const [group, rows] = next;
      await commitWithoutJoining(
        cluster,
        group,
        rows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.new })),
      );
      ctx.heartbeat({ group, committed: ++done, of: byGroup.size });
    }
  };
  await Promise.all(Array.from({ length: Math.min(COMMIT_PARALLELISM, queue.length) }, worker));
}

/**
 * The action. Inputs: `groups`, `topics` (`t` or `t:0,1`), `mode` and its input, `isolationLevel` (default
 * read_uncommitted, as the tool), `dryRun` (default true).
 */
export async function kafkaOffsetsReset(
  deps: KafkaDeps,
  inp: ActionInputs<'kafka.offsets-reset'>,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ResultOf<'kafka.offsets-reset'>> {
  const kafka = kafkaInventory(request);
  const targets = inp.topics?.map(parseTopicArg);
  const { spec, timestamp, file } = resetSpec(inp);
  const dryRun = request.dryRun || inp.dryRun;
  const fileRows = file ? await readRows(request, deps, file) : undefined;
  // from-file without `groups` resets every group the file names (a backup set's offsets export).
  const groups =
    inp.groups ??
    (fileRows ? [...new Set(fileRows.flatMap((r) => (r.group ? [r.group] : [])))] : undefined);
  if (!groups || groups.length === 0)
    throw new InvalidInputError("input 'groups' needs at least one group", { field: 'groups' });
  if (fileRows && groups.length > 1 && fileRows.some((r) => r.group === undefined))
    throw new InvalidInputError(
      `offsets file ${file} has topic,partition,offset rows, which name no group, and ${groups.length} groups are given; ` +
        'use group,topic,partition,offset rows (kafka-consumer-groups would misread this file)',
      { field: 'file' },
    );
  const isolation = inp.isolationLevel;
  const admin = await deps.pool.admin(kafka.bootstrap);
  try {
    const cluster = await deps.pool.cluster(kafka.bootstrap);
    const states = await checkGroupsInactive(admin, groups);
    const rows: ResetRow[] = [];
    const inputs = { admin, cluster, targets, spec, timestamp, fileRows, isolation, cache: new Map() };
    for (const g of groups) rows.push(...(await groupRows(g, inputs)));
    const moved = rows.filter((r) => r.current !== r.new);
    if (!dryRun) await commitRows(cluster, moved, ctx);
    return {
      changed: !dryRun && moved.length > 0,
      outputs: {
        dryRun,
        mode: spec.mode,
        timestamp,
        groups,
        states,
        isolationLevel: isolation,
        table: rows.map((r) => ({ ...r, changed: r.current !== r.new })),
        changed: moved.length,
        text: formatResetTable(rows),
        preview: resetPreview(rows),
      },
      summary: `${dryRun ? 'would reset' : 'reset'} ${moved.length} of ${rows.length} partition offsets of ${groups.join(', ')} (${spec.mode})`,
    };
  } catch (err) {
    throw mapKafkaError(err, { groups });
  }
}
