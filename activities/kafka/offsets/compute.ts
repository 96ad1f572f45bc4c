/**
 * The decision of `kafka-consumer-groups --reset-offsets` (Kafka 3.9 ConsumerGroupCommand), as pure
 * functions: given each partition's log start/end, the committed offset and (for time modes) the
 * offset for a timestamp, the new offset. Offsets are clamped to [low, high] as the tool does.
 */
import type { OFFSET_RESET_MODES } from '../../../compiler/actions';
import { KafkaNoCommittedOffsetError } from '../errors';

/** A `--reset-offsets` mode; the list and each mode's input live in the registry (OFFSET_RESET_MODES). */
export type ResetMode = keyof typeof OFFSET_RESET_MODES;

export interface PartitionView {
  topic: string;
  partition: number;
  /** Log start offset. */
  low: number;
  /** Log end offset as the isolation level sees it (high watermark or last stable offset). */
  high: number;
  /** Committed offset, or undefined when the group has none for this partition. */
  committed?: number;
  /** Time modes: first offset with timestamp >= the target, or undefined when there is none. */
  byTime?: number;
  /** from-file: the offset the file asks for. */
  fromFile?: number;
}

export interface ResetSpec {
  mode: ResetMode;
  offset?: number;
  shiftBy?: number;
}

/** Clamps to [low, high] (checkOffsetsRange). */
export function clamp(offset: number, low: number, high: number): number {
  return offset > high ? high : offset < low ? low : offset;
}

/** The new offset for one partition. Throws KAFKA_NO_COMMITTED_OFFSET for shift-by without a committed offset. */
export function newOffset(spec: ResetSpec, p: PartitionView, groupId: string): number {
  switch (spec.mode) {
    case 'to-earliest':
      return p.low;
    case 'to-latest':
      return p.high;
    case 'to-current':
      return p.committed ?? p.high;
    case 'to-offset':
      return clamp(spec.offset as number, p.low, p.high);
    case 'shift-by':
      if (p.committed === undefined) throw new KafkaNoCommittedOffsetError(groupId, p.topic, p.partition);
      return clamp(p.committed + (spec.shiftBy as number), p.low, p.high);
    case 'to-datetime':
    case 'by-duration':
      // No message at or after the time: the log end, as the tool does.
      return p.byTime ?? p.high;
    case 'from-file':
      return clamp(p.fromFile as number, p.low, p.high);
  }
}

export interface FileRow {
  group?: string;
  topic: string;
  partition: number;
  offset: number;
}

/**
 * Parses a reset CSV: `topic,partition,offset` or `group,topic,partition,offset` lines, one form per file
 * (the tool picks the form from the first line). Blank lines may end the file, but not stand between rows,
 * and there are no comments: the tool fails on both. Throws Error naming the line.
 */
export function parseOffsetsCsv(text: string): FileRow[] {
  const rows: FileRow[] = [];
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  let columns: number | undefined;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') throw new Error(`line ${i + 1} is blank; blank lines may only end the file`);
    if (line.startsWith('#'))
      throw new Error(`line ${i + 1} starts with #: offsets files have no comments (the tool would read it as a row)`);
    const f = line.split(',').map((x) => x.trim());
    const [group, topic, partition, offset] = f.length === 4 ? f : [undefined, ...f];
    if (
      (f.length !== 3 && f.length !== 4) ||
      !topic ||
      group === '' ||
      !/^\d+$/.test(partition ?? '') ||
      !/^-?\d+$/.test(offset ?? '')
    ) {
      throw new Error(`line ${i + 1}: expected topic,partition,offset or group,topic,partition,offset`);
    }
    // The tool refuses the whole file too ("Invalid negative offset"); to-offset below the log is clamped instead.
    if (Number(offset) < 0) throw new Error(`line ${i + 1}: offset ${offset} is negative`);
    if (columns !== undefined && columns !== f.length)
      throw new Error(`line ${i + 1}: has ${f.length} columns where the lines before have ${columns}; use one form`);
    columns = f.length;
    rows.push({ group, topic, partition: Number(partition), offset: Number(offset) });
  });
  return rows;
}

export interface ResetRow {
  group: string;
  topic: string;
  partition: number;
  /** Log start offset. */
  low: number;
  /** Log end as the isolation level sees it: the high watermark (read_uncommitted) or the last stable offset. */
  high: number;
  /** High watermark: the end of the log, open transactions included. */
  highWatermark: number;
  /** Last stable offset: below the first open transaction; equals the high watermark when none is open. */
  lastStableOffset: number;
  /** Committed before, null when none. */
  current: number | null;
  new: number;
}

const FORMAT = (g: string, t: string, p: string, o: string) =>
  `${g.padEnd(30)} ${t.padEnd(30)} ${p.padEnd(10)} ${o.padEnd(15)}`;

/**
 * The dry-run table: the tool's columns (GROUP, TOPIC, PARTITION, NEW-OFFSET, each `%-30s %-30s %-10s %-15s`),
 * one row a line, sorted by group, topic, partition; the header also when no row (as the tool, for a group it handled). Where a partition has an open transaction (high watermark
 * above the last stable offset), two more columns show both, so whoever approves sees it.
 */
export function formatResetTable(rows: ResetRow[]): string {
  const open = rows.some((r) => r.highWatermark !== r.lastStableOffset);
  const extra = (hw: string, lso: string) => (open ? ` ${hw.padEnd(15)} ${lso.padEnd(18)}` : '');
  const lines = [
    FORMAT('GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET') + extra('HIGH-WATERMARK', 'LAST-STABLE-OFFSET'),
    ...sortRows(rows).map(
      (r) =>
        FORMAT(r.group, r.topic, String(r.partition), String(r.new)) +
        (r.highWatermark !== r.lastStableOffset ? extra(String(r.highWatermark), String(r.lastStableOffset)) : ''),
    ),
  ];
  return `\n${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

/** Rows ordered by group, topic, partition. */
export function sortRows<T extends { group: string; topic: string; partition: number }>(rows: T[]): T[] {
  return [...rows].sort(
    (a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic) || a.partition - b.partition,
  );
}
