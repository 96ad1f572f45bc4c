/**
 * `kafka.offsets-reset`: every mode of `kafka-consumer-groups --reset-offsets`. It computes concrete
 * offsets (compute.ts) and commits them with setOffsets, never resetOffsets (which commits the -1/-2
 * sentinels). Groups that are not Empty or Dead are refused, also in dry-run, as the tool does.
 * Dry-run (the default) returns the before/after table and the tool's text.
 */
import { readFile } from 'node:fs/promises';
import type { Admin } from 'kafkajs';
import type { ActionRequest, ActionResult } from '../../../compiler/plan';
import { InvalidInputError } from '../../errors';
import type { ActionContext } from '../../errors';
import type { KafkaDeps } from '../deps';
import { KafkaBackupNotFoundError, KafkaGroupNotEmptyError, KafkaUnknownTopicError, mapKafkaError } from '../errors';
import { kafkaInventory, optBool, optInt, optString, optStrings, storePath } from '../inputs';
import { formatResetTable, newOffset, parseOffsetsCsv, RESET_MODES, sortRows } from './compute';
import type { FileRow, PartitionView, ResetMode, ResetRow, ResetSpec } from './compute';
import { parseIsoDuration, parseResetDatetime } from './time';
import { resetPreview } from './preview';

interface Target {
  topic: string;
  partitions?: number[];
}

/** `t` or `t:0,1,2` (the tool's --topic syntax). */
function parseTopicArg(arg: string, i: number): Target {
  const [topic, parts] = arg.split(':');
  if (!topic) throw new InvalidInputError(`topics[${i}] names no topic`, { field: `topics[${i}]` });
  if (parts === undefined) return { topic };
  if (!/^\d+(,\d+)*$/.test(parts))
    throw new InvalidInputError(`topics[${i}]: partitions must be like t:0,1`, { field: `topics[${i}]` });
  return { topic, partitions: parts.split(',').map(Number) };
}

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

async function partitionsOf(admin: Admin, topic: string): Promise<number[]> {
  try {
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    return md.topics[0].partitions.map((p) => p.partitionId).sort((a, b) => a - b);
  } catch (err) {
    throw mapKafkaError(err, { topic });
  }
}

