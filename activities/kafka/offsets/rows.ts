/**
 * The per-group half of `kafka.offsets-reset`: which partitions a group resets (its committed topics, the
 * `topics` input, or the offsets file), and each one's log start, high watermark, last stable offset,
 * committed offset and time lookup, read as `kafka-consumer-groups` reads them (ListOffsets through
 * protocol.ts, so the isolation level is explicit).
 */
import type { Admin } from 'kafkajs';
import { InvalidInputError } from '../../errors';
import { KafkaUnknownTopicError, mapKafkaError } from '../errors';
import { EARLIEST, LATEST, listOffsets } from '../protocol';
import type { IsolationLevel, KjsCluster } from '../protocol';
import { newOffset, sortRows } from './compute';
import type { FileRow, ResetRow, ResetSpec } from './compute';

/** One entry of the `topics` input: `t` or `t:0,1,2` (the tool's --topic syntax). */
export interface Target {
  topic: string;
  partitions?: number[];
}

/** Parses `t` or `t:0,1`. Throws INVALID_INPUT naming the entry. */
export function parseTopicArg(arg: string, i: number): Target {
  const [topic, parts, more] = arg.split(':');
  if (!topic || more !== undefined)
    throw new InvalidInputError(`topics[${i}] must be a topic or topic:partition,partition`, { field: `topics[${i}]` });
  if (parts === undefined) return { topic };
  if (!/^\d+(,\d+)*$/.test(parts))
    throw new InvalidInputError(`topics[${i}]: partitions must be like t:0,1`, { field: `topics[${i}]` });
  return { topic, partitions: parts.split(',').map(Number) };
}

/** What every group's rows are computed from. */
export interface RowSources {
  admin: Admin;
  cluster: KjsCluster;
  targets?: Target[];
  spec: ResetSpec;
  timestamp?: number;
  fileRows?: FileRow[];
  isolation: IsolationLevel;
  /** Log offsets and partition lists already read in this action: every group sees the same snapshot. */
  cache: Map<string, Promise<unknown>>;
}

/** Reads once per action: later groups reuse the answer (or the failure) for the same key. */
function once<T>(cache: Map<string, Promise<unknown>>, key: string, read: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) cache.set(key, (p = read()));
  return p;
}

async function partitionsOf(admin: Admin, topic: string): Promise<number[]> {
  try {
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    return md.topics[0].partitions.map((p) => p.partitionId).sort((a, b) => a - b);
  } catch (err) {
    throw mapKafkaError(err, { topic });
  }
}

async function committedOf(admin: Admin, groupId: string, targets?: Target[]): Promise<Map<string, number>> {
  const raw = await admin.fetchOffsets({
    groupId,
    ...(targets ? { topics: [...new Set(targets.map((t) => t.topic))] } : {}),
  });
  const committed = new Map<string, number>();
  for (const t of raw)
    for (const p of t.partitions)
      if (Number(p.offset) >= 0) committed.set(`${t.topic}:${p.partition}`, Number(p.offset));
  return committed;
}

/** Partitions to reset per topic, and the file's offsets (a later file row for a partition wins, as in the tool). */
async function wantedOf(
  admin: Admin,
  groupId: string,
  { targets, fileRows, cache }: RowSources,
  committed: Map<string, number>,
): Promise<{ wanted: Map<string, Set<number>>; fromFile: Map<string, number> }> {
  const wanted = new Map<string, Set<number>>();
  const fromFile = new Map<string, number>();
  const add = (topic: string, p: number) => wanted.set(topic, (wanted.get(topic) ?? new Set<number>()).add(p));
  if (fileRows) {
    // As the tool: a later row for the same partition wins.
    for (const r of fileRows.filter((x) => x.group === undefined || x.group === groupId)) {
      add(r.topic, r.partition);
      fromFile.set(`${r.topic}:${r.partition}`, r.offset);
    }
  } else if (targets) {
    // As the tool: a topic named twice counts once, but a partition named twice (t:0 with t, or t:0,0) is an error.
    const whole = new Set<string>();
    for (const t of targets) {
      if (!t.partitions && whole.has(t.topic)) continue;
      if (!t.partitions) whole.add(t.topic);
      for (const p of t.partitions ?? (await once(cache, `parts:${t.topic}`, () => partitionsOf(admin, t.topic)))) {
        if (wanted.get(t.topic)?.has(p))
          throw new InvalidInputError(`topics names ${t.topic} partition ${p} twice`, { field: 'topics' });
        add(t.topic, p);
      }
    }
  } else {
    for (const key of committed.keys())
      add(key.slice(0, key.lastIndexOf(':')), Number(key.slice(key.lastIndexOf(':') + 1)));
  }
  return { wanted, fromFile };
}

/** The rows of one group, sorted by topic and partition. Throws KAFKA_UNKNOWN_TOPIC for a missing topic or partition. */
export async function groupRows(groupId: string, inputs: RowSources): Promise<ResetRow[]> {
  const { admin, cluster, spec, timestamp, isolation, cache } = inputs;
  const committed = await committedOf(admin, groupId, inputs.targets);
  const { wanted, fromFile } = await wantedOf(admin, groupId, inputs, committed);
  const rows: ResetRow[] = [];
  for (const [topic, set] of wanted) {
    const partitions = [...set];
    const known = await once(cache, `parts:${topic}`, () => partitionsOf(admin, topic));
    const bad = partitions.filter((p) => !known.includes(p));
    if (bad.length > 0) throw new KafkaUnknownTopicError(`${topic} partition(s) ${bad.join(',')}`);
    const ask = (ts: number, level: IsolationLevel) =>
      once(cache, `offsets:${topic}:${partitions.join(',')}:${ts}:${level}`, () =>
        listOffsets(cluster, topic, partitions, ts, level).catch((err) =>
          Promise.reject(mapKafkaError(err, { topic })),
        ),
      );
    const [low, hw, lso, byTime] = await Promise.all([
      ask(EARLIEST, 'read_uncommitted'),
      ask(LATEST, 'read_uncommitted'),
      ask(LATEST, 'read_committed'),
      timestamp !== undefined ? ask(timestamp, isolation) : Promise.resolve(new Map<number, number>()),
    ]);
    for (const partition of partitions) {
      const got = (m: Map<number, number>) => {
        const v = m.get(partition);
        if (v === undefined) throw new KafkaUnknownTopicError(`${topic}-${partition}`);
        return v;
      };
      const highWatermark = got(hw);
      const lastStableOffset = got(lso);
      const high = isolation === 'read_committed' ? lastStableOffset : highWatermark;
      const t = byTime.get(partition);
      const view = {
        topic,
        partition,
        low: got(low),
        high,
        committed: committed.get(`${topic}:${partition}`),
        byTime: t !== undefined && t >= 0 ? t : undefined,
        fromFile: fromFile.get(`${topic}:${partition}`),
      };
      rows.push({
        group: groupId,
        topic,
        partition,
        low: view.low,
        high,
        highWatermark,
        lastStableOffset,
        current: view.committed ?? null,
        new: newOffset(spec, view, groupId),
      });
    }
  }
  return sortRows(rows);
}
