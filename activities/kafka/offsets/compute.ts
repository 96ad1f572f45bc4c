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
  /** Log end offset. */
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

/** Parses a reset CSV: `topic,partition,offset` or `group,topic,partition,offset` lines. Throws Error naming the line. */
export function parseOffsetsCsv(text: string): FileRow[] {
  const rows: FileRow[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const f = line.split(',').map((x) => x.trim());
    const [group, topic, partition, offset] = f.length === 4 ? f : [undefined, ...f];
    if (
      (f.length !== 3 && f.length !== 4) ||
      !topic ||
      !/^\d+$/.test(partition ?? '') ||
      !/^-?\d+$/.test(offset ?? '')
    ) {
      throw new Error(`line ${i + 1}: expected topic,partition,offset or group,topic,partition,offset`);
    }
    rows.push({ group, topic, partition: Number(partition), offset: Number(offset) });
  });
  return rows;
}

export interface ResetRow {
  group: string;
  topic: string;
  partition: number;
  low: number;
  high: number;
  /** Committed before, null when none. */
  current: number | null;
  new: number;
}

/** The table `kafka-consumer-groups --reset-offsets --dry-run` prints for these rows (sorted by group, topic, partition). */
export function formatResetTable(rows: ResetRow[]): string {
  const line = (g: string, t: string, p: string, o: string) =>
    `\n${g.padEnd(30)} ${t.padEnd(30)} ${p.padEnd(10)} ${o.padEnd(15)}`;
  if (rows.length === 0) return '\n';
  return `${line('GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET')}${sortRows(rows)
    .map((r) => line(r.group, r.topic, String(r.partition), String(r.new)))
    .join('')}\n`;
}

/** Rows ordered by group, topic, partition. */
export function sortRows<T extends { group: string; topic: string; partition: number }>(rows: T[]): T[] {
  return [...rows].sort(
    (a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic) || a.partition - b.partition,
  );
}