/** The spec after validating the mode's own input. */
function resetSpec(request: ActionRequest): { spec: ResetSpec; timestamp?: number; file?: string } {
  const mode = optString(request, 'mode') as ResetMode | undefined;
  if (!mode || !RESET_MODES.includes(mode))
    throw new InvalidInputError(`input 'mode' must be one of ${RESET_MODES.join(', ')}`, { field: 'mode' });
  const need = <T>(v: T | undefined, field: string): T => {
    if (v === undefined) throw new InvalidInputError(`mode '${mode}' needs the input '${field}'`, { field });
    return v;
  };
  if (mode === 'to-offset') return { spec: { mode, offset: need(optInt(request, 'offset', 0), 'offset') } };
  if (mode === 'shift-by') return { spec: { mode, shiftBy: need(optInt(request, 'shiftBy'), 'shiftBy') } };
  if (mode === 'to-datetime')
    return { spec: { mode }, timestamp: parseResetDatetime(need(optString(request, 'datetime'), 'datetime')) };
  if (mode === 'by-duration')
    return {
      spec: { mode },
      timestamp: Date.now() - parseIsoDuration(need(optString(request, 'duration'), 'duration')),
    };
  if (mode === 'from-file') return { spec: { mode }, file: need(optString(request, 'file'), 'file') };
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

/** Computes the rows for one group. */
async function groupRows(
  admin: Admin,
  groupId: string,
  targets: Target[] | undefined,
  spec: ResetSpec,
  timestamp: number | undefined,
  fileRows: FileRow[] | undefined,
): Promise<ResetRow[]> {
  const committedRaw = await admin.fetchOffsets({
    groupId,
    ...(targets ? { topics: [...new Set(targets.map((t) => t.topic))] } : {}),
  });
  const committed = new Map<string, number>();
  for (const t of committedRaw)
    for (const p of t.partitions)
      if (Number(p.offset) >= 0) committed.set(`${t.topic}:${p.partition}`, Number(p.offset));

  const wanted = new Map<string, number[]>();
  const fromFile = new Map<string, number>();
  if (fileRows) {
    for (const r of fileRows.filter((x) => x.group === undefined || x.group === groupId)) {
      wanted.set(r.topic, [...(wanted.get(r.topic) ?? []), r.partition]);
      fromFile.set(`${r.topic}:${r.partition}`, r.offset);
    }
  } else if (targets) {
    for (const t of targets) wanted.set(t.topic, t.partitions ?? (await partitionsOf(admin, t.topic)));
  } else {
    for (const key of committed.keys()) {
      const [topic, p] = [key.slice(0, key.lastIndexOf(':')), Number(key.slice(key.lastIndexOf(':') + 1))];
      wanted.set(topic, [...(wanted.get(topic) ?? []), p]);
    }
  }

  const rows: ResetRow[] = [];
  for (const [topic, partitions] of wanted) {
    const known = await partitionsOf(admin, topic);
    const bad = partitions.filter((p) => !known.includes(p));
    if (bad.length > 0) throw new KafkaUnknownTopicError(`${topic} partition(s) ${bad.join(',')}`);
    const ends = await admin.fetchTopicOffsets(topic).catch((err) => Promise.reject(mapKafkaError(err, { topic })));
    const byTime = timestamp !== undefined ? await admin.fetchTopicOffsetsByTimestamp(topic, timestamp) : [];
    for (const partition of partitions) {
      const e = ends.find((x) => x.partition === partition);
      if (!e) throw new KafkaUnknownTopicError(`${topic}-${partition}`);
      const t = byTime.find((x) => x.partition === partition);
      const view: PartitionView = {
        topic,
        partition,
        low: Number(e.low),
        high: Number(e.high),
        committed: committed.get(`${topic}:${partition}`),
        byTime: t && Number(t.offset) >= 0 ? Number(t.offset) : undefined,
        fromFile: fromFile.get(`${topic}:${partition}`),
      };
      rows.push({
        group: groupId,
        topic,
        partition,
        low: view.low,
        high: view.high,
        current: view.committed ?? null,
        new: newOffset(spec, view, groupId),
      });
    }
  }
  return sortRows(rows);
}

/** The action. Inputs: `groups`, `topics` (`t` or `t:0,1`), `mode` and its input, `dryRun` (default true). */
export async function kafkaOffsetsReset(
  deps: KafkaDeps,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ActionResult> {
  const kafka = kafkaInventory(request);
  const targets = optStrings(request, 'topics')?.map(parseTopicArg);
  const { spec, timestamp, file } = resetSpec(request);
  const dryRun = request.dryRun || optBool(request, 'dryRun') !== false;
  const fileRows = file ? await readRows(request, deps, file) : undefined;
  // from-file without `groups` resets every group the file names (a backup set's offsets export).
  const groups =
    optStrings(request, 'groups') ??
    (fileRows ? [...new Set(fileRows.flatMap((r) => (r.group ? [r.group] : [])))] : undefined);
  if (!groups || groups.length === 0)
    throw new InvalidInputError("input 'groups' needs at least one group", { field: 'groups' });
  const admin = await deps.pool.admin(kafka.bootstrap);
  try {
    const states = await checkGroupsInactive(admin, groups);
    const rows: ResetRow[] = [];
    for (const g of groups) rows.push(...(await groupRows(admin, g, targets, spec, timestamp, fileRows)));
    const moved = rows.filter((r) => r.current !== r.new);
    if (!dryRun) {
      for (const g of groups) {
        const byTopic = new Map<string, ResetRow[]>();
        for (const r of moved.filter((x) => x.group === g)) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
        for (const [topic, rs] of byTopic) {
          if (ctx.signal.aborted) break;
          await admin.setOffsets({
            groupId: g,
            topic,
            partitions: rs.map((r) => ({ partition: r.partition, offset: String(r.new) })),
          });
          ctx.heartbeat({ group: g, topic });
        }
      }
    }
    return {
      changed: !dryRun && moved.length > 0,
      outputs: {
        dryRun,
        mode: spec.mode,
        timestamp,
        groups,
        states,
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
